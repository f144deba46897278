"""The webhook worker: turns new call events into deliveries, then sends what is due. It runs
inside `deskql serve` (unless DESKQL_RUN_WORKERS=false) or alone as `deskql worker`; any number
of them may run against one PostgreSQL."""

from __future__ import annotations

from app.delivery.clock import Clock
from app.webhooks.dispatch import Dispatcher
from app.webhooks.fanout import FanOut


class WebhookWorker:
    def __init__(
        self,
        *,
        clock: Clock,
        database_url: str,
        company_id: str,
        allow_private: bool,
        timeout: float = 10.0,
    ) -> None:
        self.fanout = FanOut(clock=clock, company_id=company_id)
        self.dispatcher = Dispatcher(
            clock=clock, database_url=database_url, allow_private=allow_private, timeout=timeout
        )

    async def step(self) -> int:
        """One round: every new event fanned out, then what is due sent."""
        done = 0
        while handled := await self.fanout.run_once():
            done += handled
        return done + await self.dispatcher.run_once()

    async def close(self) -> None:
        await self.dispatcher.close()
