"""Helpers shared by tests (fixtures live in conftest.py files): the documents clients send,
whole-database snapshots, SQL statement counting, real server processes and fresh databases,
and the contact-center dataset whose report figures are worked out by hand."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import os
import re
import secrets
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
from tortoise import Tortoise, connections
from websockets.asyncio.client import connect

from app.accounts.models import Role
from app.accounts.principal import Principal
from app.db import APP_LABEL, is_sqlite
from app.directory import teams
from app.telephony.importer import import_call_records
from app.webhooks.worker import WebhookWorker

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = ROOT / "graphql" / "operations"
TMP = Path(tempfile.mkdtemp(prefix="deskql-test-"))
DATABASE_URL = os.environ.get("DESKQL_TEST_DATABASE_URL") or f"sqlite://{TMP}/test.sqlite3"
ON_POSTGRES = not is_sqlite(DATABASE_URL)
ARTIFACTS = ROOT / "test-artifacts" / ("postgres" if ON_POSTGRES else "sqlite")
# Services called directly by tests act as the system.
SYSTEM = Principal.system("tests")


@cache
def operation(name: str) -> str:
    """The document a client sends, e.g. operation("accounts/Login")."""
    return (OPERATIONS / f"{name}.graphql").read_text()


CREATE_TICKET = """mutation($input: CreateTicketInput!) { createTicket(input: $input) {
  id status assignee { account } customFields { name value } requester { name } } }"""


async def create_ticket(gql, token: str, **fields) -> dict:
    """A ticket made through GraphQL (subject "Printer on fire" unless given)."""
    result = await gql(
        CREATE_TICKET, {"input": {"subject": "Printer on fire", **fields}}, token=token
    )
    assert "errors" not in result, result
    return result["data"]["createTicket"]


def error_codes(result: dict) -> list[str]:
    return [e["extensions"]["code"] for e in result.get("errors", [])]


async def snapshot() -> dict[str, list]:
    """Every row of every table, to prove that a refused request changed nothing."""
    conn = connections.get("default")
    result = {}
    for model in Tortoise.apps[APP_LABEL].values():
        table = model._meta.db_table
        rows = await conn.execute_query_dict(f'SELECT * FROM "{table}" ORDER BY id')
        result[table] = [sorted((k, str(v)) for k, v in row.items()) for row in rows]
    return result


async def assert_allowed(document: str, result: dict, before: dict[str, list]) -> None:
    """An allowed operation really did its work: no error, an answer that is not empty and,
    for a mutation, a change in the database (a role matrix must not pass on a no-op)."""
    assert "errors" not in result, result
    assert result.get("data"), result
    for name, answer in result["data"].items():
        assert answer not in (None, False, [], {}), (name, result)
    if document.lstrip().startswith("mutation"):
        assert await snapshot() != before, "the mutation changed nothing"


# Set while a block counts: statements of the block's task and the tasks it starts (loaders),
# not those of the app's background tasks (the revocation watch, the view counter).
_counting: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "deskql_counting", default=None
)


class _QueryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)

    def emit(self, record: logging.LogRecord) -> None:
        statements = _counting.get()
        if statements is None:
            return
        message = record.getMessage().lstrip().upper()
        if message.startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")):
            statements.append(record.getMessage())


@contextlib.contextmanager
def count_queries(*, cold: bool = True):
    """Collect every SQL statement Tortoise sends for the block (requests made through the
    in-process ASGI app run in the block's task). Cached principals are dropped first unless
    ``cold`` is False: the block counts what a cold request costs, token lookup included."""
    from app.accounts.principals import PrincipalCache

    if cold:
        PrincipalCache.clear_all()
    logger = logging.getLogger("tortoise.db_client")
    counter = _QueryCounter()
    statements: list[str] = []
    token = _counting.set(statements)
    level = logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield statements
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
        _counting.reset(token)


# --- real server processes and fresh databases ---


def cli_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKQL_")}
    env.update(
        DESKQL_DATABASE_URL=database_url,
        DESKQL_VAR_DIR=str(var_dir),
        DESKQL_ARGON2_TIME_COST="1",
        DESKQL_ARGON2_MEMORY_KIB="1024",
        DESKQL_LOG_LEVEL="WARNING",
        # Server processes leave the delivery workers to the tests that start them.
        DESKQL_RUN_WORKERS="false",
        DESKQL_WEBHOOK_ALLOW_PRIVATE="true",
    )
    env.update(extra)
    return env


def deskql(
    *args: str, env: dict[str, str], input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _pg_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


@contextlib.asynccontextmanager
async def fresh_database(template_url: str, tmp_path: Path):
    """An empty database of the same kind as ``template_url``; dropped afterwards."""
    if is_sqlite(template_url):
        yield f"sqlite://{tmp_path}/fresh.sqlite3"
        return
    name = f"deskql_fresh_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(
        _pg_url(template_url, "postgres").replace("postgres://", "postgresql://", 1)
    )
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield _pg_url(template_url, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def table_columns(database_url: str) -> dict[str, set[str]]:
    if is_sqlite(database_url):
        path = database_url.removeprefix("sqlite://")
        with contextlib.closing(sqlite3.connect(path)) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            return {t: {r[1] for r in db.execute(f'PRAGMA table_info("{t}")')} for t in tables}
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        rows = await conn.fetch(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public'"
        )
    finally:
        await conn.close()
    result: dict[str, set[str]] = {}
    for row in rows:
        result.setdefault(row["table_name"], set()).add(row["column_name"])
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server_process(env: dict[str, str], port: int):
    """`deskql serve` in its own process; yields the base URL once /healthz answers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{proc.stdout.read()}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG image of ``width`` x ``height`` red pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# --- the contact-center day (R-CC-3..5, R-RPT-*)
# A small contact-center day with every leg type, whose report figures are worked out by hand
# in test_reports.py. All times UTC, on 2026-03-02 (day 1) and 2026-03-03 (day 2).
#
# Agents a and b are in team T1, c in T2, the supervisor s in no team.
#
# C1  inbound, q1, 10:00  a answers, is consulted with c, monitored by s, transfers to b
# C2  inbound, q1, 11:30  b answers (20 s hold), transfer-consults a, consults and tries to
#                        transfer to third parties
# C3  inbound, q2, 23:50  abandoned in the queue
# C4  outbound, day 2 09:00  c, s barges in and later force-disconnects
# C5  outbound, day 2 10:00  a, no answer
# C6  inbound, q2, day 2 12:00  rings c, voicemail


def _day(day: int, clock: str) -> str:
    return f"2026-03-0{day + 1}T{clock}Z"


def call(id, main, call_type, agent, start, **fields):
    record = {"id": id, "mainCallId": main, "callType": call_type, "startedAt": start}
    if agent:
        record["agentAccount"] = agent
    record.update(fields)
    return record


CALLS = [
    call(
        "C1",
        "C1",
        "INBOUND",
        "a",
        _day(1, "10:00:00"),
        queue="q1",
        answeredAt=_day(1, "10:00:20"),
        endedAt=_day(1, "10:04:20"),
        ringSeconds=20,
        talkSeconds=240,
        queueSeconds=5,
        hangupParty="TRANSFER",
        result="ANSWERED",
        transferFlag="TRANSFERRED",
        consulted=True,
        consultCount=1,
        customerPhone="+8613800138000",
        callWay="SIP_PHONE",
        recordingUrl="https://rec.example/C1.mp3",
    ),
    call(
        "C1-2",
        "C1",
        "TRANSFER_AGENT",
        "b",
        _day(1, "10:04:00"),
        queue="q1",
        answeredAt=_day(1, "10:04:10"),
        endedAt=_day(1, "10:09:10"),
        ringSeconds=10,
        talkSeconds=300,
        hangupParty="CUSTOMER",
        result="ANSWERED",
    ),
    call(
        "C1-3",
        "C1",
        "CONSULT_AGENT",
        "c",
        _day(1, "10:02:00"),
        answeredAt=_day(1, "10:02:05"),
        endedAt=_day(1, "10:03:05"),
        ringSeconds=5,
        talkSeconds=60,
        hangupParty="AGENT",
        result="ANSWERED",
    ),
    call(
        "C1-4",
        "C1",
        "MONITOR",
        "s",
        _day(1, "10:01:00"),
        answeredAt=_day(1, "10:01:00"),
        endedAt=_day(1, "10:04:00"),
        talkSeconds=180,
        hangupParty="AGENT",
        result="ANSWERED",
    ),
    call(
        "C2",
        "C2",
        "INBOUND",
        "b",
        _day(1, "11:30:00"),
        queue="q1",
        answeredAt=_day(1, "11:30:30"),
        endedAt=_day(1, "11:32:30"),
        ringSeconds=30,
        talkSeconds=100,
        holdSeconds=20,
        hangupParty="CUSTOMER",
        result="ANSWERED",
        transferFlag="TRANSFER_CONSULT",
        consulted=True,
        consultCount=1,
    ),
    call(
        "C2-2",
        "C2",
        "TRANSFER_CONSULT",
        "a",
        _day(1, "11:31:00"),
        answeredAt=_day(1, "11:31:10"),
        endedAt=_day(1, "11:31:40"),
        ringSeconds=10,
        talkSeconds=30,
        hangupParty="AGENT",
        result="ANSWERED",
    ),
    call(
        "C2-3",
        "C2",
        "TRANSFER_THIRD_PARTY",
        None,
        _day(1, "11:32:00"),
        endedAt=_day(1, "11:32:20"),
        hangupParty="THIRD_PARTY",
        result="THIRD_PARTY_UNREACHABLE",
    ),
    call(
        "C2-4",
        "C2",
        "CONSULT_THIRD_PARTY",
        None,
        _day(1, "11:31:45"),
        answeredAt=_day(1, "11:31:50"),
        endedAt=_day(1, "11:32:00"),
        talkSeconds=10,
        hangupParty="THIRD_PARTY",
        result="THIRD_PARTY_ANSWERED",
    ),
    call(
        "C3",
        "C3",
        "INBOUND",
        None,
        _day(1, "23:50:00"),
        queue="q2",
        endedAt=_day(1, "23:51:00"),
        queueSeconds=60,
        hangupParty="CUSTOMER",
        result="ABANDONED_IN_QUEUE",
    ),
    call(
        "C4",
        "C4",
        "OUTBOUND",
        "c",
        _day(2, "09:00:00"),
        answeredAt=_day(2, "09:00:15"),
        endedAt=_day(2, "09:10:15"),
        ringSeconds=15,
        talkSeconds=600,
        hangupParty="FORCE_DISCONNECT",
        result="ANSWERED",
    ),
    call(
        "C4-2",
        "C4",
        "BARGE_IN",
        "s",
        _day(2, "09:05:00"),
        answeredAt=_day(2, "09:05:00"),
        endedAt=_day(2, "09:06:00"),
        talkSeconds=60,
        hangupParty="AGENT",
        result="ANSWERED",
    ),
    call(
        "C4-3",
        "C4",
        "FORCE_DISCONNECT",
        "s",
        _day(2, "09:09:00"),
        answeredAt=_day(2, "09:09:00"),
        endedAt=_day(2, "09:09:30"),
        talkSeconds=30,
        hangupParty="FORCE_DISCONNECT",
        result="ANSWERED",
    ),
    call(
        "C5",
        "C5",
        "OUTBOUND",
        "a",
        _day(2, "10:00:00"),
        endedAt=_day(2, "10:00:40"),
        ringSeconds=40,
        hangupParty="AGENT",
        result="CUSTOMER_NO_ANSWER",
    ),
    call(
        "C6",
        "C6",
        "INBOUND",
        "c",
        _day(2, "12:00:00"),
        queue="q2",
        endedAt=_day(2, "12:01:00"),
        ringSeconds=25,
        hangupParty="CUSTOMER",
        result="VOICEMAIL",
        voicemail=True,
        voicemailUrl="https://rec.example/C6-vm.mp3",
    ),
]

INTERVALS = [
    {
        "agentAccount": "a",
        "status": "IDLE",
        "startedAt": _day(1, "09:00:00"),
        "endedAt": _day(1, "10:00:00"),
    },
    {
        "agentAccount": "a",
        "status": "BUSY",
        "startedAt": _day(1, "10:00:00"),
        "endedAt": _day(1, "10:30:00"),
    },
    {
        "agentAccount": "a",
        "status": "ACW",
        "startedAt": _day(1, "10:30:00"),
        "endedAt": _day(1, "10:40:00"),
    },
    {
        "agentAccount": "a",
        "status": "BREAK",
        "startedAt": _day(1, "10:40:00"),
        "endedAt": _day(1, "11:00:00"),
    },
    # crosses the end of the range (2026-03-04 00:00 UTC): one hour of it counts
    {
        "agentAccount": "b",
        "status": "IDLE",
        "startedAt": _day(2, "23:00:00"),
        "endedAt": "2026-03-04T01:00:00Z",
    },
    # before the range: not counted
    {
        "agentAccount": "c",
        "status": "IDLE",
        "startedAt": "2026-03-01T22:00:00Z",
        "endedAt": "2026-03-01T23:00:00Z",
    },
]


async def build_contact_day(make_account) -> dict:
    """Teams, queues, agents a, b, c, s, and the calls imported through the real service."""
    made = {}
    for name in ("a", "b", "c", "s"):
        made[name] = await make_account(name, Role.AGENT)
    t1 = await teams.create_team(actor=SYSTEM, name="T1")
    t2 = await teams.create_team(actor=SYSTEM, name="T2")
    await teams.set_team_members(
        actor=SYSTEM, team_id=t1.id, account_ids=[made["a"][0].id, made["b"][0].id]
    )
    await teams.set_team_members(actor=SYSTEM, team_id=t2.id, account_ids=[made["c"][0].id])
    await teams.create_queue(actor=SYSTEM, name="q1", team_id=t1.id)
    await teams.create_queue(actor=SYSTEM, name="q2", team_id=t2.id)
    await import_call_records(actor=SYSTEM, records=CALLS)
    made["T1"], made["T2"] = t1, t2
    return made


# --- webhooks: a real receiver, and driving the delivery worker by hand ---

WEBHOOK_EVENTS = ["call.incoming", "call.ringing", "call.answered", "call.ended", "call.ended_all"]


async def drain(worker: WebhookWorker, rounds: int = 50) -> int:
    """Run the worker until it finds nothing due (at the manual clock's time)."""
    total = 0
    for _ in range(rounds):
        done = await worker.step()
        if not done:
            return total
        total += done
    raise AssertionError("the worker never went idle")


async def register(gql, token: str, url: str, events: list[str] | None = None) -> dict:
    result = await gql(
        operation("settings/CreateWebhookEndpoint"),
        {"input": {"url": url, "events": events or WEBHOOK_EVENTS, "description": "CRM"}},
        token=token,
    )
    assert "errors" not in result, result
    return result["data"]["createWebhookEndpoint"]


async def call_event(
    gql, token: str, event_id: str, type_: str, call_id: str, clock: str, **fields
) -> dict:
    result = await gql(
        operation("integration/RecordCallEvent"),
        {
            "input": {
                "eventId": event_id,
                "type": type_,
                "callId": call_id,
                "occurredAt": f"2026-03-02T{clock}+08:00",
                **fields,
            }
        },
        token=token,
    )
    assert "errors" not in result, result
    return result["data"]["recordCallEvent"]


async def deliveries(gql, token: str, endpoint_id: str, **filter_) -> list[dict]:
    result = await gql(
        operation("settings/WebhookDeliveries"),
        {"endpointId": endpoint_id, "filter": filter_ or None, "first": 100},
        token=token,
    )
    assert "errors" not in result, result
    return result["data"]["webhookDeliveries"]["nodes"]


README = ROOT / "README.md"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.time() on arrival
    status: int = 0  # what the receiver answered

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (longer than the sender's timeout: a timeout)


Behaviour = Callable[[Received], Answer]


class Receiver:
    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour: Behaviour = behaviour or (lambda request: Answer())
        self.received: list[Received] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # answers in one go, not after a delayed ACK

            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name): a file to fetch
                self.do_POST()

            def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
                length = int(self.headers.get("content-length") or 0)
                request = Received(
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length),
                    at=time.time(),
                )
                answer = receiver.behaviour(request)
                request.status = answer.status
                with receiver._lock:
                    receiver.received.append(request)
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:  # the sender gave up waiting
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            # socketserver's backlog is 5: ten deliveries at once on a busy machine overflowed
            # it, the kernel dropped SYNs, the sender's retry came after its 0.5 s timeout and
            # a planned 500 was recorded as a timeout (tests/webhooks/test_faults.py failed so
            # on both databases in one full run of three).
            request_queue_size = 128

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a sender that died mid-request (the SIGKILL tests) is no news

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def requests(self, path: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self.received if path is None or r.path == path]

    def acknowledged(self, path: str | None = None) -> list[Received]:
        return [r for r in self.requests(path) if 200 <= r.status < 300]

    def clear(self) -> None:
        with self._lock:
            self.received.clear()


