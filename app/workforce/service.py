"""Agent status interval imports, idempotent by (agent, start)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.checks import aware, batch_size
from app.db import counts, upsert_by_key
from app.directory import agents
from app.errors import InvalidInput
from app.events import log
from app.workforce import models


@dataclass
class IntervalInput:
    agent_account: str
    status: models.AgentStatus
    started_at: datetime
    ended_at: datetime


async def import_intervals(*, actor: Principal, items: list[IntervalInput]) -> tuple[int, int]:
    """Intervals of one agent in a batch must not overlap. All or nothing."""
    batch_size(items, "intervals")
    found = await agents.resolve(
        [i.agent_account for i in items], field=lambda n: f"intervals[{n}].agentAccount"
    )
    rows = []
    by_agent: dict[int, list[tuple[datetime, datetime, int]]] = {}
    for n, (item, agent) in enumerate(zip(items, found, strict=True)):
        where = f"intervals[{n}]"
        if agent is None:
            raise InvalidInput("agentAccount is required.", field=f"{where}.agentAccount")
        start, end = (
            aware(item.started_at, f"{where}.startedAt"),
            aware(item.ended_at, f"{where}.endedAt"),
        )
        if end <= start:
            raise InvalidInput("endedAt must be after startedAt.", field=f"{where}.endedAt")
        by_agent.setdefault(agent.id, []).append((start, end, n))
        rows.append(
            {
                "agent_id": agent.id,
                "started_at": start,
                "status": item.status,
                "ended_at": end,
                "start_epoch": int(start.timestamp()),
                "end_epoch": int(end.timestamp()),
            }
        )
    for spans in by_agent.values():
        spans.sort()
        for (_, e1, _), (s2, _, n) in zip(spans, spans[1:], strict=False):
            if s2 < e1:
                raise InvalidInput(
                    "This interval overlaps another of the same agent.",
                    field=f"intervals[{n}].startedAt",
                )
    async with in_transaction() as conn:
        outcome = await upsert_by_key(
            models.AgentStatusInterval, rows, key=("agent_id", "started_at"), conn=conn
        )
        await log.append(
            conn, "agent_status.imported", None, {"count": len(items)}, actor=actor, source="import"
        )
    return counts(outcome)
