"""Nothing lost, nothing twice, no request early when Zendesk misbehaves (R-ZD-11): a 60-second
429 storm, 30 % of requests answered 503, five minutes of downtime — each with the worker on the
fake's manual clock — and `deskql worker` processes killed with SIGKILL at random points while
1 000 changes sync. Each ends with every change in Zendesk exactly once, read through its API,
and no request sent into a bucket before the Retry-After it was given."""

from __future__ import annotations

import asyncio
import math
import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta

from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse

from app.delivery.clock import Clock, SystemClock
from app.tickets import service as tickets
from app.tickets.models import TicketStatus
from app.zendesk import models
from app.zendesk.fake import FakeZendesk, create_app
from tests.support import DATABASE_URL, ROOT, SYSTEM, cli_env, settle


class Faults:
    """In front of the fake Zendesk: a 429 storm (Retry-After = the storm's remaining seconds),
    downtime (a load balancer's 503 page) or a share of 503s — none of them reaching the fake,
    so nothing they answer was applied. Counts requests sent before a Retry-After it gave."""

    def __init__(self, app, clock: Clock, seed: int = 7) -> None:
        self.app, self.clock, self.rng = app, clock, random.Random(seed)
        self.storm_until = self.down_until = self.wait_until = None
        self.error_rate = 0.0
        self.early = self.answered_429 = self.answered_503 = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        now = self.clock.now()
        if self.wait_until is not None and now < self.wait_until:
            self.early += 1
        response = None
        if self.storm_until is not None and now < self.storm_until:
            wait = max(1, math.ceil((self.storm_until - now).total_seconds()))
            self.wait_until = now + timedelta(seconds=wait)
            self.answered_429 += 1
            response = PlainTextResponse(
                "Number of allowed API requests per minute exceeded", status_code=429,
                headers={"retry-after": str(wait)},
            )  # fmt: skip
        elif self.down_until is not None and now < self.down_until:
            response = HTMLResponse("<html><body>503 Service Unavailable</body></html>", 503)
        elif self.rng.random() < self.error_rate:
            response = JSONResponse({"error": "ServiceUnavailable"}, status_code=503)
        if response is None:
            return await self.app(scope, receive, send)
        self.answered_503 += response.status_code == 503
        await response(scope, receive, send)


async def _workload(count: int, notes: int = 3) -> list[int]:
    """``count`` tickets, each with ``notes`` private notes and a status change."""
    made = []
    for n in range(count):
        ticket = await tickets.create_ticket(
            actor=SYSTEM, data=tickets.TicketInput(subject=f"Fault {n}", description=f"d{n}")
        )
        for k in range(notes):
            await tickets.add_comment(actor=SYSTEM, ticket_id=ticket.id, body=f"note {n}.{k}",
                                      public=False)  # fmt: skip
        await tickets.change_status(actor=SYSTEM, ticket_id=ticket.id, status=TicketStatus.OPEN,
                                    public_url="", secret_key="")  # fmt: skip
        made.append(ticket.id)
    return made


def _exactly_once(fake: FakeZendesk, ticket_ids: list[int], notes: int = 3) -> None:
    """Every ticket once, every note once, every status change applied — read from the fake."""
    by_external = {}
    for ticket in fake.tickets.values():
        assert ticket["external_id"] not in by_external, f"{ticket['external_id']} twice"
        by_external[ticket["external_id"]] = ticket
    assert sorted(by_external) == sorted(f"deskql-ticket-{i}" for i in ticket_ids)
    for n, tid in enumerate(ticket_ids):
        ticket = by_external[f"deskql-ticket-{tid}"]
        assert ticket["status"] == "open"
        text = "\n".join(c["body"] for c in fake.comments[ticket["id"]])
        for k in range(notes):
            assert text.count(f"note {n}.{k}") == 1, (tid, text)


async def _run(sync, clock, seconds: int, step: float = 1.0) -> None:
    for _ in range(int(seconds / step)):
        await sync.step()
        clock.advance(step)


async def test_a_60_second_429_storm(sync, zendesk_fake):
    faults = Faults(create_app(zendesk_fake.fake), zendesk_fake.clock)
    zendesk_fake.switch.app = faults
    made = await _workload(40)
    faults.storm_until = zendesk_fake.clock.now() + timedelta(seconds=60)
    await _run(sync, zendesk_fake.clock, 90)
    await settle(sync, zendesk_fake.clock, rounds=100)
    _exactly_once(zendesk_fake.fake, made)
    assert faults.answered_429 >= 1 and faults.early == 0
    assert zendesk_fake.fake.early_requests == 0
    assert await models.ZendeskTask.filter(status=models.TaskStatus.DEAD).count() == 0


