"""The Zendesk worker: drains the outbox (app/zendesk/outbox.py) into Zendesk.

One round (:meth:`Sync.run_once`):
1. polls the jobs of batches already sent and settles their tasks item by item (a failed item
   does not fail the job: it is retried alone, then dead-lettered with Zendesk's error);
2. takes the head of each key (a ticket's or a contact's tasks go in id order: its comments
   never before its creation) and sends what cannot wait — users, creations, merges, and
   updates or comments whose batching is off or which failed in a batch;
3. collects the batchable heads — updates and comments, several of one ticket merged into one
   item — and once the oldest has waited the batch window (or 100 tickets are waiting) sends
   them as ``update_many`` batch jobs of at most 100 tickets (R-ZD-11).

Creations carry an Idempotency-Key and, on a retry, first look for the ticket by external id, so
a retry never makes a second ticket. A bucket Zendesk told to wait is not sent to before its
time (the client refuses; the wait is shared through the database); the task keeps its place.
5xx, timeouts and connection errors are retried on a capped schedule for about a day, then
dead-lettered; a 4xx is dead-lettered at once (it would fail again). Dead letters are listed
and retried from GraphQL.

On PostgreSQL one worker at a time runs rounds (an advisory lock on the Zendesk account:
Zendesk's limits are per account, so more senders would only share the same budget); another
takes over within a round when it dies. SQLite has one process.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from datetime import datetime, timedelta

import httpx
from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.delivery.backoff import RetrySchedule
from app.delivery.clock import Clock
from app.delivery.locks import ZENDESK, AdvisoryLocks
from app.errors import DomainError
from app.tickets.models import Ticket
from app.zendesk import (
    doubt,
    items,
    jobs,
    merges,
    models,
    outbox,
    records,
    rules,
    screenpop,
    state,
)
from app.zendesk.client import Connection, RateLimited, ZendeskClient, ZendeskError
from app.zendesk.models import TaskStatus as T

log = logging.getLogger("deskql.zendesk")

ACTOR = Principal.system("zendesk", source="zendesk")
# 5 s ... 6 h, about 27 h in all; then the task is dead-lettered.
SCHEDULE = RetrySchedule(
    (5, 15, 60, 300, 900, 1800, 3600, 3600, 7200, 7200, 14400, 14400, 21600, 21600)
)
BATCH_LIMIT = 100  # tickets per update_many
MAX_JOBS_IN_FLIGHT = 25  # Zendesk allows 30 queued or running jobs per account
READ_LIMIT = 5000  # open tasks read per round


class Sync:
    def __init__(
        self,
        *,
        connection: Connection,
        clock: Clock,
        database_url: str,
        transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
        country_code: str = "86",
        allow_private: bool = False,
    ) -> None:
        self.connection = connection
        self.country_code = country_code  # for the numbers of calls (app/directory/phones.py)
        self.allow_private = allow_private  # recordings on loopback/private hosts (dev, tests)
        self.clock = clock
        self.database_url = database_url
        self.outbox = outbox.Outbox(clock=clock)
        self.client = ZendeskClient(connection, clock=clock, transport=transport, rng=rng)
        self.rng = rng or random.Random()
        self._locks: AdvisoryLocks | None = None
        self._leader = False

    async def close(self) -> None:
        await self.client.close()
        if self._locks is not None:
            await self._locks.close()

    async def step(self) -> int:
        """Queue new events' work, then one round; how much happened (tests call this)."""
        return await self.outbox.run_once() + await self.run_once()

    async def _lead(self) -> bool:
        if not self.database_url.startswith(("postgres://", "postgresql://")):
            return True
        if self._leader:
            return True
        if self._locks is None:
            self._locks = AdvisoryLocks(self.database_url, ZENDESK)
        self._leader = await self._locks.try_lock(1)
        return self._leader

    async def run_once(self) -> int:
        if not self.connection.configured:
            return 0
        settings = await state.settings()
        if not settings.enabled or not await self._lead():
            return 0
        now = self.clock.now()
        self.client.buckets = await state.load_buckets(now)
        sent_before, limited_before = self.client.requests_sent, self.client.rate_limited
        round_ = _Round(self, settings, now)
        try:
            await jobs.poll(round_)
            await round_.send()
        finally:
            await state.save(
                self.client.buckets,
                now,
                sent=self.client.requests_sent - sent_before,
                saved=round_.saved,
                limited=self.client.rate_limited - limited_before,
                error=round_.last_error,
            )
        return round_.progress


