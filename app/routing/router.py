"""``routeSession``: where a starting session goes (R-CC-8, R-CC-9), decided and stored.

The levels are the groups the session names (up to three, in order); without them, the first
enabled routing rule (by priority, then id) whose conditions match the session's facts gives
them (and possibly an agent, tried first); without a matching rule, the settings' default
groups. app/routing/capacity.py decides across the levels; the decision is stored with the level
used and why earlier levels were skipped, and recorded as a domain event.

Everything is read in the decision's transaction, so two processes never give the last free
slot twice: on PostgreSQL a transaction-level advisory lock serialises decisions, on SQLite the
write transaction does (BEGIN IMMEDIATE, app/sqlite). An agent's load is the sessions they serve
now plus the sessions routed to them that the chat system has not assigned yet; a group's queue
is its sessions queued and not yet assigned. Both count only a session's latest decision of the
last day. The compiled rules are kept per process and refreshed when the settings' revision
moves (read in every decision), so processes never disagree on the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.db import db_datetime, dialect, is_postgres, placeholders
from app.errors import InvalidInput
from app.events import log
from app.routing import conditions as cond
from app.routing import models
from app.routing.capacity import MAX_LEVELS, Decision, GroupState, Member, decide, parse_periods
from app.routing.models import Outcome, Presence

PENDING_WINDOW = timedelta(days=1)
ADVISORY_KEY = 0x0D35_C0_0001  # pg_advisory_xact_lock: one routing decision at a time


@dataclass(frozen=True)
class CompiledRule:
    id: int
    name: str
    matches: Callable[[cond.Facts], bool]
    group_ids: tuple[int, ...]
    agent_id: int | None


_rules: dict[str, Any] = {"revision": None, "rules": []}


def compile_rules(rows: list[models.RoutingRule]) -> list[CompiledRule]:
    ordered = sorted((r for r in rows if r.enabled), key=lambda r: (r.priority, r.id))
    return [
        CompiledRule(
            r.id,
            r.name,
            cond.compile_conditions(cond.from_json(r.conditions), ZoneInfo(r.time_zone)),
            tuple(r.group_ids),
            r.target_agent_id,
        )
        for r in ordered
    ]


def first_match(rules: list[CompiledRule], facts: cond.Facts) -> CompiledRule | None:
    for rule in rules:
        if rule.matches(facts):
            return rule
    return None


async def _compiled(conn: BaseDBAsyncClient, revision: int) -> list[CompiledRule]:
    if _rules["revision"] != revision:
        rows = await models.RoutingRule.all().using_db(conn)
        _rules["rules"], _rules["revision"] = compile_rules(list(rows)), revision
    return _rules["rules"]


@dataclass
class Routed:
    decision: models.RoutingDecision
    rule: CompiledRule | None


async def route_session(
    *,
    actor: Principal,
    session_id: str,
    channel: str | None,
    group_ids: list[int],
    facts: cond.Facts,
    now: datetime,
) -> Routed:
    session_id = session_id.strip()
    if not session_id or len(session_id) > 64:
        raise InvalidInput("sessionId must be 1 to 64 characters.", field="input.sessionId")
    if len(group_ids) > MAX_LEVELS or len(set(group_ids)) != len(group_ids):
        raise InvalidInput(f"At most {MAX_LEVELS} different groups.", field="input.groupIds")
    async with in_transaction() as conn:
        if is_postgres(conn):
            await conn.execute_query(f"SELECT pg_advisory_xact_lock({ADVISORY_KEY})")
        config = await models.RoutingSettings.get_or_create(id=1, using_db=conn)
        settings = config[0]
        rule = None
        levels = list(group_ids)
        if not levels:
            rule = first_match(await _compiled(conn, settings.revision), facts)
            levels = list(rule.group_ids) if rule else list(settings.default_group_ids)
        groups = await _groups(conn, levels, session_id, now)
        missing = [i for i, gid in enumerate(levels) if gid not in groups]
        if missing and group_ids:
            raise InvalidInput("No such reception group.", field=f"input.groupIds[{missing[0]}]")
        agent = None
        if rule is not None and rule.agent_id is not None:
            agent = await _agent(conn, rule.agent_id, session_id, now)
        decision = decide([groups[g] for g in levels if g in groups], now, agent=agent)
        row = await _store(conn, session_id, channel, now, decision, rule, settings)
        await log.append(conn, "routing.decided", session_id, _payload(row, rule), actor=actor)
    return Routed(row, rule)


async def _store(
    conn: BaseDBAsyncClient,
    session_id: str,
    channel: str | None,
    now: datetime,
    decision: Decision,
    rule: CompiledRule | None,
    settings: models.RoutingSettings,
) -> models.RoutingDecision:
    return await models.RoutingDecision.create(
        session_id=session_id,
        channel=channel,
        decided_at=now,
        outcome=decision.outcome,
        level=decision.level,
        group_id=decision.group.id if decision.group else None,
        agent_id=decision.agent_id,
        rule_id=rule.id if rule else None,
        skipped=[
            {
                "level": s.level,
                "groupId": s.group_id,
                "groupName": s.group_name,
                "reason": s.reason.value,
            }
            for s in decision.skipped
        ],  # fmt: skip
        queue_position=decision.queue_position,
        message=settings.no_agent_message if decision.outcome is Outcome.NO_AGENT else None,
        using_db=conn,
    )


def _payload(row: models.RoutingDecision, rule: CompiledRule | None) -> dict[str, Any]:
    return {
        "sessionId": row.session_id,
        "outcome": row.outcome.value,
        "level": row.level,
        "groupId": row.group_id,
        "agentId": row.agent_id,
        "ruleId": rule.id if rule else None,
        "skipped": row.skipped,
    }


# -- the state a decision reads ------------------------------------------------------------------

_PENDING = (
    " AND d.decided_at >= ? AND d.session_id <> ?"
    " AND NOT EXISTS (SELECT 1 FROM routing_decision n"
    " WHERE n.session_id = d.session_id AND n.id > d.id)"
    " AND (s.id IS NULL OR (s.agent_id IS NULL AND s.ended_at IS NULL))"
)


async def _select(conn: BaseDBAsyncClient, sql: str, params: list) -> list[Any]:
    _, rows = await conn.execute_query(dialect(sql, conn), params)
    return list(rows)


async def _loads(
    conn: BaseDBAsyncClient, agent_ids: list[int], session_id: str, now: datetime
) -> dict[int, int]:
    if not agent_ids:
        return {}
    marks = placeholders(len(agent_ids))
    loads: dict[int, int] = dict.fromkeys(agent_ids, 0)
    serving = await _select(
        conn,
        "SELECT agent_id, COUNT(*) FROM chat_session WHERE ended_at IS NULL "
        f"AND agent_id IN ({marks}) GROUP BY agent_id",
        list(agent_ids),
    )
    routed = await _select(
        conn,
        "SELECT d.agent_id, COUNT(*) FROM routing_decision d "
        "LEFT JOIN chat_session s ON s.session_id = d.session_id "
        f"WHERE d.outcome = 'ASSIGNED' AND d.agent_id IN ({marks}){_PENDING} GROUP BY d.agent_id",
        [*agent_ids, db_datetime(now - PENDING_WINDOW, conn), session_id],
    )
    for agent_id, count in [*serving, *routed]:
        loads[agent_id] += count
    return loads


async def _groups(
    conn: BaseDBAsyncClient, ids: list[int], session_id: str, now: datetime
) -> dict[int, GroupState]:
    if not ids:
        return {}
    rows = await models.ReceptionGroup.filter(id__in=ids).using_db(conn)
    marks = placeholders(len(ids))
    members = await _select(
        conn,
        "SELECT m.group_id, m.account_id, m.max_sessions, p.state FROM reception_group_member m "
        "JOIN account a ON a.id = m.account_id AND a.status = 'ACTIVE' "
        "LEFT JOIN agent_presence p ON p.account_id = m.account_id "
        f"WHERE m.group_id IN ({marks}) ORDER BY m.group_id, m.account_id",
        list(ids),
    )
    waiting = dict(
        await _select(
            conn,
            "SELECT d.group_id, COUNT(*) FROM routing_decision d "
            "LEFT JOIN chat_session s ON s.session_id = d.session_id "
            f"WHERE d.outcome = 'QUEUED' AND d.group_id IN ({marks}){_PENDING} GROUP BY d.group_id",
            [*ids, db_datetime(now - PENDING_WINDOW, conn), session_id],
        )
    )
    loads = await _loads(conn, sorted({m[1] for m in members}), session_id, now)
    by_group: dict[int, list[Member]] = {}
    for group_id, account_id, most, state in members:
        by_group.setdefault(group_id, []).append(
            Member(account_id, state == Presence.ONLINE.value, most, loads.get(account_id, 0))
        )
    return {
        row.id: GroupState(
            id=row.id,
            name=row.name,
            zone=ZoneInfo(row.time_zone),
            periods=parse_periods(row.schedule),
            holidays=frozenset(date.fromisoformat(d) for d in row.holidays),
            members=tuple(by_group.get(row.id, ())),
            waiting=waiting.get(row.id, 0),
            max_queue_length=row.max_queue_length,
            max_wait_seconds=row.max_wait_seconds,
            average_handle_seconds=row.average_handle_seconds,
        )
        for row in rows
    }


async def _agent(conn: BaseDBAsyncClient, agent_id: int, session_id: str, now: datetime) -> Member:
    presence = await models.AgentPresence.filter(account_id=agent_id).using_db(conn).first()
    most = await _select(
        conn,
        "SELECT MAX(max_sessions) FROM reception_group_member WHERE account_id = ?",
        [agent_id],
    )
    load = (await _loads(conn, [agent_id], session_id, now))[agent_id]
    online = presence is not None and presence.state is Presence.ONLINE
    return Member(agent_id, online, most[0][0] or 3, load)


async def evaluate_rules(facts: cond.Facts) -> list[tuple[models.RoutingRule, cond.Verdict]]:
    """Every rule in the order routing tries them (disabled ones included, never matching)
    with why it matches or not: the dry run of the settings page."""
    rows = sorted(await models.RoutingRule.all(), key=lambda r: (r.priority, r.id))
    out = []
    for row in rows:
        verdict = cond.evaluate(cond.from_json(row.conditions), facts, ZoneInfo(row.time_zone))
        if not row.enabled:
            verdict = cond.Verdict(False, ("the rule is switched off", *verdict.reasons))
        out.append((row, verdict))
    return out


async def decisions_by_session(ids: list[str]) -> dict[str, list[models.RoutingDecision]]:
    """Every routing decision of these sessions, oldest first (chatSession.routingDecisions)."""
    found: dict[str, list[models.RoutingDecision]] = {}
    for row in await models.RoutingDecision.filter(session_id__in=ids).order_by("id"):
        found.setdefault(row.session_id, []).append(row)
    return found
