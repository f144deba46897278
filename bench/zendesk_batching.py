"""What batching buys the Zendesk sync: one standard workload synced twice in one run, batching
ON (update_many, the default 10 s window) and OFF (one PUT per change), each from a fresh
database and a fresh fake Zendesk on the Team plan's limit (200 requests/min, account-wide).

    .venv/bin/python bench/zendesk_batching.py [--calls 1000] [--database-url postgres://...]
        [--minutes 20] [--window 10] [--tick 1] [--job-delay 0.5] [--seed 7]

Without --database-url each mode gets a fresh SQLite file. With a PostgreSQL URL the database is
reused: every table in its current schema is DROPPED before each mode (use a scratch database).

The workload, made through deskql's own services (app/tickets/service.py) exactly as the product
makes it, so the domain event log and the sync's outbox see ordinary changes:

- before the run: 20 agent accounts (with e-mails Zendesk knows as agents, seeded into the fake)
  and a pool of 150 callers (contacts with a phone and an external id, made with
  app/directory/contacts.create_contact and synced to Zendesk; this warm-up is not counted);
  the custom data keys callDuration, waitTime and queueName mapped to Zendesk ticket fields;
- ``--calls`` calls start at a steady rate over ``--minutes`` virtual minutes; call i lasts
  D = 60-300 s (seeded) and makes, at the virtual second given:
    * 0       ticket created (phone channel, the caller as requester)    -> ticket.create
    * +8      ticket assigned to an agent                                 -> ticket.update
    * +0.4 D  a private note                                              -> ticket.comment
    * +0.8 D  a second private note                                       -> ticket.comment
    * +D      call end: custom fields callDuration, waitTime, queueName   -> ticket.update
  i.e. 5 changes per call: one creation (never batched) and 4 batchable changes.

Time is virtual: one ManualClock (app/delivery/clock.py) is shared by the sync and the fake, so
the fake's one-minute rate windows and job delays and the sync's batch window and Retry-After
waits all run on it. The fake is called in-process (httpx.ASGITransport, no socket). The clock
moves in ``--tick`` steps; each tick commits the changes due, runs one round of the Zendesk
worker (outbox, then sync: app/zendesk/worker.py ZendeskWorker.step), then reads the fake's
state. A change's latency is the virtual time from its commit in deskql to the first tick at
which the fake Zendesk holds it (ticket, assignee, note text or field value), so it includes the
ticks' granularity (<= 1 tick) and, for batches, the fake applying an update_many job only when
its status is polled. Wall time: about a minute and a half for 1 000 calls on SQLite.

Printed for each mode: requests Zendesk received (by route), 429s, requests saved by batching
(against the OFF run, and the sync's own counter), latency p50/p95/max by kind of change.
Targets: >= 50 % fewer requests with batching on, zero 429s (batching on), p95 <= window + 5 s
(batching on, every batchable change, the call-end update included).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from tortoise import Tortoise, connections  # noqa: E402

from app.accounts.models import Account, AccountStatus, Role  # noqa: E402
from app.accounts.principal import Principal  # noqa: E402
from app.channels import Channel  # noqa: E402
from app.db import APP_LABEL, is_sqlite, migrate, tortoise_config  # noqa: E402
from app.delivery.clock import ManualClock  # noqa: E402
from app.directory.contacts import ContactInput, create_contact  # noqa: E402
from app.tickets import service as tickets  # noqa: E402
from app.zendesk import models as zd  # noqa: E402
from app.zendesk import state  # noqa: E402
from app.zendesk.client import Connection  # noqa: E402
from app.zendesk.fake import FakeZendesk, create_app  # noqa: E402
from app.zendesk.worker import ZendeskWorker  # noqa: E402

ACTOR = Principal.system("bench")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a minute boundary: the fake's windows align
BASE_URL = "http://zendesk.fake"
AGENTS = 20
CALLERS = 150
FIELDS = ("callDuration", "waitTime", "queueName")
QUEUES = ("Billing", "Support", "Sales", "Returns")
KINDS = ("create", "assign", "note", "call end")  # the kinds of change, as printed
OPEN = [zd.TaskStatus.PENDING, zd.TaskStatus.SENT]


# -- the workload ------------------------------------------------------------------------------


@dataclass
class Change:
    """One change of one call: committed at ``at`` (virtual seconds), held by Zendesk at
    ``held`` (None until seen)."""

    at: int
    call: int
    kind: str  # one of KINDS
    seq: int  # the order of changes due at the same second
    committed: float | None = None
    held: float | None = None
    expect: Any = None  # what Zendesk must show: note text, field values


@dataclass
class Call:
    index: int
    start: int
    duration: int
    agent: int  # index into the agents
    caller: int  # index into the callers
    ticket_id: int | None = None
    zendesk_id: int | None = None


def workload(calls: int, minutes: float, seed: int) -> tuple[list[Call], list[Change]]:
    rng = random.Random(seed)
    span = minutes * 60
    plan: list[Call] = []
    changes: list[Change] = []
    for i in range(calls):
        call = Call(
            index=i,
            start=int(i * span / calls),
            duration=rng.randint(60, 300),
            agent=rng.randrange(AGENTS),
            caller=rng.randrange(CALLERS),
        )
        plan.append(call)
        d = call.duration
        for offset, kind in ((0, "create"), (8, "assign"), (int(0.4 * d), "note"),
                             (int(0.8 * d), "note"), (d, "call end")):  # fmt: skip
            changes.append(Change(at=call.start + offset, call=i, kind=kind, seq=len(changes)))
    changes.sort(key=lambda c: (c.at, c.seq))
    return plan, changes


# -- one mode ----------------------------------------------------------------------------------


@dataclass
class Result:
    mode: str
    requests: int
    routes: Counter[str]
    got_429: int
    early: int | None  # requests the fake received while it had told the sender to wait
    synced_sent: int
    synced_saved: int
    synced_limited: int
    latencies: dict[str, list[float]]
    missing: dict[str, int]
    dead: int
    virtual_seconds: float
    wall_seconds: float
    schema_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Bench:
    def __init__(self, args: argparse.Namespace, mode: str, url: str) -> None:
        self.args = args
        self.mode = mode
        self.url = url
        self.clock = ManualClock(START)
        self.fake = FakeZendesk(
            clock=self.clock, plan="team", base_url=BASE_URL, job_delay=args.job_delay
        )
        self.app = create_app(self.fake)
        self.worker = ZendeskWorker(
            connection=Connection(BASE_URL, self.fake.email, self.fake.token),
            clock=self.clock,
            database_url=url,
            transport=httpx.ASGITransport(app=self.app),
        )
        self.agent_ids: list[int] = []  # deskql account ids
        self.agent_zendesk: list[int] = []  # their Zendesk user ids
        self.callers: list[int] = []
        self.field_ids: dict[str, int] = {}
        self.by_external: dict[str, int] = {}  # fake tickets seen, by external id
        self.seen_tickets = 0

    async def setup(self) -> None:
        for n in range(AGENTS):
            email = f"agent{n:02d}@bench.example"
            account = await Account.create(
                account=f"agent{n:02d}", display_name=f"Agent {n:02d}", email=email,
                role=Role.AGENT, status=AccountStatus.ACTIVE, password_hash="!",
            )  # fmt: skip
            self.agent_ids.append(account.id)
            user, _ = self.fake.create_or_update_user(
                {"name": f"Agent {n:02d}", "email": email, "role": "agent"}
            )
            self.agent_zendesk.append(int(user["id"]))
        for name in FIELDS:  # as an admin would have made them in Zendesk
            fid = self.fake.next_id()
            self.fake.ticket_fields[fid] = {
                "id": fid, "url": f"{BASE_URL}/api/v2/ticket_fields/{fid}.json",
                "type": "text", "title": name, "active": True,
            }  # fmt: skip
            self.field_ids[name] = fid
        await state.settings()
        batching = self.mode == "on"
        await zd.ZendeskSettings.filter(id=1).update(
            enabled=True, batch_window_seconds=self.args.window, batch_comments=batching,
            batch_updates=batching, field_mapping=self.field_ids,
        )  # fmt: skip
        for n in range(CALLERS):
            contact = await create_contact(
                actor=ACTOR,
                data=ContactInput(
                    name=f"Caller {n:03d}",
                    phones=[f"+86 138 {n // 10000:04d} {n % 10000:04d}"],
                    external_id=f"crm-{n}",
                ),
                country_code="86",
            )
            self.callers.append(contact.id)
        # The warm-up: the callers become Zendesk users (not measured).
        for _ in range(600):
            await self.worker.step()
            if not await zd.ZendeskTask.filter(status__in=OPEN).exists():
                break
            self.clock.advance(1)
        else:
            raise SystemExit("the warm-up (callers to Zendesk) did not settle")
        # The measured run starts on a fresh one-minute window of the fake.
        now = self.clock.now()
        self.clock.advance(120 - now.timestamp() % 60)

    async def commit(self, change: Change, call: Call) -> None:
        if change.kind == "create":
            ticket = await tickets.create_ticket(
                actor=ACTOR,
                data=tickets.TicketInput(
                    subject=f"Call {call.index} from Caller {call.caller:03d}",
                    description=f"Inbound call {call.index}.",
                    channel=Channel.PHONE,
                    requester_id=self.callers[call.caller],
                ),
            )
            call.ticket_id = ticket.id
        elif change.kind == "assign":
            assert call.ticket_id is not None
            await tickets.update_ticket(
                actor=ACTOR, ticket_id=call.ticket_id, assignee_id=self.agent_ids[call.agent]
            )
            change.expect = self.agent_zendesk[call.agent]
        elif change.kind == "note":
            assert call.ticket_id is not None
            text = f"Note {change.seq} on call {call.index}: customer asked about the invoice."
            await tickets.add_comment(
                actor=ACTOR, ticket_id=call.ticket_id, body=text, public=False
            )
            change.expect = text
        else:
            assert call.ticket_id is not None
            values = {
                "callDuration": str(call.duration),
                "waitTime": str(8 + call.index % 30),
                "queueName": QUEUES[call.index % len(QUEUES)],
            }
            await tickets.update_ticket(
                actor=ACTOR, ticket_id=call.ticket_id, custom_fields=list(values.items())
            )
            change.expect = {self.field_ids[k]: v for k, v in values.items()}

    def held(self, change: Change, call: Call) -> bool:
        """Does the fake Zendesk hold this change now?"""
        if call.zendesk_id is None:
            if call.ticket_id is None:
                return False
            tickets_ = self.fake.tickets
            if len(tickets_) != self.seen_tickets:
                for ticket in list(tickets_.values())[self.seen_tickets :]:
                    self.by_external[str(ticket.get("external_id"))] = int(ticket["id"])
                self.seen_tickets = len(tickets_)
            call.zendesk_id = self.by_external.get(f"deskql-ticket-{call.ticket_id}")
            if call.zendesk_id is None:
                return False
        ticket = self.fake.tickets[call.zendesk_id]
        if change.kind == "create":
            return True
        if change.kind == "assign":
            return ticket.get("assignee_id") == change.expect
        if change.kind == "note":
            return any(change.expect in (c.get("body") or "")
                       for c in self.fake.comments.get(call.zendesk_id, []))  # fmt: skip
        values = {int(f["id"]): f.get("value") for f in ticket.get("custom_fields") or []}
        return all(values.get(fid) == v for fid, v in change.expect.items())

    async def run(self, plan: list[Call], changes: list[Change]) -> Result:
        await self.setup()
        first_request = len(self.fake.requests)
        first_429 = getattr(self.fake, "sent_429", 0)
        first_early = getattr(self.fake, "early_requests", None)
        shared = await state.shared()
        base = (shared.requests_sent, shared.requests_saved, shared.rate_limited)
        t0 = self.clock.now()
        started = time.perf_counter()
        waiting: list[Change] = []  # committed, not yet held
        next_change = 0
        limit = changes[-1].at + self.args.drain_minutes * 60
        tick = self.args.tick
        while True:
            now = (self.clock.now() - t0).total_seconds()
            while next_change < len(changes) and changes[next_change].at <= now:
                change = changes[next_change]
                await self.commit(change, plan[change.call])
                change.committed = now
                waiting.append(change)
                next_change += 1
            await self.worker.step()
            still = []
            for change in waiting:
                if self.held(change, plan[change.call]):
                    change.held = now
                else:
                    still.append(change)
            waiting = still
            settled = next_change == len(changes) and not waiting
            if settled and not await zd.ZendeskTask.filter(status__in=OPEN).exists():
                break
            if now >= limit:
                break
            self.clock.advance(tick)
        wall = time.perf_counter() - started
        shared = await state.shared()
        latencies: dict[str, list[float]] = {k: [] for k in KINDS}
        missing: Counter[str] = Counter()
        for change in changes:
            if change.held is None or change.committed is None:
                missing[change.kind] += 1
            else:
                latencies[change.kind].append(change.held - change.committed)
        received = self.fake.requests[first_request:]
        return Result(
            mode=self.mode,
            requests=len(received),
            routes=Counter(route(method, path) for method, path, _ in received),
            got_429=getattr(self.fake, "sent_429", 0) - first_429,
            early=(getattr(self.fake, "early_requests", 0) - first_early)
            if first_early is not None
            else None,
            synced_sent=shared.requests_sent - base[0],
            synced_saved=shared.requests_saved - base[1],
            synced_limited=shared.rate_limited - base[2],
            latencies=latencies,
            missing=dict(missing),
            dead=await zd.ZendeskTask.filter(status=zd.TaskStatus.DEAD).count(),
            virtual_seconds=(self.clock.now() - t0).total_seconds(),
            wall_seconds=wall,
            extra={"last_error": shared.last_error},
        )

    async def close(self) -> None:
        await self.worker.close()


def route(method: str, path: str) -> str:
    path = path.removeprefix("/api/v2").removesuffix(".json")
    path = re.sub(r"/job_statuses/[^/]+", "/job_statuses/{id}", path)
    path = re.sub(r"/\d+", "/{id}", path)
    return f"{method} {path}"


# -- the database ------------------------------------------------------------------------------


async def _drop_all(url: str) -> None:
    """PostgreSQL: drop every table of the current schema (a fresh database for each mode)."""
    await Tortoise.init(config=tortoise_config(url))
    try:
        conn = connections.get("default")
        rows = await conn.execute_query_dict(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
        if rows:
            names = ", ".join(f'"{r["tablename"]}"' for r in rows)
            await conn.execute_script(f"DROP TABLE IF EXISTS {names} CASCADE")
    finally:
        await Tortoise.close_connections()


async def _missing_columns() -> list[str]:
    """Model columns the migrated schema lacks (migrations behind the models)."""
    conn = connections.get("default")
    missing = []
    for model in Tortoise.apps[APP_LABEL].values():
        table = model._meta.db_table
        columns = list(model._meta.fields_db_projection.values())
        select = ", ".join(f'"{c}"' for c in columns)
        try:
            await conn.execute_query(f'SELECT {select} FROM "{table}" WHERE 1 = 0')
        except Exception:
            for column in columns:
                try:
                    await conn.execute_query(f'SELECT "{column}" FROM "{table}" WHERE 1 = 0')
                except Exception:
                    missing.append(f"{table}.{column}")
    return missing


async def fresh_database(args: argparse.Namespace, mode: str, tmp: Path) -> tuple[str, str]:
    """A migrated, empty database for one mode, Tortoise initialised on it; and a note when the
    schema had to come from the models because the migrations lag them."""
    url = args.database_url or f"sqlite://{tmp}/{mode}.sqlite3"
    if not is_sqlite(url):
        await _drop_all(url)
    await migrate(url)
    await Tortoise.init(config=tortoise_config(url))
    missing = await _missing_columns()
    if not missing:
        return url, ""
    await Tortoise.close_connections()
    if is_sqlite(url):
        url = f"sqlite://{tmp}/{mode}-from-models.sqlite3"
    else:
        await _drop_all(url)
    await Tortoise.init(config=tortoise_config(url))
    await Tortoise.generate_schemas()
    return url, "schema built from the models: the migrations lack " + ", ".join(missing[:8])


# -- reporting ---------------------------------------------------------------------------------


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, int(round(p * len(ordered) + 0.5)) - 1))]


def print_mode(r: Result, window: int) -> None:
    title = f"batching {r.mode.upper()}" + (f" (window {window} s)" if r.mode == "on" else "")
    print(f"\n== {title}")
    if r.schema_note:
        print(f"   note: {r.schema_note}")
    print(f"requests sent to Zendesk : {r.requests}  (the sync counted {r.synced_sent})")
    for name, n in r.routes.most_common():
        print(f"    {n:>6}  {name}")
    early = "" if r.early is None else f", {r.early} sent while told to wait"
    print(f"429s received            : {r.got_429}  (the sync counted {r.synced_limited}{early})")
    print(f"saved by batching        : the sync counted {r.synced_saved}")
    print("latency, commit in deskql -> held by Zendesk (virtual s):")
    print(f"    {'change':<12}{'n':>6}{'p50':>8}{'p95':>8}{'max':>8}")
    for kind in (*KINDS, "updates"):
        samples = (
            r.latencies[kind]
            if kind != "updates"
            else [x for k in KINDS if k != "create" for x in r.latencies[k]]
        )
        if samples:
            print(
                f"    {kind:<12}{len(samples):>6}{statistics.median(samples):>8.1f}"
                f"{percentile(samples, 0.95):>8.1f}{max(samples):>8.1f}"
            )
    if r.missing:
        print(f"never held by Zendesk    : {r.missing}")
    if r.dead:
        print(f"dead-lettered tasks      : {r.dead} (last error: {r.extra.get('last_error')})")
    print(f"virtual time {r.virtual_seconds / 60:.1f} min, wall time {r.wall_seconds:.1f} s")


def verdicts(on: Result, off: Result, window: int) -> None:
    print("\n== targets")
    saved = off.requests - on.requests
    share = saved / off.requests if off.requests else 0.0
    print(
        f"requests saved by batching: {off.requests} - {on.requests} = {saved} "
        f"({share:.0%} fewer)  target >= 50 %: {'PASS' if share >= 0.5 else 'FAIL'}"
    )
    print(
        f"429s with batching on: {on.got_429}  target 0: {'PASS' if on.got_429 == 0 else 'FAIL'}"
        f"   (batching off: {off.got_429})"
    )
    bound = window + 5
    for label, kinds in (("call-end update", ["call end"]),
                         ("every batchable change", ["assign", "note", "call end"])):  # fmt: skip
        samples = [x for k in kinds for x in on.latencies[k]]
        p95 = percentile(samples, 0.95) if samples else float("inf")
        missing = sum(on.missing.get(k, 0) for k in kinds)
        ok = p95 <= bound and not missing
        extra = f", {missing} never held" if missing else ""
        print(
            f"p95 {label}, batching on: {p95:.1f} s  target <= {bound} s: "
            f"{'PASS' if ok else 'FAIL'}{extra}"
        )


# -- main --------------------------------------------------------------------------------------


async def main_async(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="deskql-bench-zendesk-"))
    results: dict[str, Result] = {}
    wall = time.perf_counter()
    for mode in ("on", "off"):
        plan, changes = workload(args.calls, args.minutes, args.seed)
        url, note = await fresh_database(args, mode, tmp)
        bench = Bench(args, mode, url)
        try:
            results[mode] = await bench.run(plan, changes)
            results[mode].schema_note = note
        finally:
            await bench.close()
            await Tortoise.close_connections()
    where = "SQLite" if not args.database_url else args.database_url.split("@")[-1]
    print(
        f"Zendesk sync, {args.calls} calls over {args.minutes:g} virtual min "
        f"({args.calls * 5} changes: 1 creation + 4 batchable per call), fake Zendesk on the "
        f"Team plan (200 requests/min), {where}, tick {args.tick:g} s, "
        f"jobs take {args.job_delay:g} s"
    )
    for mode in ("on", "off"):
        print_mode(results[mode], args.window)
    verdicts(results["on"], results["off"], args.window)
    print(f"\nwall time, both modes: {time.perf_counter() - wall:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file per mode")
    parser.add_argument("--minutes", type=float, default=20.0, help="virtual minutes of calls")
    parser.add_argument("--window", type=int, default=10, help="batch window, seconds")
    parser.add_argument("--tick", type=float, default=1.0, help="virtual seconds per round")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--job-delay", type=float, default=0.5,
        help="virtual seconds the fake takes to run an update_many job (polled until then)",
    )  # fmt: skip
    parser.add_argument(
        "--drain-minutes", type=float, default=120.0,
        help="virtual minutes allowed after the last change before giving up",
    )  # fmt: skip
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
