"""The floor for bench/lists.py: hand-written SQL endpoints answering the same bytes as deskql's
list queries (QUERIES below), a bare Starlette app in its own uvicorn process (one worker).

One route per list (POST /calls, /tickets, /sessions, /accounts; the body is ignored). Each runs
the statements the GraphQL answer needs and no more: a page of 50 main rows in the list's default
order, then one statement per kind of nested object with the page's ids (IN (...) on SQLite,
= ANY($1) on PostgreSQL), and builds the answer with json.dumps (compact separators, UTF-8 text
unescaped, selection order: deskql's encoding, byte for byte). The `x-statements` response header says how many it ran.

No authentication: this is the floor. `?agent=<account id>` applies an agent's visibility rules
(calls: theirs; tickets: assigned to them; sessions: served or transferred to or from them);
without it the endpoint sees everything, as the super admin does.

Drivers: sqlite3 (one connection, called directly on the event loop) for sqlite:// URLs, an
asyncpg pool of 1-5 connections (Tortoise's default size) for postgres:// ones.

    BENCH_DATABASE_URL=sqlite:///tmp/x/bench.sqlite3 \\
        .venv/bin/python -m uvicorn bench.lists_raw_app:app --port 8002
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PAGE = 50
QUERIES = {
    "calls": "{ calls(first: 50) { nodes { id callType talkSeconds agent { account } "
    "subCalls { id callType } } } }",
    "tickets": "{ tickets(first: 50) { nodes { id subject status requester { name } "
    "comments { id body public } } } }",
    "sessions": "{ chatSessions(first: 50) { nodes { id channel startedAt agent { account } "
    "transfers { reason toAgent { account } } } } }",
    "accounts": "{ accounts(first: 50) { nodes { id account displayName role status "
    "sipExtension permissionGroups { id name } } } }",
}


class Statement:
    """One statement's text and parameters in the driver's placeholder style."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.params: list[Any] = []

    def param(self, value: Any) -> str:
        self.params.append(value)
        return f"${len(self.params)}" if self.postgres else "?"

    def among(self, column: str, values: Sequence[Any], pg_type: str) -> str:
        if self.postgres:
            return f"{column} = ANY({self.param(list(values))}::{pg_type}[])"
        self.params.extend(values)
        return f"{column} IN ({','.join('?' * len(values))})"


Fetch = Callable[[str, list[Any]], Awaitable[Sequence[Sequence[Any]]]]


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.postgres = not url.startswith("sqlite://")
        self._sqlite: sqlite3.Connection | None = None
        self._pool: Any = None

    async def open(self) -> None:
        if self.postgres:
            import asyncpg

            dsn = self.url.replace("postgres://", "postgresql://", 1)
            self._pool = await asyncpg.create_pool(dsn, min_size=1, max_size=5)
        else:
            path = self.url.removeprefix("sqlite://").split("?", 1)[0]
            self._sqlite = sqlite3.connect(path, check_same_thread=False)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
        if self._sqlite is not None:
            self._sqlite.close()

    def statement(self) -> Statement:
        return Statement(self.postgres)

    async def fetch(self, sql: str, params: list[Any]) -> Sequence[Sequence[Any]]:
        if self._pool is not None:
            return await self._pool.fetch(sql, *params)
        assert self._sqlite is not None
        return self._sqlite.execute(sql, params).fetchall()

    def instant(self, value: Any) -> str:
        """A stored instant as strawberry's DateTime writes it (isoformat, UTC)."""
        if isinstance(value, str):  # SQLite: deskql's canonical UTC text
            value = datetime.fromisoformat(value)
        return value.isoformat()


