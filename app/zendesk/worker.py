"""The Zendesk worker: two loops side by side, the outbox (new events of the log become tasks)
and the sync (tasks go to Zendesk). It runs inside `deskql serve` (unless
DESKQL_RUN_WORKERS=false) or in `deskql worker`, when a Zendesk connection is configured."""

from __future__ import annotations

import httpx

from app.delivery.clock import Clock
from app.delivery.loop import Loop
from app.events.signals import LogSignal
from app.zendesk.client import Connection
from app.zendesk.sync import Sync


class ZendeskWorker:
    def __init__(
        self,
        *,
        connection: Connection,
        clock: Clock,
        database_url: str,
        transport: httpx.AsyncBaseTransport | None = None,
        country_code: str = "86",
        allow_private: bool = False,
    ) -> None:
        self.sync = Sync(
            connection=connection,
            clock=clock,
            database_url=database_url,
            transport=transport,
            country_code=country_code,
            allow_private=allow_private,
        )
        # Wakes the sync loop when the outbox queued something; otherwise it looks every
        # interval (a batch window closing, a retry coming due, a job to poll).
        self.queued = LogSignal("", interval=0.5)

    async def queue(self) -> int:
        done = 0
        while handled := await self.sync.outbox.run_once():
            done += handled
            self.queued.notify()
        return done

    async def step(self) -> int:
        """One round of both (tests drive the worker with this)."""
        return await self.queue() + await self.sync.run_once()

    def loops(self, log_signal: LogSignal) -> list[Loop]:
        return [
            Loop("zendesk.outbox", self.queue, log_signal),
            Loop("zendesk.sync", self.sync.run_once, self.queued),
        ]

    async def close(self) -> None:
        await self.sync.close()
