"""Appending to the domain event log, and reading it in commit order.

Writers call :func:`append` inside the transaction that makes the change, so an event exists
exactly when its change does. Every event records who caused it (``actor``) and through what
(``source``), so a consumer can recognise its own changes (the Zendesk sync does not echo back
what came from Zendesk).

Commit order without serialising writers. Ids come from a sequence, and two transactions can
commit out of id order, so a reader that moved its cursor past the highest id it saw could skip
an id that commits later. On PostgreSQL each event also records its writing transaction's id
(``tx``, ``pg_current_xact_id()``), and readers (:func:`read_stable`) take only events of
transactions older than the oldest one still running (the snapshot's ``xmin``), in ``(tx, id)``
order: every transaction below ``xmin`` has ended, and any transaction that may still commit
has, or will get, an id at or above it, so the prefix a reader takes never grows behind its
cursor. Writers never wait for each other; a long-running writing transaction only delays the
readers. (This replaced a transaction-level advisory lock that made event writers commit one
after another: bench/events.py measured that lock at 10 % of one server process's event rate,
and a bare append at 1 300-1 700 vs 3 100-3 700 transactions/s with and without it.)
SQLite has a single writer: there ``tx`` is 0 and the order is the id order.

Appends also send ``NOTIFY deskql_events`` so consumers in other processes wake up at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from tortoise.backends.base.client import BaseDBAsyncClient

from app.db import connection, db_datetime, dialect, is_postgres
from app.events import models, topics

NOTIFY_CHANNEL = "deskql_events"


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


@dataclass(frozen=True, order=True)
class Cursor:
    """A position in the log's commit order: after event ``id`` of transaction ``tx``."""

    tx: int = 0
    id: int = 0


async def append(
    conn: BaseDBAsyncClient,
    topic: str,
    subject_id: str | None,
    payload: dict[str, Any],
    *,
    actor: Actor,
    source: str | None = None,
) -> None:
    """Record one event in the caller's transaction ``conn``. ``source`` defaults to the
    actor's (``graphql`` for a signed-in account)."""
    await append_many(conn, [Event(topic, subject_id, payload)], actor=actor, source=source)


async def append_many(
    conn: BaseDBAsyncClient,
    events: Iterable[Event],
    *,
    actor: Actor,
    source: str | None = None,
) -> None:
    batch = list(events)
    if not batch:
        return
    source = source or actor.source
    for event in batch:
        topics.check(event.topic, event.payload, source)
    now = db_datetime(datetime.now(UTC), conn)
    postgres = is_postgres(conn)
    tx = "pg_current_xact_id()::text::bigint" if postgres else "0"
    await conn.execute_many(
        dialect(
            "INSERT INTO domain_event (topic, subject_id, payload, actor, source, occurred_at, "
            f"tx) VALUES (?, ?, ?, ?, ?, ?, {tx})",
            conn,
        ),
        [
            [
                e.topic,
                e.subject_id,
                json.dumps(e.payload, default=str, ensure_ascii=False),
                actor.actor_ref,
                source,
                now,
            ]
            for e in batch
        ],
    )
    if postgres:
        await conn.execute_query(f"NOTIFY {NOTIFY_CHANNEL}")


async def read(
    *, after: int = 0, limit: int = 100, since: datetime | None = None
) -> list[models.DomainEvent]:
    """Events after id ``after`` (and logged after the instant ``since``), in id order: for
    people looking at the log. Consumers read with :func:`read_stable`."""
    query = models.DomainEvent.filter(id__gt=after)
    if since is not None:
        query = query.filter(occurred_at__gt=since)
    return await query.order_by("id").limit(limit)


async def read_stable(
    after: Cursor, *, limit: int = 100, conn: BaseDBAsyncClient | None = None
) -> list[models.DomainEvent]:
    """Committed events after ``after`` in commit order, stopping below the oldest writing
    transaction still running (see the module docstring): what a reader takes now never
    changes behind it."""
    conn = conn or connection()
    # A row-value comparison walks the (tx, id) index on both databases; the values are ints.
    stable = " AND tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
    sql = (
        f"SELECT * FROM domain_event WHERE (tx, id) > ({int(after.tx)}, {int(after.id)})"
        f"{stable if is_postgres(conn) else ''} ORDER BY tx, id LIMIT {int(limit)}"
    )
    return list(await models.DomainEvent.raw(sql, using_db=conn))


async def read_after(
    after: Cursor, *, limit: int = 100, conn: BaseDBAsyncClient | None = None
) -> list[models.DomainEvent]:
    """Committed events after ``after`` in (tx, id) order, with no barrier: an event of a
    transaction that commits later may still appear before the last one returned (the
    subscription hub copes; consumers that must not skip use :func:`read_stable`)."""
    conn = conn or connection()
    sql = (
        f"SELECT * FROM domain_event WHERE (tx, id) > ({int(after.tx)}, {int(after.id)}) "
        f"ORDER BY tx, id LIMIT {int(limit)}"
    )
    return list(await models.DomainEvent.raw(sql, using_db=conn))


def cursor_of(event: models.DomainEvent) -> Cursor:
    return Cursor(tx=event.tx, id=event.id)


async def head() -> int:
    """The id of the newest event (0 when the log is empty)."""
    last = await models.DomainEvent.all().order_by("-id").first()
    return last.id if last else 0


async def head_cursor() -> Cursor:
    """Where a new reader starts to see only what comes next."""
    last = await models.DomainEvent.all().order_by("-tx", "-id").first()
    return cursor_of(last) if last else Cursor()


async def count_after(after: Cursor) -> int:
    """How many committed events come after ``after`` (a consumer's lag)."""
    rows = await connection().execute_query_dict(
        "SELECT COUNT(*) AS n FROM domain_event "
        f"WHERE (tx, id) > ({int(after.tx)}, {int(after.id)})"
    )
    return int(rows[0]["n"])
