"""Editing what routing reads (R-CC-8, R-CC-9): reception groups and their members, routing
rules, the routing settings, agents' presence. Every change is validated first (BAD_USER_INPUT
naming the field, nothing written), written in one transaction with its domain event, and moves
the settings' revision so every process's compiled rules are refreshed on their next decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.accounts.models import Account, AccountStatus
from app.accounts.principal import Principal
from app.directory.models import Queue
from app.errors import Conflict, InvalidInput, NotFound
from app.events import log
from app.routing import conditions as cond
from app.routing import models
from app.routing.capacity import DAYS, MAX_LEVELS, parse_clock

MAX_NAME = 64
MAX_MEMBERS = 500
MAX_MESSAGE = 500


@dataclass
class GroupInput:
    name: str
    time_zone: str | None = None  # None: the business time zone
    schedule: list[tuple[str, str, str]] | None = None  # (day, start, end)
    holidays: list[str] | None = None
    queue_id: int | None = None
    max_queue_length: int | None = None
    max_wait_seconds: int | None = None
    average_handle_seconds: int = 300


@dataclass
class RuleInput:
    name: str
    priority: int
    conditions: cond.Conditions
    group_ids: list[int]
    target_agent: str | None = None
    enabled: bool = True
    time_zone: str | None = None


def _zone(name: str | None, default: str, field: str) -> str:
    zone = (name or default).strip()
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{zone!r} is not a known time zone.", field=field) from None
    return zone


def _count(value: int | None, field: str, *, lowest: int, highest: int) -> None:
    if value is not None and not lowest <= value <= highest:
        raise InvalidInput(f"{field} must be between {lowest} and {highest}.", field=field)


def _text(value: str, field: str, most: int) -> str:
    value = value.strip()
    if not value or len(value) > most:
        raise InvalidInput(f"{field} must be 1 to {most} characters.", field=field)
    return value


async def _validated_group(data: GroupInput, zone_default: str) -> dict[str, Any]:
    schedule = []
    for i, (day, start, end) in enumerate(data.schedule or []):
        where = f"input.schedule[{i}]"
        if day not in DAYS:
            raise InvalidInput(f"day must be one of {', '.join(DAYS)}.", field=f"{where}.day")
        try:
            begins, ends = parse_clock(start), parse_clock(end, end=True)
        except ValueError:
            raise InvalidInput("Times are HH:MM (an end may be 24:00).", field=where) from None
        if ends <= begins:
            raise InvalidInput("A period ends after it starts.", field=f"{where}.end")
        schedule.append({"day": day, "start": start, "end": end})
    holidays = []
    for i, text in enumerate(data.holidays or []):
        try:
            holidays.append(date.fromisoformat(text).isoformat())
        except ValueError:
            raise InvalidInput("Holidays are YYYY-MM-DD.", field=f"input.holidays[{i}]") from None
    _count(data.max_queue_length, "input.maxQueueLength", lowest=0, highest=10_000)
    _count(data.max_wait_seconds, "input.maxWaitSeconds", lowest=0, highest=86_400)
    _count(data.average_handle_seconds, "input.averageHandleSeconds", lowest=1, highest=86_400)
    if data.queue_id is not None and not await Queue.exists(id=data.queue_id):
        raise InvalidInput("No such queue.", field="input.queueId")
    return {
        "name": _text(data.name, "input.name", MAX_NAME),
        "time_zone": _zone(data.time_zone, zone_default, "input.timeZone"),
        "schedule": schedule,
        "holidays": sorted(set(holidays)),
        "queue_id": data.queue_id,
        "max_queue_length": data.max_queue_length,
        "max_wait_seconds": data.max_wait_seconds,
        "average_handle_seconds": data.average_handle_seconds,
    }


async def _bump(conn: BaseDBAsyncClient) -> None:
    await settings(conn)
    await conn.execute_query("UPDATE routing_settings SET revision = revision + 1 WHERE id = 1")


async def settings(conn: BaseDBAsyncClient | None = None) -> models.RoutingSettings:
    query = models.RoutingSettings.get_or_create(id=1, using_db=conn)
    row, _ = await query
    return row


def _group_payload(row: models.ReceptionGroup) -> dict[str, Any]:
    return {"groupId": row.id, "name": row.name}


async def create_group(
    *, actor: Principal, data: GroupInput, zone_default: str
) -> models.ReceptionGroup:
    values = await _validated_group(data, zone_default)
    try:
        async with in_transaction() as conn:
            row = await models.ReceptionGroup.create(**values, using_db=conn)
            await _bump(conn)
            await log.append(conn, "routing.group_changed", str(row.id),
                             {**_group_payload(row), "change": "created"}, actor=actor)  # fmt: skip
    except IntegrityError:
        raise Conflict("A reception group has this name.", field="input.name") from None
    return row


async def update_group(
    *, actor: Principal, group_id: int, data: GroupInput, zone_default: str
) -> models.ReceptionGroup:
    values = await _validated_group(data, zone_default)
    try:
        async with in_transaction() as conn:
            row = await _group(group_id, conn)
            row.update_from_dict(values)
            await row.save(using_db=conn)
            await _bump(conn)
            await log.append(conn, "routing.group_changed", str(row.id),
                             {**_group_payload(row), "change": "updated"}, actor=actor)  # fmt: skip
    except IntegrityError:
        raise Conflict("A reception group has this name.", field="input.name") from None
    return row


async def delete_group(*, actor: Principal, group_id: int) -> None:
    async with in_transaction() as conn:
        row = await _group(group_id, conn)
        used = [
            r.name for r in await models.RoutingRule.all().using_db(conn) if group_id in r.group_ids
        ]
        if used:
            raise Conflict(f"Routing rules send sessions to this group: {', '.join(used)}.")
        await row.delete(using_db=conn)
        await _bump(conn)
        await log.append(conn, "routing.group_changed", str(group_id),
                         {**_group_payload(row), "change": "deleted"}, actor=actor)  # fmt: skip


async def _group(group_id: int, conn: BaseDBAsyncClient) -> models.ReceptionGroup:
    row = await models.ReceptionGroup.filter(id=group_id).using_db(conn).first()
    if row is None:
        raise NotFound("No such reception group.")
    return row


async def set_members(
    *, actor: Principal, group_id: int, members: list[tuple[str, int]]
) -> list[models.ReceptionGroupMember]:
    """Replace the group's members: (account name, maximum concurrent sessions 1-50)."""
    if len(members) > MAX_MEMBERS:
        raise InvalidInput(f"At most {MAX_MEMBERS} members.", field="members")
    names = [name for name, _ in members]
    for i, (name, most) in enumerate(members):
        _count(most, f"members[{i}].maxSessions", lowest=1, highest=50)
        if names.index(name) != i:
            raise InvalidInput("An account is listed twice.", field=f"members[{i}].account")
    accounts = {a.account: a for a in await Account.filter(account__in=names)}
    for i, name in enumerate(names):
        if name not in accounts:
            raise InvalidInput(f"No account {name!r}.", field=f"members[{i}].account")
    async with in_transaction() as conn:
        await _group(group_id, conn)
        await models.ReceptionGroupMember.filter(group_id=group_id).using_db(conn).delete()
        rows = [
            await models.ReceptionGroupMember.create(
                group_id=group_id, account_id=accounts[name].id, max_sessions=most, using_db=conn
            )
            for name, most in members
        ]
        await _bump(conn)
        await log.append(conn, "routing.group_changed", str(group_id),
                         {"groupId": group_id, "change": "members", "accounts": names},
                         actor=actor)  # fmt: skip
    return rows


