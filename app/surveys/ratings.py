"""Five-level ratings of chat sessions and calls (R-SAT-1): imports, idempotent per session or
call (a new rating replaces the old one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.channels import Channel
from app.chat.models import ChatSession
from app.checks import aware, batch_size
from app.db import counts, upsert_by_key
from app.directory import agents
from app.errors import InvalidInput
from app.events import log
from app.surveys import models
from app.telephony.models import CallRecord


@dataclass
class RatingInput:
    channel: Channel
    level: models.SatisfactionLevel
    rated_at: datetime
    session_id: str | None = None  # exactly one of session_id and main_call_id
    main_call_id: str | None = None
    comment: str | None = None
    agent_account: str | None = None


def clean_comment(comment: str | None, field: str = "comment") -> str | None:
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > 1000:
        raise InvalidInput("comment is at most 1000 characters.", field=field)
    return comment


async def import_ratings(*, actor: Principal, items: list[RatingInput]) -> tuple[int, int]:
    """All or nothing."""
    batch_size(items, "ratings")
    session_ids = dict(
        await ChatSession.filter(
            session_id__in=[i.session_id for i in items if i.session_id]
        ).values_list("session_id", "id")
    )
    known_calls = set(
        await CallRecord.filter(
            call_id__in=[i.main_call_id for i in items if i.main_call_id], is_main=True
        ).values_list("call_id", flat=True)
    )
    rated = await agents.resolve(
        [i.agent_account for i in items], field=lambda n: f"ratings[{n}].agentAccount"
    )
    rows = []
    for n, item in enumerate(items):
        where = f"ratings[{n}]"
        if bool(item.session_id) == bool(item.main_call_id):
            raise InvalidInput(
                "Give exactly one of sessionId and mainCallId.", field=f"{where}.sessionId"
            )
        if item.session_id and item.session_id not in session_ids:
            raise InvalidInput(f"Unknown session {item.session_id!r}.", field=f"{where}.sessionId")
        if item.main_call_id and item.main_call_id not in known_calls:
            raise InvalidInput(
                f"Unknown main call {item.main_call_id!r}.", field=f"{where}.mainCallId"
            )
        agent = rated[n]
        rows.append(
            {
                "session_id": session_ids.get(item.session_id or ""),
                "main_call_id": item.main_call_id,
                "channel": item.channel,
                "level": item.level,
                "comment": clean_comment(item.comment, f"{where}.comment"),
                "rated_at": aware(item.rated_at, f"{where}.ratedAt"),
                "agent_id": agent.id if agent else None,
            }
        )
    async with in_transaction() as conn:
        outcome = await upsert_by_key(
            models.SatisfactionRating,
            [r for r in rows if r["session_id"]],
            key=("session_id",),
            conn=conn,
        )
        outcome += await upsert_by_key(
            models.SatisfactionRating,
            [r for r in rows if not r["session_id"]],
            key=("main_call_id",),
            conn=conn,
        )
        await log.append(
            conn,
            "ratings.imported",
            None,
            {
                "count": len(rows),
                "sessionIds": sorted(i.session_id for i in items if i.session_id),
                "mainCallIds": sorted(i.main_call_id for i in items if i.main_call_id),
            },
            actor=actor,
            source="import",
        )
    return counts(outcome)
