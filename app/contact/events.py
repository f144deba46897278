"""The domain event log: every accepted change to the contact-center record, in commit order.

Writers call :func:`append` inside the transaction that makes the change, so an event exists
exactly when its change does. Readers are named consumers (the Zendesk sync, call-event push,
GraphQL subscriptions ...), each with its own cursor in ``event_consumer``.

Commit order: ids come from a sequence, and two transactions could commit out of id order, so a
reader could move its cursor past an id that commits later. On PostgreSQL :func:`append` takes a
transaction-level advisory lock before it inserts, so event-writing transactions commit one after
another from that point on (writers append last, just before commit, to keep the lock short).
SQLite has a single writer anyway. It also sends ``NOTIFY deskql_events`` so waiting consumers in
other processes wake up at once.

Several processes may run the same consumer: :func:`consume` locks the consumer's row
(``FOR UPDATE SKIP LOCKED``), so one process handles a batch while the others skip it, and the
cursor moves in the same transaction as the handler's own writes.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timezone

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from app.contact import models
from app.contact.sql import db_datetime, dialect, is_postgres

NOTIFY_CHANNEL = "deskql_events"
_APPEND_LOCK = 0x6465736B  # "desk": the advisory lock serialising event writers


async def append(conn: BaseDBAsyncClient, topic: str, subject_id: str | None,
                 payload: dict) -> None:
    """Record one event in the caller's transaction ``conn``."""
    await append_many(conn, [(topic, subject_id, payload)])


async def append_many(conn: BaseDBAsyncClient,
                      events: Iterable[tuple[str, str | None, dict]]) -> None:
    events = list(events)
    if not events:
        return
    now = db_datetime(datetime.now(timezone.utc), conn)
    if is_postgres(conn):
        await conn.execute_query(f"SELECT pg_advisory_xact_lock({_APPEND_LOCK})")
    await conn.execute_many(
        dialect("INSERT INTO domain_event (topic, subject_id, payload, occurred_at) "
                "VALUES (?, ?, ?, ?)", conn),
        [[topic, subject_id, json.dumps(payload, default=str, ensure_ascii=False), now]
         for topic, subject_id, payload in events],
    )
    if is_postgres(conn):
        await conn.execute_query(f"NOTIFY {NOTIFY_CHANNEL}")


async def read(after: int = 0, limit: int = 100) -> list[models.DomainEvent]:
    return await models.DomainEvent.filter(id__gt=after).order_by("id").limit(limit)


async def consume(name: str, handler: Callable[[list[models.DomainEvent]], Awaitable[None]],
                  *, limit: int = 100) -> int:
    """Hand the consumer's next events to ``handler`` and move its cursor past them.

    Returns how many events were handled: 0 when none are waiting or another process holds
    this consumer. If the handler raises, the cursor stays where it was.
    """
    await models.EventConsumer.get_or_create(name=name)
    async with in_transaction() as conn:
        query = models.EventConsumer.filter(name=name).using_db(conn)
        if is_postgres(conn):
            query = query.select_for_update(skip_locked=True)
        consumer = await query.first()
        if consumer is None:
            return 0
        events = await models.DomainEvent.filter(id__gt=consumer.position).order_by(
            "id").limit(limit).using_db(conn)
        if not events:
            return 0
        await handler(events)
        consumer.position = events[-1].id
        await consumer.save(using_db=conn, update_fields=["position", "updated_at"])
        return len(events)


async def cursor(name: str) -> int:
    consumer = await models.EventConsumer.get_or_none(name=name)
    return consumer.position if consumer else 0