async def _validated_rule(data: RuleInput, zone_default: str) -> dict[str, Any]:
    try:
        conditions = cond.validate(data.conditions)
    except cond.ConditionError as exc:
        where = exc.field.removeprefix("conditions").lstrip(".") or "all"
        raise InvalidInput(str(exc), field=f"input.{where}") from None
    _count(data.priority, "input.priority", lowest=0, highest=1_000_000)
    if not 1 <= len(data.group_ids) <= MAX_LEVELS:
        raise InvalidInput(f"A rule names 1 to {MAX_LEVELS} groups.", field="input.groupIds")
    if len(set(data.group_ids)) != len(data.group_ids):
        raise InvalidInput("A group is named twice.", field="input.groupIds")
    known = set(
        await models.ReceptionGroup.filter(id__in=data.group_ids).values_list("id", flat=True)
    )
    for i, gid in enumerate(data.group_ids):
        if gid not in known:
            raise InvalidInput("No such reception group.", field=f"input.groupIds[{i}]")
    agent_id = None
    if data.target_agent is not None:
        agent = await Account.filter(account=data.target_agent).first()
        if agent is None or agent.status is not AccountStatus.ACTIVE:
            raise InvalidInput("No active account of that name.", field="input.targetAgent")
        agent_id = agent.id
    return {
        "name": _text(data.name, "input.name", 100),
        "priority": data.priority,
        "enabled": data.enabled,
        "conditions": cond.to_json(conditions),
        "time_zone": _zone(data.time_zone, zone_default, "input.timeZone"),
        "target_agent_id": agent_id,
        "group_ids": list(data.group_ids),
    }


