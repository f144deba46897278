"""Appending to the domain event log, and reading it.

Writers call :func:`append` inside the transaction that makes the change, so an event exists
exactly when its change does. Every event records who caused it (``actor``) and through what
(``source``), so a consumer can recognise its own changes (the Zendesk sync does not echo back
what came from Zendesk).

Commit order: ids come from a sequence, and two transactions could commit out of id order, so a
reader could move its cursor past an id that commits later. On PostgreSQL :func:`append` takes a
transaction-level advisory lock before it inserts, so event-writing transactions commit one after
another from that point on (writers append last, just before commit, to keep the lock short).
SQLite has a single writer anyway. It also sends ``NOTIFY deskql_events`` so waiting consumers in
other processes wake up at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

from tortoise.backends.base.client import BaseDBAsyncClient

from app.db import db_datetime, dialect, is_postgres
from app.events import models, topics

NOTIFY_CHANNEL = "deskql_events"
_APPEND_LOCK = 0x6465736B  # "desk": the advisory lock serialising event writers


class Actor(Protocol):
    """Who caused a change (app.accounts.principal.Principal is one)."""

    @property
    def actor_ref(self) -> str: ...

    @property
    def source(self) -> str: ...


@dataclass(frozen=True)
class Event:
    """One event to append: its topic (in the catalogue), subject and payload."""

    topic: str
    subject_id: str | None
    payload: dict[str, Any]


async def append(conn: BaseDBAsyncClient, topic: str, subject_id: str | None,
                 payload: dict[str, Any], *, actor: Actor, source: str | None = None) -> None:
    """Record one event in the caller's transaction ``conn``. ``source`` defaults to the
    actor's (``graphql`` for a signed-in account)."""
    await append_many(conn, [Event(topic, subject_id, payload)], actor=actor, source=source)


async def append_many(conn: BaseDBAsyncClient, events: Iterable[Event], *, actor: Actor,
                      source: str | None = None) -> None:
    batch = list(events)
    if not batch:
        return
    source = source or actor.source
    for event in batch:
        topics.check(event.topic, event.payload, source)
    now = db_datetime(datetime.now(timezone.utc), conn)
    postgres = is_postgres(conn)
    if postgres:
        await conn.execute_query(f"SELECT pg_advisory_xact_lock({_APPEND_LOCK})")
    await conn.execute_many(
        dialect("INSERT INTO domain_event (topic, subject_id, payload, actor, source, occurred_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", conn),
        [[e.topic, e.subject_id, json.dumps(e.payload, default=str, ensure_ascii=False),
          actor.actor_ref, source, now] for e in batch],
    )
    if postgres:
        await conn.execute_query(f"NOTIFY {NOTIFY_CHANNEL}")


async def read(*, after: int = 0, limit: int = 100) -> list[models.DomainEvent]:
    """Events after id ``after``, oldest first."""
    return await models.DomainEvent.filter(id__gt=after).order_by("id").limit(limit)


async def head() -> int:
    """The id of the newest event (0 when the log is empty)."""
    last = await models.DomainEvent.all().order_by("-id").first()
    return last.id if last else 0
