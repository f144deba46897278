"""Statements per request of one GraphQL document, counted in-process: a fresh deskql app (its
lifespan entered, so the first request is cold: no cached principal, no loader state) serves the
document twice through httpx's ASGI transport; every SQL statement Tortoise logs on the
`tortoise.db_client` logger at DEBUG from the request's task (and the loader tasks it starts)
is counted, as tests/support.py `count_queries` does. Run by bench/lists.py in a subprocess
whose working directory is the repository root (so its `app` is the one measured):

    BENCH_QUERY='{ me { id } }' BENCH_TOKEN=... DESKQL_DATABASE_URL=... \\
        [BENCH_MORE_QUERIES='["...", "..."]'] .venv/bin/python -m bench.listcount

Prints one JSON object: {"cold": n, "warm": n, "more": [a warm count per BENCH_MORE_QUERIES
document, counted after the two], "statements": [the cold request's SQL], "body": the cold
answer}.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import os
import sys

import httpx

_counting: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "bench_counting", default=None
)
_KINDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)

    def emit(self, record: logging.LogRecord) -> None:
        statements = _counting.get()
        if statements is None:
            return
        message = record.getMessage()
        if message.lstrip().upper().startswith(_KINDS):
            statements.append(message)


async def _count(client: httpx.AsyncClient, body: dict, token: str) -> tuple[list[str], bytes]:
    statements: list[str] = []
    mark = _counting.set(statements)
    try:
        response = await client.post(
            "/graphql", json=body, headers={"Authorization": f"Bearer {token}"}
        )
    finally:
        _counting.reset(mark)
    return statements, response.content


async def main() -> None:
    from app.main import create_app

    app = create_app()
    logger = logging.getLogger("tortoise.db_client")
    logger.propagate = False  # the DEBUG records are for the counter only
    logger.addHandler(_Counter())
    logger.setLevel(logging.DEBUG)
    body = {"query": os.environ["BENCH_QUERY"]}
    token = os.environ["BENCH_TOKEN"]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            cold, answer = await _count(client, body, token)
            warm, _ = await _count(client, body, token)
            more = [
                len((await _count(client, {"query": query}, token))[0])
                for query in json.loads(os.environ.get("BENCH_MORE_QUERIES", "[]"))
            ]
    json.dump(
        {
            "cold": len(cold),
            "warm": len(warm),
            "more": more,
            "statements": cold,
            "body": answer.decode(),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    asyncio.run(main())
