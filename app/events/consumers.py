"""Named consumers of the event log (the Zendesk sync, call-event push, subscriptions ...),
each with its own cursor in ``event_consumer``.

Several processes may run the same consumer: :func:`consume` locks the consumer's row
(``FOR UPDATE SKIP LOCKED``), so one process handles a batch while the others skip it, and the
cursor moves in the same transaction as the handler's own writes. Events come in commit order
(:func:`app.events.log.read_stable`), so a cursor never passes an event that commits later.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from app.db import is_postgres
from app.events import log, models

Handler = Callable[[list[models.DomainEvent]], Awaitable[None]]


async def consume(name: str, handler: Handler, *, limit: int = 100) -> int:
    """Hand the consumer's next events to ``handler`` and move its cursor past them.

    Returns how many events were handled: 0 when none are waiting or another process holds
    this consumer. If the handler raises, the cursor stays where it was.
    """
    consumer = await models.EventConsumer.get_or_none(name=name)
    if consumer is None:
        consumer, _ = await models.EventConsumer.get_or_create(name=name)
    # Nothing new (the common case of a poll): answered by a plain read, without opening a
    # transaction (on SQLite it would take the write lock) or locking the consumer.
    after = log.Cursor(tx=consumer.position_tx, id=consumer.position)
    if not await log.read_after(after, limit=1):
        return 0
    async with in_transaction() as conn:
        query = models.EventConsumer.filter(name=name).using_db(conn)
        if is_postgres(conn):
            query = query.select_for_update(skip_locked=True)
        consumer = await query.first()
        if consumer is None:
            return 0
        after = log.Cursor(tx=consumer.position_tx, id=consumer.position)
        events = await log.read_stable(after, limit=limit, conn=conn)
        if not events:
            return 0
        await handler(events)
        consumer.position_tx, consumer.position = events[-1].tx, events[-1].id
        await consumer.save(using_db=conn, update_fields=["position", "position_tx", "updated_at"])
        return len(events)


async def cursor(name: str) -> int:
    """The id of the last event the consumer handled (0 before the first)."""
    consumer = await models.EventConsumer.get_or_none(name=name)
    return consumer.position if consumer else 0


async def start_at_head(name: str) -> None:
    """Make a new consumer start with the events logged from now on."""
    consumer, _ = await models.EventConsumer.get_or_create(name=name)
    head = await log.head_cursor()
    consumer.position_tx, consumer.position = head.tx, head.id
    await consumer.save(update_fields=["position", "position_tx", "updated_at"])


@dataclass(frozen=True)
class ConsumerState:
    name: str
    position: int
    lag: int  # events committed after its position
    updated_at: datetime


async def states() -> list[ConsumerState]:
    """Every consumer with how far behind the log it is."""
    return [
        ConsumerState(
            name=c.name,
            position=c.position,
            lag=await log.count_after(log.Cursor(tx=c.position_tx, id=c.position)),
            updated_at=c.updated_at,
        )
        for c in await models.EventConsumer.all().order_by("name")
    ]