def readme_verifier() -> Callable[..., bool]:
    """The signature check the README gives receivers, taken from the README itself (the
    Python block after the ``<!-- verify-webhook -->`` marker) and run as written."""
    text = README.read_text()
    found = re.search(r"<!-- verify-webhook -->\s*```python\n(.*?)```", text, re.S)
    assert found, "README.md lacks the <!-- verify-webhook --> snippet"
    namespace: dict = {}
    exec(compile(found.group(1), "README.md#verify-webhook", "exec"), namespace)
    return namespace["verify"]


# -- the Zendesk sync ---------------------------------------------------------------------------


async def settle(sync, clock, *, rounds: int = 30, step: float = 1.0) -> None:
    """Rounds of the Zendesk sync until nothing is pending or in flight, moving the (manual)
    clock between them."""
    from app.zendesk import models as zendesk_models

    for _ in range(rounds):
        busy = await sync.step()
        left = await zendesk_models.ZendeskTask.filter(
            status__in=[zendesk_models.TaskStatus.PENDING, zendesk_models.TaskStatus.SENT]
        ).count()
        if not left and not busy:
            return
        clock.advance(step)
    raise AssertionError("the sync did not settle")


async def zendesk_comments(zd, ticket_id) -> list[dict]:
    """A Zendesk ticket's comments, read through the API."""
    response = await zd.get(f"/tickets/{ticket_id}/comments.json")
    response.raise_for_status()
    return response.json()["comments"]


