"""The webhook worker: turns new call events into deliveries (the fan-out) and sends what is due
(the dispatch). In a server they run as two loops side by side — new events are fanned out
while earlier deliveries are being sent — and the fan-out wakes the dispatch the moment it owes
something. It runs inside `deskql serve` (unless DESKQL_RUN_WORKERS=false) or alone as
`deskql worker`; any number of them may run against one PostgreSQL."""

from __future__ import annotations

from app.delivery.clock import Clock
from app.delivery.loop import Loop
from app.events.signals import LogSignal
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
        # Wakes the dispatch loop: the fan-out owed something, or (every interval) a retry may
        # have come due.
        self.owed = LogSignal("", interval=0.5)

    async def fan_out(self) -> int:
        """Every new event turned into deliveries; how many events there were."""
        done = 0
        while handled := await self.fanout.run_once():
            done += handled
            self.owed.notify()
        return done

    async def step(self) -> int:
        """One round of both (tests drive the worker with this)."""
        return await self.fan_out() + await self.dispatcher.run_once()

    async def dispatch(self) -> int:
        return await self.dispatcher.start_due(self.owed.notify)

    def loops(self, log_signal: LogSignal) -> list[Loop]:
        return [
            Loop("webhooks.fanout", self.fan_out, log_signal),
            Loop("webhooks.dispatch", self.dispatch, self.owed),
        ]

    async def close(self) -> None:
        await self.dispatcher.close()
