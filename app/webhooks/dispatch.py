"""Sending what is owed: each endpoint's due deliveries, in order per call, retried on a
schedule of about a day, every attempt recorded.

Several workers (in any number of processes) share the work an endpoint at a time: on
PostgreSQL a worker holds a session advisory lock for the endpoint while it sends, taken on a
connection of its own — if the worker dies, PostgreSQL drops the connection and the lock with
it, and another worker resends what was not recorded as delivered (at least once, the same
webhook-id). One endpoint's deliveries never wait for another's: each endpoint is its own task.
Within an endpoint, a delivery goes out only when no earlier delivery of the same call is still
owed (a call's ``ended`` is never sent before its ``answered``), while different calls go out
side by side. SQLite (one process) needs no lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

import httpx
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from app.db import db_datetime, is_postgres, rows
from app.delivery import outbound
from app.delivery.backoff import RetrySchedule
from app.delivery.clock import Clock
from app.delivery.locks import WEBHOOK_ENDPOINTS, AdvisoryLocks
from app.webhooks import models
from app.webhooks.sending import Outcome, send

log = logging.getLogger("deskql.webhooks")

GIVE_UP_AFTER = timedelta(days=5)  # an endpoint failing everything this long is disabled


class Dispatcher:
    def __init__(
        self,
        *,
        clock: Clock,
        database_url: str,
        allow_private: bool,
        schedule: RetrySchedule | None = None,
        timeout: float = 10.0,
        per_endpoint: int = 8,
        endpoints_at_once: int = 16,
        budget_seconds: float = 5.0,
    ) -> None:
        self.clock = clock
        self.database_url = database_url
        self.allow_private = allow_private
        self.schedule = schedule or RetrySchedule()
        self.timeout = timeout
        self.per_endpoint = per_endpoint
        self.endpoints_at_once = endpoints_at_once
        self.budget_seconds = budget_seconds
        self._http: httpx.AsyncClient | None = None
        self._locks: AdvisoryLocks | None = None
        self._serving: dict[int, asyncio.Task] = {}

    async def close(self, grace: float = 10.0) -> None:
        """Let the endpoints being served finish their round (up to ``grace`` seconds: what
        they sent gets recorded), then stop."""
        serving = list(self._serving.values())
        if serving:
            await asyncio.wait(serving, timeout=grace)
        for task in serving:
            task.cancel()
        await asyncio.gather(*serving, return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()
        if self._locks is not None:
            await self._locks.close()

    async def _due_endpoints(self) -> list[int]:
        found = await rows(
            "SELECT e.id AS endpoint_id FROM webhook_endpoint e WHERE e.enabled "
            "AND (e.paused_until IS NULL OR e.paused_until <= ?) AND EXISTS (SELECT 1 FROM "
            "webhook_delivery d WHERE d.endpoint_id = e.id AND d.status = 'PENDING' "
            "AND d.next_attempt_at <= ?) ORDER BY e.id",
            [db_datetime(self.clock.now())] * 2,
        )
        return [row["endpoint_id"] for row in found]

    async def run_once(self) -> int:
        """Send what is due now, every endpoint's round awaited; how many attempts were made
        (tests and `step`)."""
        due = await self._due_endpoints()
        gate = asyncio.Semaphore(self.endpoints_at_once)

        async def serve(endpoint_id: int) -> int:
            async with gate:
                return await self._serve(endpoint_id)

        return sum(await asyncio.gather(*(serve(endpoint_id) for endpoint_id in due)))

    async def start_due(self, wake: Callable[[], None]) -> int:
        """The server's dispatch loop: each due endpoint not being served yet is served by a
        task of its own, so a slow endpoint (timeouts) never holds up the others. A task that
        sent something calls ``wake`` when it ends (more may be due). Returns 0: the loop
        waits to be woken."""
        for endpoint_id in await self._due_endpoints():
            if endpoint_id in self._serving or len(self._serving) >= self.endpoints_at_once:
                continue
            task = asyncio.create_task(self._serve(endpoint_id), name=f"webhooks-{endpoint_id}")
            self._serving[endpoint_id] = task
            task.add_done_callback(functools.partial(self._served, endpoint_id, wake))
        return 0

    def _served(self, endpoint_id: int, wake: Callable[[], None], task: asyncio.Task) -> None:
        self._serving.pop(endpoint_id, None)
        if task.cancelled():
            return
        if task.exception() is not None:
            log.error("webhook endpoint %s: sending failed", endpoint_id, exc_info=task.exception())
            return
        if task.result():
            wake()

    async def _serve(self, endpoint_id: int) -> int:
        async with self._claim(endpoint_id) as claimed:
            if not claimed:
                return 0
            endpoint = await models.WebhookEndpoint.get_or_none(id=endpoint_id, enabled=True)
            if endpoint is None:
                return 0
            attempts = 0
            stop_at = time.monotonic() + self.budget_seconds
            while time.monotonic() < stop_at:
                if endpoint.paused_until is not None and endpoint.paused_until > self.clock.now():
                    break
                # A failing endpoint is probed with one delivery; the rest wait for a success.
                batch = await self._due(endpoint_id, limit=1 if endpoint.failing_since else 64)
                if not batch:
                    break
                try:
                    target = await outbound.check(endpoint.url, allow_private=self.allow_private)
                except outbound.UnsafeTarget as exc:
                    outcomes = [Outcome(None, str(exc), None, 0) for _ in batch]
                else:
                    outcomes = await self._send_all(endpoint, target, batch)
                await self._record(endpoint, batch, outcomes)
                attempts += len(batch)
                await endpoint.refresh_from_db()
                if not endpoint.enabled:
                    break
            return attempts

    async def _send_all(
        self,
        endpoint: models.WebhookEndpoint,
        target: outbound.Target,
        batch: list[models.WebhookDelivery],
    ) -> list[Outcome]:
        """A batch (different calls) side by side, at most ``per_endpoint`` at once."""
        gate = asyncio.Semaphore(self.per_endpoint)

        async def send(delivery: models.WebhookDelivery) -> Outcome:
            async with gate:
                return await self._send(endpoint, target, delivery)

        return list(await asyncio.gather(*(send(d) for d in batch)))

    async def _due(self, endpoint_id: int, *, limit: int) -> list[models.WebhookDelivery]:
        """The first owed delivery of each call, when it is due."""
        found = await rows(
            "SELECT d.id FROM webhook_delivery d JOIN (SELECT MIN(id) AS id FROM "
            "webhook_delivery WHERE endpoint_id = ? AND status = 'PENDING' "
            "GROUP BY ordering_key) heads ON heads.id = d.id "
            f"WHERE d.next_attempt_at <= ? ORDER BY d.id LIMIT {int(limit)}",
            [endpoint_id, db_datetime(self.clock.now())],
        )
        ids = [row["id"] for row in found]
        return await models.WebhookDelivery.filter(id__in=ids).order_by("id") if ids else []

    async def _send(
        self,
        endpoint: models.WebhookEndpoint,
        target: outbound.Target,
        delivery: models.WebhookDelivery,
    ) -> Outcome:
        if self._http is None:
            self._http = outbound.client(self.timeout)
        return await send(self._http, self.timeout, endpoint, target, delivery, self.clock.now())

    async def _record(
        self,
        endpoint: models.WebhookEndpoint,
        batch: list[models.WebhookDelivery],
        outcomes: list[Outcome],
    ) -> None:
        """A batch's outcomes in one transaction: the successes in one statement per HTTP
        code, each failure with its next attempt, every attempt, the endpoint's health."""
        now = self.clock.now()
        delivered: dict[int, list[int]] = {}
        failed: list[tuple[models.WebhookDelivery, Outcome, datetime | None]] = []
        tries = []
        for delivery, outcome in zip(batch, outcomes, strict=True):
            next_at = None
            if outcome.delivered:
                delivered.setdefault(outcome.status_code or 200, []).append(delivery.id)
            else:
                if outcome.status_code != 410:
                    delay = self.schedule.next_delay(
                        delivery.attempts + 1, retry_after=outcome.retry_after
                    )
                    next_at = None if delay is None else now + timedelta(seconds=delay)
                failed.append((delivery, outcome, next_at))
            tries.append(
                models.WebhookAttempt(
                    delivery_id=delivery.id,
                    attempted_at=now,
                    status_code=outcome.status_code,
                    error=outcome.error,
                    response_excerpt=outcome.excerpt,
                    duration_ms=outcome.duration_ms,
                    next_attempt_at=next_at,
                )
            )
        async with in_transaction() as conn:
            for code, ids in delivered.items():
                await (
                    models.WebhookDelivery.filter(id__in=ids)
                    .using_db(conn)
                    .update(
                        status=models.DeliveryStatus.DELIVERED,
                        delivered_at=now,
                        attempts=F("attempts") + 1,
                        next_attempt_at=None,
                        last_status_code=code,
                        last_error=None,
                    )
                )
            for delivery, outcome, next_at in failed:
                delivery.attempts += 1
                delivery.next_attempt_at = next_at
                delivery.last_status_code = outcome.status_code
                delivery.last_error = outcome.error
                if next_at is None:
                    delivery.status = models.DeliveryStatus.FAILED
                await delivery.save(
                    using_db=conn,
                    update_fields=[
                        "attempts",
                        "next_attempt_at",
                        "last_status_code",
                        "last_error",
                        "status",
                    ],
                )
            await models.WebhookAttempt.bulk_create(tries, using_db=conn)
            retries = [next_at for _, _, next_at in failed if next_at is not None]
            await self._endpoint_health(
                endpoint, outcomes, now, conn, retry_at=min(retries) if retries else None
            )

    async def _endpoint_health(
        self,
        endpoint: models.WebhookEndpoint,
        outcomes: list[Outcome],
        now: datetime,
        conn: BaseDBAsyncClient,
        *,
        retry_at: datetime | None,
    ) -> None:
        """410 disables the endpoint; a round that all failed pauses the endpoint until its
        earliest retry, when one delivery probes it (an endpoint that is down costs one request
        per retry, not one per call); a success clears the failure record and brings every
        waiting retry forward to now; failing everything for GIVE_UP_AFTER disables it."""
        changes: dict[str, object] = {}
        if any(o.status_code == 410 for o in outcomes):
            changes.update(
                enabled=False,
                disabled_reason=(f"The endpoint answered 410 Gone on {now:%Y-%m-%d %H:%M} UTC."),
            )
        elif any(o.delivered for o in outcomes):
            changes.update(failing_since=None, paused_until=None)
            if endpoint.failing_since is not None:  # back: what waits for a retry goes now
                await (
                    models.WebhookDelivery.filter(
                        endpoint_id=endpoint.id,
                        status=models.DeliveryStatus.PENDING,
                        next_attempt_at__gt=now,
                    )
                    .using_db(conn)
                    .update(next_attempt_at=now)
                )
        else:
            since = endpoint.failing_since or now
            changes["failing_since"] = since
            changes["paused_until"] = retry_at or now + timedelta(seconds=self.schedule.delays[-1])
            if now - since >= GIVE_UP_AFTER:
                changes.update(
                    enabled=False,
                    disabled_reason=(
                        f"Every delivery failed for 5 days (since {since:%Y-%m-%d %H:%M} UTC)."
                    ),
                )
        if changes and any(getattr(endpoint, k) != v for k, v in changes.items()):
            await models.WebhookEndpoint.filter(id=endpoint.id).using_db(conn).update(**changes)
            endpoint.update_from_dict(changes)
            if changes.get("enabled") is False:
                log.warning(
                    "webhook endpoint %s disabled: %s", endpoint.id, changes["disabled_reason"]
                )

    @contextlib.asynccontextmanager
    async def _claim(self, endpoint_id: int) -> AsyncIterator[bool]:
        if not is_postgres():
            yield True
            return
        if self._locks is None:
            self._locks = AdvisoryLocks(self.database_url, WEBHOOK_ENDPOINTS)
        claimed = await self._locks.try_lock(endpoint_id)
        try:
            yield claimed
        finally:
            if claimed:
                await self._locks.unlock(endpoint_id)
