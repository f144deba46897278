"""Live events from the telephony and chat systems carry their own ids. Applying an event,
remembering its id and logging the domain event happen in one transaction, so a replayed event
(same id) changes nothing, and an event that fails (unknown call, out of order) is not
remembered and can be sent again. Under concurrent replays the unique event id decides."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.checks import aware
from app.errors import InvalidInput
from app.events import models

T = TypeVar("T")


def check_event(event_id: str, occurred_at: datetime) -> datetime:
    """The event's id is 1-128 characters; its time, in UTC."""
    if not event_id or len(event_id) > 128:
        raise InvalidInput("eventId is 1-128 characters.", field="eventId")
    return aware(occurred_at, "occurredAt")


async def apply_once(
    event_id: str,
    kind: str,
    *,
    apply: Callable[[BaseDBAsyncClient], Awaitable[T]],
    current: Callable[[BaseDBAsyncClient | None], Awaitable[T]],
) -> tuple[bool, T]:
    """Run ``apply(conn)`` (which also appends its domain event) unless ``event_id`` was
    applied before. Returns ``(duplicate, result)``; a duplicate's result is ``current()``,
    the record as it stands."""
    try:
        async with in_transaction() as conn:
            if await models.IngestedEvent.filter(event_id=event_id).using_db(conn).exists():
                return True, await current(conn)
            await models.IngestedEvent.create(event_id=event_id, kind=kind, using_db=conn)
            return False, await apply(conn)
    except IntegrityError:
        # Another process applied the same event id first.
        return True, await current(None)
