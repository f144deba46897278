"""GraphQL inputs of routing and their translation into the domain's terms."""

from __future__ import annotations

from datetime import datetime

import strawberry

from app.api.common import Channel
from app.api.ids import parse_id
from app.api.routing import types as t
from app.errors import InvalidInput
from app.routing import conditions as cond
from app.routing.service import GroupInput, RuleInput

MAX_FACT = 500
MAX_TAGS = 50


@strawberry.input(description="A weekly opening period (local time of the group's zone).")
class OpeningPeriodInput:
    day: t.Weekday = strawberry.field(description="The day.")
    start: str = strawberry.field(description="Opens at HH:MM.")
    end: str = strawberry.field(description="Closes at HH:MM (24:00: end of day).")


@strawberry.input(description="A reception group's settings.")
class ReceptionGroupInput:
    name: str = strawberry.field(description="Unique name (1-64 characters).")
    time_zone: str | None = strawberry.field(
        default=None, description="IANA zone of the schedule; default: the business zone."
    )
    schedule: list[OpeningPeriodInput] | None = strawberry.field(
        default=None, description="Weekly opening periods; none means always open."
    )
    holidays: list[str] | None = strawberry.field(default=None, description="Closed dates.")
    queue_id: strawberry.ID | None = strawberry.field(default=None, description="A queue.")
    max_queue_length: int | None = strawberry.field(
        default=None, description="Smart judgement: most visitors waiting (0-10000)."
    )
    max_wait_seconds: int | None = strawberry.field(
        default=None, description="Smart judgement: longest expected wait (0-86400 s)."
    )
    average_handle_seconds: int = strawberry.field(
        default=300, description="Average handling time for the expected wait (1-86400 s)."
    )


@strawberry.input(description="A member of a reception group.")
class GroupMemberInput:
    account: str = strawberry.field(description="The agent's login name.")
    max_sessions: int = strawberry.field(default=3, description="Concurrent sessions (1-50).")


@strawberry.input(description="A routing condition.")
class RoutingConditionInput:
    field: t.RoutingField = strawberry.field(description="What it looks at.")
    operator: t.RoutingOperator = strawberry.field(description="How it compares.")
    values: list[str] = strawberry.field(default_factory=list, description="Values.")
    key: str | None = strawberry.field(default=None, description="The customer field's name.")


@strawberry.input(description="A smart routing rule (R-CC-9).")
class RoutingRuleInput:
    name: str = strawberry.field(description="Unique name (1-100 characters).")
    priority: int = strawberry.field(description="Lower first (0-1000000).")
    all: list[RoutingConditionInput] = strawberry.field(
        default_factory=list, description="Conditions that must all hold (mandatory)."
    )
    any: list[RoutingConditionInput] = strawberry.field(
        default_factory=list, description="Conditions of which one must hold; may stand alone."
    )
    group_ids: list[strawberry.ID] = strawberry.field(
        description="Reception groups in overflow order (1 to 3)."
    )
    target_agent: str | None = strawberry.field(
        default=None, description="An agent (login name) tried before the groups."
    )
    enabled: bool = strawberry.field(default=True, description="Switched on.")
    time_zone: str | None = strawberry.field(
        default=None, description="Zone of time conditions; default: the business zone."
    )


@strawberry.input(description="Changes to the routing settings: omitted fields stay.")
class RoutingSettingsInput:
    no_agent_message: str | None = strawberry.field(
        default=None, description="The no-agent answer (1-500 characters)."
    )
    default_group_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Groups for sessions no rule matches (up to 3)."
    )


@strawberry.input(description="A customer field's value.")
class FactFieldInput:
    name: str = strawberry.field(description="The field's name.")
    value: str = strawberry.field(description="Its value.")


@strawberry.input(description="What is known about a session, for routing rules.")
class SessionFactsInput:
    channel: Channel | None = strawberry.field(default=None, description="The channel.")
    menu: str | None = strawberry.field(default=None, description="Menu or queue chosen.")
    language: str | None = strawberry.field(default=None, description="e.g. zh-CN.")
    source_page: str | None = strawberry.field(default=None, description="Where it started.")
    vip: bool = strawberry.field(default=False, description="A VIP customer.")
    tags: list[str] = strawberry.field(default_factory=list, description="Customer tags.")
    customer_fields: list[FactFieldInput] = strawberry.field(
        default_factory=list, description="Customer fields."
    )
    at: datetime | None = strawberry.field(default=None, description="When; default now.")


@strawberry.input(description="A session to route.")
class RouteSessionInput(SessionFactsInput):
    session_id: str = strawberry.field(description="The chat system's session id.")
    group_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Reception groups in overflow order (up to 3); none: rules."
    )


def _fact(value: str | None, field: str) -> str | None:
    if value is not None and len(value) > MAX_FACT:
        raise InvalidInput(f"At most {MAX_FACT} characters.", field=field)
    return value


def facts_of(data: SessionFactsInput, now: datetime, prefix: str = "input") -> cond.Facts:
    if len(data.tags) > MAX_TAGS or len(data.customer_fields) > MAX_TAGS:
        raise InvalidInput(f"At most {MAX_TAGS} tags and fields.", field=f"{prefix}.tags")
    for i, tag in enumerate(data.tags):
        _fact(tag, f"{prefix}.tags[{i}]")
    for i, item in enumerate(data.customer_fields):
        _fact(item.value, f"{prefix}.customerFields[{i}].value")
        _fact(item.name, f"{prefix}.customerFields[{i}].name")
    if data.at is not None and data.at.tzinfo is None:
        raise InvalidInput("Give the time with its offset.", field=f"{prefix}.at")
    return cond.Facts(
        channel=data.channel.value if data.channel else None,
        menu=_fact(data.menu, f"{prefix}.menu"),
        language=_fact(data.language, f"{prefix}.language"),
        source_page=_fact(data.source_page, f"{prefix}.sourcePage"),
        vip=data.vip,
        tags=frozenset(data.tags),
        customer={item.name: item.value for item in data.customer_fields},
        at=data.at or now,
    )


def ids_of(values: list[strawberry.ID], field: str) -> list[int]:
    return [parse_id(v, field=f"{field}[{i}]") for i, v in enumerate(values)]


def group_data(data: ReceptionGroupInput) -> GroupInput:
    return GroupInput(
        name=data.name,
        time_zone=data.time_zone,
        schedule=[(p.day.value, p.start, p.end) for p in data.schedule or []],
        holidays=data.holidays,
        queue_id=parse_id(data.queue_id, field="input.queueId") if data.queue_id else None,
        max_queue_length=data.max_queue_length,
        max_wait_seconds=data.max_wait_seconds,
        average_handle_seconds=data.average_handle_seconds,
    )


def _conditions(items: list[RoutingConditionInput]) -> tuple[cond.Condition, ...]:
    return tuple(
        cond.Condition(field=cond.Field(c.field.value), operator=cond.Operator(c.operator.value),
                       values=tuple(c.values), key=c.key)
        for c in items
    )  # fmt: skip


def rule_data(data: RoutingRuleInput) -> RuleInput:
    return RuleInput(
        name=data.name,
        priority=data.priority,
        conditions=cond.Conditions(all=_conditions(data.all), any=_conditions(data.any)),
        group_ids=ids_of(data.group_ids, "input.groupIds"),
        target_agent=data.target_agent,
        enabled=data.enabled,
        time_zone=data.time_zone,
    )