class _Round:
    def __init__(self, sync: Sync, settings: models.ZendeskSettings, now: datetime) -> None:
        self.sync = sync
        self.client = sync.client
        self.settings = settings
        self.mapping = {k: int(v) for k, v in (settings.field_mapping or {}).items()}
        self.now = now
        self.progress = 0
        self.saved = 0
        self.last_error: str | None = None
        self.stopped = False  # a bucket said wait: nothing more this round

    # -- sending --------------------------------------------------------------------------------

    async def send(self) -> None:
        open_tasks = (
            await models.ZendeskTask.filter(status__in=[T.PENDING, T.SENT])
            .order_by("id")
            .limit(READ_LIMIT)
        )
        by_key: dict[str, list[models.ZendeskTask]] = {}
        for task in open_tasks:
            by_key.setdefault(task.key, []).append(task)
        groups: list[list[models.ZendeskTask]] = []
        for tasks in by_key.values():
            head = tasks[0]
            if head.status is T.SENT or head.due_at > self.now:
                continue
            # Sent when a worker died or timed out: did it arrive?
            if head.job_id == doubt.IN_FLIGHT and await doubt.arrived(self, tasks):
                continue
            if self.batchable(head):
                groups.append(self.run_of(tasks))
            else:
                await self.send_alone(head)
            if self.stopped:
                return
        await self.send_batches(groups)

    def batchable(self, task: models.ZendeskTask) -> bool:
        setting = outbox.BATCHABLE.get(task.kind)
        return bool(setting) and not task.alone and bool(getattr(self.settings, setting or ""))

    def run_of(self, tasks: list[models.ZendeskTask]) -> list[models.ZendeskTask]:
        """The head and the batchable tasks right behind it (one item of one batch)."""
        run = []
        for task in tasks:
            if task.status is not T.PENDING or task.due_at > self.now or not self.batchable(task):
                break
            run.append(task)
        return run

    async def send_alone(self, task: models.ZendeskTask) -> None:
        try:
            if task.kind in rules.KINDS:
                await rules.run(
                    self.client, self.settings, task, country_code=self.sync.country_code,
                    now=self.now,
                )  # fmt: skip
                await self.done([task])
            elif task.kind == outbox.CREATE:
                await self.create(task)
            elif task.kind == outbox.MERGE:
                await self.merge(task)
            else:
                link = await self.ensure_ticket(task.payload["ticketId"])
                if link is None:
                    await self.done([task])  # the ticket is gone
                    return
                try:
                    await self.put(link, task)
                except ZendeskError as exc:  # R-ZD-6: merged in Zendesk? then to the target
                    if not merges.closed_refusal(exc) or not await merges.follow(self.client, link):
                        raise
                    await self.put(link, task)
                await self.touch(link)
                await self.done([task])
        except ZendeskError as exc:
            await self.failed([task], exc)
        except DomainError as exc:  # deskql refused the change: it would refuse it again
            await self.failed([task], ZendeskError(f"{exc.code}: {exc.message}"))
        except Exception as exc:  # a bug or the database: retried on the schedule, then dead
            log.exception("zendesk: task %s failed", task.id)
            await self.failed([task], ZendeskError(repr(exc), retryable=True))

    async def create(self, task: models.ZendeskTask) -> None:
        link = await self.ensure_ticket(task.payload["ticketId"], retry=task.attempts > 0)
        await self.done([task])
        if link is not None:
            await self.touch(link)

    async def ensure_ticket(
        self, ticket_id: int, *, retry: bool = False
    ) -> models.ZendeskTicket | None:
        """The ticket's link, creating the Zendesk ticket first when it has none."""
        link, _ = await models.ZendeskTicket.get_or_create(ticket_id=ticket_id)
        if link.zendesk_ticket_id is not None:
            return link
        ticket = await Ticket.get_or_none(id=ticket_id)
        if ticket is None:
            return None
        existing = None
        if retry:  # sent before, answer lost: the ticket may exist (keys expire after 2 h)
            response = await self.client.request(
                "GET", "/tickets.json", route="tickets.list",
                params={"external_id": records.external_id("ticket", ticket_id)},
            )  # fmt: skip
            found = response.json().get("tickets") or []
            existing = found[0] if found else None
        if existing is None:
            body = await records.create_body(self.client, ticket, self.mapping)
            key = f"deskql-ticket-{ticket.id}-{int(ticket.created_at.timestamp())}"
            existing = await self.client.create_ticket(body, idempotency_key=key)
        records.synced(link, existing, self.now)
        await link.save()
        await screenpop.announce(self.sync.connection.base_url, ticket_id, created=True)
        return link

    async def merge(self, task: models.ZendeskTask) -> None:
        source = await self.ensure_ticket(task.payload["ticketId"])
        target = await self.ensure_ticket(task.payload["into"])
        if source is None or target is None:
            await self.done([task])
            return
        job = await self.client.merge(
            target.zendesk_ticket_id or 0, [source.zendesk_ticket_id or 0]
        )
        await self.sent([task], str(job["id"]))

    async def item(
        self, link: models.ZendeskTicket, tasks: Sequence[models.ZendeskTask]
    ) -> dict | None:
        return await items.build(
            self.client, link, tasks, self.mapping, now=self.now,
            allow_private=self.sync.allow_private,
        )  # fmt: skip

    async def put(self, link: models.ZendeskTicket, task: models.ZendeskTask) -> None:
        item = await self.item(link, [task])
        if item is not None:
            await doubt.mark([task], self.now)
            await self.client.update_ticket(
                item["id"], {k: v for k, v in item.items() if k != "id"}
            )

    async def send_batches(self, groups: list[list[models.ZendeskTask]]) -> None:
        if not groups:
            return
        window = timedelta(seconds=self.settings.batch_window_seconds)
        oldest = min(t.created_at for group in groups for t in group)
        if oldest + window > self.now and len(groups) < BATCH_LIMIT:
            return
        jobs_in_flight = len(
            set(await models.ZendeskTask.filter(status=T.SENT).values_list("job_id", flat=True))
        )
        items: list[tuple[dict, list[models.ZendeskTask], models.ZendeskTicket]] = []
        for group in groups:
            if self.stopped:
                return
            group = await records.one_kind_of_comment(group)
            try:
                link = await self.ensure_ticket(group[0].payload["ticketId"])
                item = await self.item(link, group) if link is not None else None
            except ZendeskError as exc:
                await self.failed(group, exc)
                continue
            if link is None or item is None:
                await self.done(group)
                continue
            items.append((item, group, link))
        for start in range(0, len(items), BATCH_LIMIT):
            if self.stopped or jobs_in_flight >= MAX_JOBS_IN_FLIGHT:
                return
            chunk = items[start : start + BATCH_LIMIT]
            tasks = [t for _, group, _ in chunk for t in group]
            await doubt.mark(tasks, self.now)
            try:
                job = await self.client.update_many([item for item, _, _ in chunk])
            except ZendeskError as exc:
                await self.failed(tasks, exc, count=not isinstance(exc, RateLimited))
                continue
            jobs_in_flight += 1
            self.saved += len(tasks) - 1
            await self.sent(tasks, str(job["id"]))
            for _, _, link in chunk:
                await self.touch(link)

    # -- outcomes -------------------------------------------------------------------------------

    async def touch(self, link: models.ZendeskTicket) -> None:
        await models.ZendeskTicket.filter(id=link.id).update(last_synced_at=self.now, error=None)

    async def done(self, tasks: Sequence[models.ZendeskTask]) -> None:
        if tasks:
            await models.ZendeskTask.filter(id__in=[t.id for t in tasks]).update(
                status=T.DONE, job_id=None, last_error=None
            )
            self.progress += len(tasks)

    async def sent(self, tasks: Sequence[models.ZendeskTask], job_id: str) -> None:
        await models.ZendeskTask.filter(id__in=[t.id for t in tasks]).update(
            status=T.SENT, job_id=job_id, due_at=self.now + jobs.FIRST_POLL
        )
        self.progress += len(tasks)

    async def failed(
        self, tasks: Sequence[models.ZendeskTask], exc: ZendeskError, *, count: bool = True
    ) -> None:
        if isinstance(exc, RateLimited):
            self.stopped = True
            due = self.now + timedelta(seconds=exc.wait)
            await models.ZendeskTask.filter(id__in=[t.id for t in tasks]).update(
                status=T.PENDING, due_at=due, job_id=None
            )
            return
        self.last_error = str(exc)
        log.warning("zendesk: %s (tasks %s)", exc, [t.id for t in tasks])
        unknown = exc.status is None and exc.retryable  # a timeout: it may have arrived
        async with in_transaction() as conn:
            for task in tasks:
                attempts = task.attempts + (1 if count else 0)
                delay = SCHEDULE.next_delay(attempts, rng=self.sync.rng) if exc.retryable else None
                if count and delay is None:
                    status, due = T.DEAD, self.now
                else:
                    status, due = T.PENDING, self.now + timedelta(seconds=delay or 0)
                await models.ZendeskTask.filter(id=task.id).using_db(conn).update(
                    status=status, attempts=attempts, due_at=due, alone=True,
                    job_id=doubt.IN_FLIGHT if unknown and task.job_id else None,
                    last_error=str(exc)[:4000],
                )  # fmt: skip
                if "ticketId" in task.payload:
                    await (
                        models.ZendeskTicket.filter(ticket_id=task.payload["ticketId"])
                        .using_db(conn)
                        .update(error=str(exc)[:4000])
                    )