async def zendesk_id(gql, token, ticket_id) -> int:
    """The Zendesk ticket a deskql ticket is synced to."""
    result = await gql(operation("workspace/TicketZendesk"), {"id": ticket_id}, token=token)
    return int(result["data"]["ticket"]["zendesk"]["ticketId"])


# -- GraphQL subscriptions over a real socket (a message is awaited 3 s) ----------------------


class Subscription:
    """One graphql-transport-ws socket with one subscription on it."""

    def __init__(self, url: str, token: str, query: str, variables: dict | None = None):
        self.url, self.token, self.query, self.variables = url, token, query, variables or {}

    async def __aenter__(self) -> Subscription:
        self.ws = await connect(self.url, subprotocols=["graphql-transport-ws"])
        await self.ws.send(
            json.dumps(
                {"type": "connection_init", "payload": {"Authorization": f"Bearer {self.token}"}}
            )
        )
        assert json.loads(await self.ws.recv())["type"] == "connection_ack"
        await self.ws.send(
            json.dumps(
                {
                    "id": "s",
                    "type": "subscribe",
                    "payload": {"query": self.query, "variables": self.variables},
                }
            )
        )
        await asyncio.sleep(0.3)  # subscribed before the test writes
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def next(self) -> dict:
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout=3.0))

    async def data(self) -> dict:
        message = await self.next()
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        return next(iter(message["payload"]["data"].values()))

    async def refusal(self) -> dict:
        """The extensions of the error ending the subscription (an `error` message, or a
        `next` carrying errors when the resolver refused)."""
        message = await self.next()
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        return errors[0]["extensions"]

    async def silent(self, seconds: float = 1.0) -> bool:
        try:
            message = await asyncio.wait_for(self.ws.recv(), timeout=seconds)
        except TimeoutError:
            return True
        raise AssertionError(f"unexpected message {message}")
