"""Chat session imports (idempotent by the chat system's session id) and their transfer
history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.channels import Channel
from app.chat import models
from app.checks import aware, batch_size
from app.db import counts, upsert_by_key
from app.directory import agents
from app.directory.models import Contact
from app.errors import InvalidInput
from app.events import log


@dataclass
class SessionTransferInput:
    from_agent: str | None
    to_agent: str | None
    transferred_at: datetime
    reason: str | None = None


@dataclass
class SessionInput:
    session_id: str
    channel: Channel
    started_at: datetime
    ended_at: datetime | None = None
    agent_account: str | None = None
    contact_id: int | None = None
    transfers: list[SessionTransferInput] | None = None


async def _check(items: list[SessionInput]) -> None:
    known_contacts = set(
        await Contact.filter(
            id__in=[c.contact_id for c in items if c.contact_id is not None]
        ).values_list("id", flat=True)
    )
    seen = set()
    for i, item in enumerate(items):
        where = f"sessions[{i}]"
        if not item.session_id or len(item.session_id) > 64:
            raise InvalidInput("sessionId is 1-64 characters.", field=f"{where}.sessionId")
        if item.session_id in seen:
            raise InvalidInput("Duplicate sessionId in this batch.", field=f"{where}.sessionId")
        seen.add(item.session_id)
        started = aware(item.started_at, f"{where}.startedAt")
        ended = aware(item.ended_at, f"{where}.endedAt")
        if ended is not None and ended < started:
            raise InvalidInput("endedAt is before startedAt.", field=f"{where}.endedAt")
        if item.contact_id is not None and item.contact_id not in known_contacts:
            raise InvalidInput("No such contact.", field=f"{where}.contactId")
        for j, t in enumerate(item.transfers or []):
            aware(t.transferred_at, f"{where}.transfers[{j}].transferredAt")


async def import_sessions(*, actor: Principal, items: list[SessionInput]) -> tuple[int, int]:
    """Create or replace sessions (and their transfer history) by sessionId. All or nothing."""
    batch_size(items, "sessions")
    served = await agents.resolve(
        [s.agent_account for s in items], field=lambda i: f"sessions[{i}].agentAccount"
    )
    await _check(items)
    names = [name for s in items for t in s.transfers or [] for name in (t.from_agent, t.to_agent)]
    handed = {
        name: agent
        for name, agent in zip(
            names, await agents.resolve(names, field="sessions.transfers.agent"), strict=True
        )
    }
    rows = [
        {
            "session_id": item.session_id,
            "channel": item.channel,
            "started_at": aware(item.started_at, ""),
            "ended_at": aware(item.ended_at, ""),
            "agent_id": agent.id if agent else None,
            "contact_id": item.contact_id,
            "transfer_count": len(item.transfers or []),
        }
        for item, agent in zip(items, served, strict=True)
    ]
    async with in_transaction() as conn:
        outcome = await upsert_by_key(models.ChatSession, rows, key=("session_id",), conn=conn)
        await (
            models.SessionTransfer.filter(
                session_id__in=[s.id for s, created in outcome if not created]
            )
            .using_db(conn)
            .delete()
        )
        await models.SessionTransfer.bulk_create(
            [
                models.SessionTransfer(
                    session_id=session.id,
                    from_agent_id=_id(handed.get(t.from_agent)),
                    to_agent_id=_id(handed.get(t.to_agent)),
                    transferred_at=aware(t.transferred_at, ""),
                    reason=(t.reason or "")[:200] or None,
                )
                for (session, _), item in zip(outcome, items, strict=True)
                for t in item.transfers or []
            ],
            using_db=conn,
        )
        await log.append(
            conn,
            "sessions.imported",
            None,
            {"sessionIds": sorted(s.session_id for s in items)},
            actor=actor,
            source="import",
        )
    return counts(outcome)


def _id(agent: agents.Agent | None) -> int | None:
    return agent.id if agent else None


async def transfers_by_session(ids: list[int]) -> dict[int, list[models.SessionTransfer]]:
    found: dict[int, list[models.SessionTransfer]] = {i: [] for i in ids}
    for row in await models.SessionTransfer.filter(session_id__in=ids).order_by(
        "transferred_at", "id"
    ):
        found[row.session_id].append(row)
    return found
