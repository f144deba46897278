"""GraphQL types of routing (R-CC-8, R-CC-9): reception groups, rules, decisions, presence."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from app.api.common import gid
from app.api.directory.types import AgentRef, load_agent
from app.routing import conditions as cond
from app.routing import models
from app.routing.capacity import Reason

Presence = models.Presence
RoutingOutcome = models.Outcome
SkipReason = Reason
RoutingField = cond.Field
RoutingOperator = cond.Operator
strawberry.enum(Presence, description="Whether an agent takes sessions now.")
strawberry.enum(
    RoutingOutcome, name="RoutingOutcome", description="What routing did with a session."
)
strawberry.enum(SkipReason, name="SkipReason", description="Why a routing level was passed over.")
strawberry.enum(RoutingField, name="RoutingField", description="What a routing condition looks at.")
strawberry.enum(RoutingOperator, name="RoutingOperator", description="How a condition compares.")


@strawberry.enum(description="A day of the week.")
class Weekday(Enum):
    MON = "MON"
    TUE = "TUE"
    WED = "WED"
    THU = "THU"
    FRI = "FRI"
    SAT = "SAT"
    SUN = "SUN"


@strawberry.type(description="A weekly opening period of a reception group (local time).")
class OpeningPeriod:
    day: Weekday = strawberry.field(description="The day.")
    start: str = strawberry.field(description="Opens at HH:MM.")
    end: str = strawberry.field(description="Closes at HH:MM (24:00: end of day).")


@strawberry.type(description="A member of a reception group.")
class GroupMember:
    max_sessions: int = strawberry.field(description="Concurrent sessions at most.")
    _account_id: strawberry.Private[int]

    @strawberry.field(description="The agent.")
    async def agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._account_id)


@strawberry.type(description="A reception group (skill group) receiving chats and calls.")
class ReceptionGroup:
    id: strawberry.ID = strawberry.field(description="The group's id.")
    name: str = strawberry.field(description="Unique name.")
    time_zone: str = strawberry.field(description="The IANA zone of its schedule and holidays.")
    schedule: list[OpeningPeriod] = strawberry.field(
        description="Weekly opening periods; empty means always open."
    )
    holidays: list[str] = strawberry.field(description="Closed dates, YYYY-MM-DD.")
    queue_id: strawberry.ID | None = strawberry.field(description="The linked queue, if any.")
    max_queue_length: int | None = strawberry.field(
        description="Smart judgement: all agents busy, visitors may wait while fewer than this "
        "are waiting. Null (with maxWaitSeconds null): all busy overflows."
    )
    max_wait_seconds: int | None = strawberry.field(
        description="Smart judgement: visitors may wait while the expected wait is within this."
    )
    average_handle_seconds: int = strawberry.field(
        description="Average handling time, for the expected wait."
    )
    members: list[GroupMember] = strawberry.field(description="Its agents.")

    @classmethod
    def of(
        cls, row: models.ReceptionGroup, members: list[models.ReceptionGroupMember]
    ) -> ReceptionGroup:
        return cls(
            id=gid(row.id),
            name=row.name,
            time_zone=row.time_zone,
            schedule=[
                OpeningPeriod(day=Weekday(p["day"]), start=p["start"], end=p["end"])
                for p in row.schedule
            ],
            holidays=list(row.holidays),
            queue_id=gid(row.queue_id) if row.queue_id else None,
            max_queue_length=row.max_queue_length,
            max_wait_seconds=row.max_wait_seconds,
            average_handle_seconds=row.average_handle_seconds,
            members=[
                GroupMember(max_sessions=m.max_sessions, _account_id=m.account_id) for m in members
            ],  # fmt: skip
        )


@strawberry.type(description="One condition of a routing rule.")
class RoutingCondition:
    field: RoutingField = strawberry.field(description="What it looks at.")
    operator: RoutingOperator = strawberry.field(description="How it compares.")
    values: list[str] = strawberry.field(description="The values compared with.")
    key: str | None = strawberry.field(description="The customer field (CUSTOMER_FIELD).")

    @classmethod
    def of(cls, c: cond.Condition) -> RoutingCondition:
        return cls(field=c.field, operator=c.operator, values=list(c.values), key=c.key)


@strawberry.type(description="A smart routing rule (R-CC-9).")
class RoutingRule:
    id: strawberry.ID = strawberry.field(description="The rule's id.")
    name: str = strawberry.field(description="Unique name.")
    priority: int = strawberry.field(description="Rules are tried lowest first (then by id).")
    enabled: bool = strawberry.field(description="Switched on.")
    time_zone: str = strawberry.field(description="The zone of its time-of-day conditions.")
    all: list[RoutingCondition] = strawberry.field(description="Conditions that must all hold.")
    any: list[RoutingCondition] = strawberry.field(
        description="Conditions of which one must hold (when any are given)."
    )
    group_ids: list[strawberry.ID] = strawberry.field(
        description="Where matching sessions go: reception groups in overflow order."
    )
    _agent_id: strawberry.Private[int | None]

    @strawberry.field(description="An agent tried before the groups, if any.")
    async def target_agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._agent_id)

    @classmethod
    def of(cls, row: models.RoutingRule) -> RoutingRule:
        conditions = cond.from_json(row.conditions)
        return cls(
            id=gid(row.id),
            name=row.name,
            priority=row.priority,
            enabled=row.enabled,
            time_zone=row.time_zone,
            all=[RoutingCondition.of(c) for c in conditions.all],
            any=[RoutingCondition.of(c) for c in conditions.any],
            group_ids=[gid(g) for g in row.group_ids],
            _agent_id=row.target_agent_id,
        )


@strawberry.type(description="A routing level passed over, and why.")
class SkippedLevel:
    level: int = strawberry.field(description="1 to 3, or 0 for a rule's agent.")
    group_id: strawberry.ID | None = strawberry.field(description="The group (null: the agent).")
    group_name: str | None = strawberry.field(description="Its name when routed.")
    reason: SkipReason = strawberry.field(description="Why it had no capacity.")


@strawberry.type(description="Where routing sent a session (R-CC-8).")
class RoutingDecision:
    id: strawberry.ID = strawberry.field(description="The decision's id.")
    session_id: str = strawberry.field(description="The chat system's session id.")
    decided_at: datetime = strawberry.field(description="When (UTC).")
    outcome: RoutingOutcome = strawberry.field(description="Assigned, queued or no agent.")
    level: int | None = strawberry.field(
        description="The level used: 1 to 3, 0 for a rule's agent; null when none had capacity."
    )
    group_id: strawberry.ID | None = strawberry.field(description="The group used.")
    rule_id: strawberry.ID | None = strawberry.field(description="The rule that chose the groups.")
    queue_position: int | None = strawberry.field(description="Place in the queue (QUEUED).")
    message: str | None = strawberry.field(description="The no-agent answer (NO_AGENT).")
    skipped: list[SkippedLevel] = strawberry.field(description="Levels passed over, in order.")
    _agent_id: strawberry.Private[int | None]

    @strawberry.field(description="The agent chosen (ASSIGNED).")
    async def agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._agent_id)

    @classmethod
    def of(cls, row: models.RoutingDecision) -> RoutingDecision:
        return cls(
            id=gid(row.id),
            session_id=row.session_id,
            decided_at=row.decided_at,
            outcome=row.outcome,
            level=row.level,
            group_id=gid(row.group_id) if row.group_id else None,
            rule_id=gid(row.rule_id) if row.rule_id else None,
            queue_position=row.queue_position,
            message=row.message,
            skipped=[
                SkippedLevel(
                    level=s["level"],
                    group_id=gid(s["groupId"]) if s["groupId"] else None,
                    group_name=s["groupName"],
                    reason=Reason(s["reason"]),
                )
                for s in row.skipped
            ],  # fmt: skip
            _agent_id=row.agent_id,
        )


@strawberry.type(description="The routing settings.")
class RoutingSettings:
    no_agent_message: str = strawberry.field(
        description="What a visitor is told when no level has capacity."
    )
    default_group_ids: list[strawberry.ID] = strawberry.field(
        description="Where sessions go that name no group and match no rule."
    )

    @classmethod
    def of(cls, row: models.RoutingSettings) -> RoutingSettings:
        return cls(
            no_agent_message=row.no_agent_message,
            default_group_ids=[gid(g) for g in row.default_group_ids],
        )


@strawberry.type(description="How one rule fared in a dry run.")
class RuleEvaluation:
    rule: RoutingRule = strawberry.field(description="The rule.")
    matched: bool = strawberry.field(description="Whether its conditions hold.")
    reasons: list[str] = strawberry.field(description="Each condition, held or not, and why.")


@strawberry.type(description="A dry run of the routing rules for a session's facts.")
class RuleDryRun:
    matched_rule: RoutingRule | None = strawberry.field(
        description="The rule routing would use: the first that matches, in priority order."
    )
    evaluations: list[RuleEvaluation] = strawberry.field(description="Every rule, in order.")


@strawberry.type(description="An agent's presence.")
class AgentPresence:
    state: Presence = strawberry.field(description="Online, away or offline.")
    changed_at: datetime = strawberry.field(description="Since when (UTC).")
    _account_id: strawberry.Private[int]

    @strawberry.field(description="The agent.")
    async def agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._account_id)

    @classmethod
    def of(cls, row: models.AgentPresence) -> AgentPresence:
        return cls(state=row.state, changed_at=row.changed_at, _account_id=row.account_id)