async def test_thirty_percent_of_requests_fail(sync, zendesk_fake):
    faults = Faults(create_app(zendesk_fake.fake), zendesk_fake.clock)
    faults.error_rate = 0.3
    zendesk_fake.switch.app = faults
    made = await _workload(40)
    await _run(sync, zendesk_fake.clock, 60)
    # A task unlucky six times in a row waits 5 s + 15 s + 1 min + 5 min + 15 min + 30 min.
    await settle(sync, zendesk_fake.clock, rounds=800, step=15)
    _exactly_once(zendesk_fake.fake, made)
    assert faults.answered_503 >= 10 and faults.early == 0
    assert await models.ZendeskTask.filter(status=models.TaskStatus.DEAD).count() == 0


async def test_five_minutes_of_downtime(sync, zendesk_fake):
    faults = Faults(create_app(zendesk_fake.fake), zendesk_fake.clock)
    faults.down_until = zendesk_fake.clock.now() + timedelta(minutes=5)
    zendesk_fake.switch.app = faults
    made = await _workload(40)
    await _run(sync, zendesk_fake.clock, 300, step=5)
    assert zendesk_fake.fake.tickets == {}  # nothing got through while it was down
    await settle(sync, zendesk_fake.clock, rounds=300, step=10)
    _exactly_once(zendesk_fake.fake, made)
    assert faults.answered_503 >= 1
    assert await models.ZendeskTask.filter(status=models.TaskStatus.DEAD).count() == 0


def _worker(env: dict[str, str], *, errors: bool = False) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if errors else subprocess.DEVNULL,
        text=True, start_new_session=True,
    )  # fmt: skip


async def test_workers_killed_at_random_points_lose_and_repeat_nothing(zendesk_fake, tmp_path):
    """1 000 changes (100 tickets, each created, 6 notes, 3 updates) while `deskql worker`
    processes syncing them are killed with SIGKILL at 20 random moments and replaced."""
    seed = int(os.environ.get("DESKQL_FAULT_SEED", random.randrange(10**6)))
    rng = random.Random(seed)
    fake = FakeZendesk(clock=SystemClock(), plan="enterprise", job_delay=0.2,
                       base_url=zendesk_fake.url)  # fmt: skip
    zendesk_fake.switch.app = create_app(fake)
    await models.ZendeskSettings.update_or_create(id=1, defaults={"batch_window_seconds": 1})
    env = cli_env(DATABASE_URL, tmp_path, DESKQL_LOG_LEVEL="ERROR",
                  DESKQL_ZENDESK_URL=zendesk_fake.url, DESKQL_ZENDESK_EMAIL=fake.email,
                  DESKQL_ZENDESK_API_TOKEN=fake.token)  # fmt: skip
    writing = asyncio.Event()
    writing.set()
    kills = 0

    async def killer() -> None:
        nonlocal kills
        while kills < 20:
            proc = _worker(env)
            await asyncio.sleep(rng.uniform(0.8, 2.0))  # ~0.7 s of it is starting up
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1

    chaos = asyncio.create_task(killer())
    made = []
    for n in range(100):
        ticket = await tickets.create_ticket(
            actor=SYSTEM, data=tickets.TicketInput(subject=f"Kill {n}", description=f"d{n}")
        )
        for k in range(6):
            await tickets.add_comment(actor=SYSTEM, ticket_id=ticket.id, body=f"note {n}.{k}",
                                      public=False)  # fmt: skip
            if k % 2:
                await tickets.update_ticket(actor=SYSTEM, ticket_id=ticket.id,
                                            subject=f"Kill {n} v{k}")  # fmt: skip
        made.append(ticket.id)
        await asyncio.sleep(0.05)  # changes arrive over time, as they would
    await chaos
    final = _worker(env, errors=True)
    began = time.monotonic()
    try:
        while time.monotonic() - began < 150:
            await asyncio.sleep(0.5)
            left = await models.ZendeskTask.exclude(status=models.TaskStatus.DONE).count()
            queued = await models.ZendeskTask.all().count()
            # (at least a few seconds: a worker stopped while it starts up dies of the signal)
            if queued >= 1000 and left == 0 and time.monotonic() - began > 5:
                break
    finally:
        final.send_signal(signal.SIGTERM)
        _, errors = final.communicate(timeout=30)
    assert final.returncode == 0, errors
    print(f"seed {seed}: {kills} workers killed, {len(fake.requests)} requests, drained in "
          f"{time.monotonic() - began:.1f} s")  # fmt: skip
    assert kills == 20, f"seed {seed}"
    assert await models.ZendeskTask.all().count() == 1000, f"seed {seed}"
    assert await models.ZendeskTask.exclude(status=models.TaskStatus.DONE).count() == 0
    by_external = {t["external_id"]: t for t in fake.tickets.values()}
    assert len(by_external) == len(fake.tickets) == 100, f"seed {seed}"
    for n, tid in enumerate(made):
        ticket = by_external[f"deskql-ticket-{tid}"]
        assert ticket["subject"] == f"Kill {n} v5", f"seed {seed}"
        text = "\n".join(c["body"] for c in fake.comments[ticket["id"]])
        for k in range(6):
            assert text.count(f"note {n}.{k}") == 1, f"seed {seed}: {tid} {text!r}"
    assert fake.early_requests == 0
