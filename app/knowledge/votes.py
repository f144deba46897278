"""'Was this helpful?' votes (R-KC-6): public, one per client per question, rate-limited per
client so they cannot be stuffed."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from app.errors import NotFound, RateLimited
from app.knowledge import models

VOTES_PER_CLIENT_PER_HOUR = 30


def client_hash(*, secret_key: str, client: str) -> str:
    """Keyed, so the stored value reveals nothing about the client's address."""
    return hmac.new(secret_key.encode(), client.encode(), hashlib.sha256).hexdigest()


async def vote(*, question_id: int, helpful: bool, client: str) -> models.HelpQuestion:
    """A second vote by the same client replaces the first (counters move, never double)."""
    since = datetime.now(UTC) - timedelta(hours=1)
    if (
        await models.HelpVote.filter(client_hash=client, created_at__gte=since).count()
        >= VOTES_PER_CLIENT_PER_HOUR
    ):
        raise RateLimited(
            "Too many votes from this client; try again later.", retry_after_seconds=3600
        )
    async with in_transaction():
        question = await models.HelpQuestion.get_or_none(
            id=question_id, status=models.QuestionStatus.PUBLISHED
        )
        if question is None:
            raise NotFound(f"No help question with id {question_id}.")
        existing = await models.HelpVote.get_or_none(question_id=question.id, client_hash=client)
        if existing is None:
            try:
                async with in_transaction():
                    await models.HelpVote.create(
                        question=question, client_hash=client, helpful=helpful
                    )
            except IntegrityError:  # the same client voted twice at once: keep one
                return question
            await _count(question.id, helpful, +1)
        elif existing.helpful != helpful:
            existing.helpful = helpful
            await existing.save(update_fields=["helpful"])
            await _count(question.id, helpful, +1)
            await _count(question.id, not helpful, -1)
        await question.refresh_from_db(fields=["helpful_count", "not_helpful_count"])
    return question


async def _count(question_id: int, helpful: bool, delta: int) -> None:
    field = "helpful_count" if helpful else "not_helpful_count"
    await models.HelpQuestion.filter(id=question_id).update(**{field: F(field) + delta})