async def save_rule(
    *, actor: Principal, rule_id: int | None, data: RuleInput, zone_default: str
) -> models.RoutingRule:
    values = await _validated_rule(data, zone_default)
    try:
        async with in_transaction() as conn:
            if rule_id is None:
                row = await models.RoutingRule.create(**values, using_db=conn)
            else:
                row = await _rule(rule_id, conn)
                row.update_from_dict(values)
                await row.save(using_db=conn)
            await _bump(conn)
            await log.append(conn, "routing.rule_changed", str(row.id),
                             {"ruleId": row.id, "name": row.name,
                              "change": "created" if rule_id is None else "updated"},
                             actor=actor)  # fmt: skip
    except IntegrityError:
        raise Conflict("A routing rule has this name.", field="input.name") from None
    return row


async def delete_rule(*, actor: Principal, rule_id: int) -> None:
    async with in_transaction() as conn:
        row = await _rule(rule_id, conn)
        await row.delete(using_db=conn)
        await _bump(conn)
        await log.append(conn, "routing.rule_changed", str(rule_id),
                         {"ruleId": rule_id, "name": row.name, "change": "deleted"},
                         actor=actor)  # fmt: skip


async def _rule(rule_id: int, conn: BaseDBAsyncClient) -> models.RoutingRule:
    row = await models.RoutingRule.filter(id=rule_id).using_db(conn).first()
    if row is None:
        raise NotFound("No such routing rule.")
    return row


async def update_settings(
    *, actor: Principal, no_agent_message: str | None, default_group_ids: list[int] | None
) -> models.RoutingSettings:
    changes: dict[str, Any] = {}
    if no_agent_message is not None:
        changes["no_agent_message"] = _text(no_agent_message, "input.noAgentMessage", MAX_MESSAGE)
    if default_group_ids is not None:
        if len(default_group_ids) > MAX_LEVELS or len(set(default_group_ids)) != len(
            default_group_ids
        ):
            raise InvalidInput(
                f"At most {MAX_LEVELS} different groups.", field="input.defaultGroupIds"
            )
        known = set(
            await models.ReceptionGroup.filter(id__in=default_group_ids).values_list(
                "id", flat=True
            )
        )
        for i, gid in enumerate(default_group_ids):
            if gid not in known:
                raise InvalidInput("No such reception group.", field=f"input.defaultGroupIds[{i}]")
        changes["default_group_ids"] = list(default_group_ids)
    async with in_transaction() as conn:
        row = await settings(conn)
        row.update_from_dict(changes)
        await row.save(using_db=conn)
        await _bump(conn)
        await log.append(conn, "routing.settings_changed", "1",
                         {"changed": sorted(changes)}, actor=actor)  # fmt: skip
    return await settings()


async def set_presence(
    *, actor: Principal, account_id: int, state: models.Presence, now: datetime | None = None
) -> models.AgentPresence:
    """An agent's presence (their own, or anyone's for an integration or a supervisor)."""
    now = now or datetime.now(UTC)
    async with in_transaction() as conn:
        row = await models.AgentPresence.filter(account_id=account_id).using_db(conn).first()
        if row is None:
            row = await models.AgentPresence.create(
                account_id=account_id, state=state, changed_at=now, using_db=conn
            )
        elif row.state is state:
            return row  # no change, no event
        else:
            row.state, row.changed_at = state, now
            await row.save(using_db=conn)
        await log.append(conn, "agent.presence_changed", str(account_id),
                         {"agentId": account_id, "state": state.value}, actor=actor)  # fmt: skip
    return row