class Run:
    """The statements of one request, counted."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.count = 0

    async def __call__(self, build: Callable[[Statement], str]) -> Sequence[Sequence[Any]]:
        stmt = self.db.statement()
        sql = build(stmt)
        self.count += 1
        return await self.db.fetch(sql, stmt.params)

    async def names(self, ids: set[int]) -> dict[int, str]:
        """Account login names by id (one statement; none for no ids)."""
        if not ids:
            return {}
        rows = await self(
            lambda s: f"SELECT id, account FROM account WHERE {s.among('id', sorted(ids), 'int')}"
        )
        return {row[0]: row[1] for row in rows}


def _agent(names: dict[int, str], account_id: int | None) -> dict[str, str] | None:
    return {"account": names[account_id]} if account_id in names else None


async def calls(run: Run, agent: int | None) -> dict[str, Any]:
    def page(s: Statement) -> str:
        where = f"WHERE agent_id = {s.param(agent)} " if agent is not None else ""
        return (
            "SELECT call_id, is_main, call_type, talk_seconds, agent_id FROM call_record "
            f"{where}ORDER BY started_epoch DESC, id DESC LIMIT {PAGE}"
        )

    rows = await run(page)
    mains = [row[0] for row in rows if row[1]]
    legs: dict[str, list[dict[str, Any]]] = {main: [] for main in mains}
    if mains:

        def sub_calls(s: Statement) -> str:
            mine = f" AND agent_id = {s.param(agent)}" if agent is not None else ""
            return (
                "SELECT main_call_id, call_id, call_type FROM call_record WHERE "
                f"{s.among('main_call_id', mains, 'text')} AND NOT is_main{mine} "
                "ORDER BY started_epoch, id"
            )

        for main_id, call_id, call_type in await run(sub_calls):
            legs[main_id].append({"id": call_id, "callType": call_type})
    names = await run.names({row[4] for row in rows if row[4] is not None})
    nodes = [
        {
            "id": call_id,
            "callType": call_type,
            "talkSeconds": talk,
            "agent": _agent(names, agent_id),
            "subCalls": legs[call_id] if is_main else [],
        }
        for call_id, is_main, call_type, talk, agent_id in rows
    ]
    return {"calls": {"nodes": nodes}}


async def tickets(run: Run, agent: int | None) -> dict[str, Any]:
    def page(s: Statement) -> str:
        where = f"WHERE assignee_id = {s.param(agent)} " if agent is not None else ""
        return (
            f"SELECT id, subject, status, requester_id FROM ticket {where}"
            f"ORDER BY created_at DESC, id DESC LIMIT {PAGE}"
        )

    rows = await run(page)
    ids = [row[0] for row in rows]
    requester_ids = sorted({row[3] for row in rows if row[3] is not None})
    contacts: dict[int, str] = {}
    if requester_ids:
        found = await run(
            lambda s: f"SELECT id, name FROM contact WHERE {s.among('id', requester_ids, 'int')}"
        )
        contacts = {row[0]: row[1] for row in found}
    comments: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        found = await run(
            lambda s: (
                "SELECT ticket_id, id, body, public FROM ticket_comment "
                f"WHERE {s.among('ticket_id', ids, 'int')} ORDER BY id"
            )
        )
        for ticket_id, comment_id, body, public in found:
            comments[ticket_id].append(
                {"id": str(comment_id), "body": body, "public": bool(public)}
            )
    nodes = [
        {
            "id": str(ticket_id),
            "subject": subject,
            "status": status,
            "requester": {"name": contacts[requester]} if requester in contacts else None,
            "comments": comments[ticket_id],
        }
        for ticket_id, subject, status, requester in rows
    ]
    return {"tickets": {"nodes": nodes}}


async def sessions(run: Run, agent: int | None) -> dict[str, Any]:
    def page(s: Statement) -> str:
        where = ""
        if agent is not None:
            where = (
                f"WHERE s.agent_id = {s.param(agent)} OR EXISTS (SELECT 1 FROM session_transfer t"
                f" WHERE t.session_id = s.id AND (t.to_agent_id = {s.param(agent)}"
                f" OR t.from_agent_id = {s.param(agent)})) "
            )
        return (
            "SELECT s.id, s.session_id, s.channel, s.started_at, s.agent_id FROM chat_session s "
            f"{where}ORDER BY s.started_at DESC, s.id DESC LIMIT {PAGE}"
        )

    rows = await run(page)
    ids = [row[0] for row in rows]
    transfers: dict[int, list[tuple[str | None, int | None]]] = {i: [] for i in ids}
    if ids:
        found = await run(
            lambda s: (
                "SELECT session_id, reason, to_agent_id FROM session_transfer "
                f"WHERE {s.among('session_id', ids, 'int')} ORDER BY transferred_at, id"
            )
        )
        for session_id, reason, to_agent in found:
            transfers[session_id].append((reason, to_agent))
    wanted = {row[4] for row in rows} | {t[1] for ts in transfers.values() for t in ts}
    names = await run.names({i for i in wanted if i is not None})
    instant = run.db.instant
    nodes = [
        {
            "id": session_id,
            "channel": channel,
            "startedAt": instant(started),
            "agent": _agent(names, agent_id),
            "transfers": [
                {"reason": reason, "toAgent": _agent(names, to_agent)}
                for reason, to_agent in transfers[pk]
            ],
        }
        for pk, session_id, channel, started, agent_id in rows
    ]
    return {"chatSessions": {"nodes": nodes}}


async def accounts(run: Run, agent: int | None) -> dict[str, Any]:
    if agent is not None:
        raise LookupError("agents may not list accounts (accounts.manage)")
    rows = await run(
        lambda s: (
            f"SELECT id, account, display_name, role, status FROM account ORDER BY id LIMIT {PAGE}"
        )
    )
    ids = [row[0] for row in rows]
    lines: dict[int, str | None] = {}
    groups: dict[int, list[dict[str, str]]] = {i: [] for i in ids}
    if ids:
        found = await run(
            lambda s: (
                "SELECT account_id, sip_extension FROM phone_line "
                f"WHERE {s.among('account_id', ids, 'int')}"
            )
        )
        lines = {row[0]: row[1] for row in found}
        found = await run(
            lambda s: (
                "SELECT l.account_id, g.id, g.name FROM account_permission_group l "
                "JOIN permission_group g ON g.id = l.group_id "
                f"WHERE {s.among('l.account_id', ids, 'int')} ORDER BY l.id"
            )
        )
        for account_id, group_id, name in found:
            groups[account_id].append({"id": str(group_id), "name": name})
    nodes = [
        {
            "id": str(pk),
            "account": login,
            "displayName": display,
            "role": role,
            "status": status,
            "sipExtension": lines.get(pk),
            "permissionGroups": groups[pk],
        }
        for pk, login, display, role, status in rows
    ]
    return {"accounts": {"nodes": nodes}}


LISTS: dict[str, Callable[[Run, int | None], Awaitable[dict[str, Any]]]] = {
    "calls": calls,
    "tickets": tickets,
    "sessions": sessions,
    "accounts": accounts,
}


def _endpoint(name: str) -> Callable[[Request], Awaitable[Response]]:
    build = LISTS[name]

    async def endpoint(request: Request) -> Response:
        await request.body()
        agent = request.query_params.get("agent")
        run = Run(request.app.state.db)
        try:
            data = await build(run, int(agent) if agent else None)
        except LookupError as exc:
            return Response(str(exc), status_code=403)
        body = json.dumps({"data": data}, separators=(",", ":"), ensure_ascii=False)
        return Response(
            body, media_type="application/json", headers={"x-statements": str(run.count)}
        )

    return endpoint


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    db = Database(os.environ["BENCH_DATABASE_URL"])
    await db.open()
    app.state.db = db
    try:
        yield
    finally:
        await db.close()


app = Starlette(
    routes=[Route(f"/{name}", _endpoint(name), methods=["POST"]) for name in LISTS],
    lifespan=lifespan,
)
