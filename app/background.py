"""What runs beside the requests: the event-log signal, the subscription hub (in every server)
and the delivery workers (in `deskql serve` unless DESKQL_RUN_WORKERS=false, or alone in
`deskql worker`). Nothing here is state two processes could disagree on: the workers share
their work through the database (see app/webhooks/dispatch.py)."""

from __future__ import annotations

import logging

from app.delivery.clock import Clock, SystemClock
from app.delivery.loop import Loop
from app.events.hub import Hub
from app.events.signals import LogSignal
from app.settings import Settings
from app.webhooks.worker import WebhookWorker
from app.zendesk.client import Connection
from app.zendesk.worker import ZendeskWorker

log = logging.getLogger("deskql.background")


class Background:
    def __init__(
        self,
        settings: Settings,
        *,
        hub: bool = True,
        workers: bool | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.signal = LogSignal(settings.database_url)
        self.hub = Hub(self.signal) if hub else None
        run_workers = settings.run_workers if workers is None else workers
        self.webhooks = (
            WebhookWorker(
                clock=self.clock,
                database_url=settings.database_url,
                company_id=settings.company_id,
                allow_private=settings.webhook_allow_private,
            )
            if run_workers
            else None
        )
        connection = Connection(
            settings.zendesk_url, settings.zendesk_email, settings.zendesk_api_token
        )
        self.zendesk = (
            ZendeskWorker(
                connection=connection,
                clock=self.clock,
                database_url=settings.database_url,
                country_code=settings.phone_country_code,
                allow_private=settings.webhook_allow_private,
            )
            if run_workers and connection.configured
            else None
        )
        self._loops: list[Loop] = []

    async def start(self) -> None:
        await self.signal.start()
        if self.hub is not None:
            self.hub.start()
        if self.webhooks is not None:
            self._loops.extend(self.webhooks.loops(self.signal))
        if self.zendesk is not None:
            self._loops.extend(self.zendesk.loops(self.signal))
        for loop in self._loops:
            loop.start()
        if self._loops:
            log.info("workers running: %s", ", ".join(loop.name for loop in self._loops))

    async def stop(self) -> None:
        for loop in self._loops:
            await loop.stop()
        self._loops.clear()
        if self.webhooks is not None:
            await self.webhooks.close()
        if self.zendesk is not None:
            await self.zendesk.close()
        if self.hub is not None:
            await self.hub.stop()
        await self.signal.stop()
