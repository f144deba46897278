"""Waking this process's readers of the event log (the webhook and Zendesk workers, the
subscription hub) when it grows: on PostgreSQL at once, by ``LISTEN deskql_events`` on a
connection of its own; in every case also every ``interval`` seconds, so a lost notification
(a dropped connection) or SQLite (no notifications) delays an event by at most that long.
Readers that poll keep their idle look cheap: a plain read, no transaction and no lock."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from app.db import asyncpg_dsn
from app.events.log import NOTIFY_CHANNEL

log = logging.getLogger("deskql.events")


# How often readers look at the log without being told: PostgreSQL tells them at once (this
# only covers a lost notification); SQLite cannot, so they look five times a second there.
POSTGRES_INTERVAL = 0.5
SQLITE_INTERVAL = 0.2


class LogSignal:
    def __init__(self, database_url: str, *, interval: float | None = None) -> None:
        self.database_url = database_url
        postgres = database_url.startswith(("postgres://", "postgresql://"))
        self.interval = interval or (POSTGRES_INTERVAL if postgres else SQLITE_INTERVAL)
        self._waiters: list[asyncio.Event] = []
        self._conn: Any = None

    def waiter(self) -> asyncio.Event:
        """An event set whenever the log may have grown; the reader clears it."""
        event = asyncio.Event()
        self._waiters.append(event)
        return event

    def forget(self, event: asyncio.Event) -> None:
        with contextlib.suppress(ValueError):
            self._waiters.remove(event)

    def notify(self) -> None:
        for event in self._waiters:
            event.set()

    async def start(self) -> None:
        if not self.database_url.startswith(("postgres://", "postgresql://")):
            return
        import asyncpg

        try:
            self._conn = await asyncpg.connect(asyncpg_dsn(self.database_url))
            await self._conn.add_listener(NOTIFY_CHANNEL, lambda *_: self.notify())
        except (OSError, asyncpg.PostgresError):  # polling still works
            log.exception("LISTEN %s failed: readers poll every %ss", NOTIFY_CHANNEL, self.interval)
            self._conn = None

    async def stop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()

    async def wait(self, event: asyncio.Event) -> None:
        """Until notified, or ``interval`` seconds at most."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout=self.interval)
        event.clear()
