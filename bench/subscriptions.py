"""GraphQL subscriptions: 500 concurrent subscribers on one `deskql serve` process, each
following every call (`callEvents`, a supervisor's token), while call events are written
through a second server process. Fan-out latency: from the mutation's answer (committed) to
each subscriber's receipt, p50/p95 over every receipt — next to the same client against a
minimal strawberry app broadcasting from memory (no database, no log, no permissions).

    .venv/bin/python bench/subscriptions.py [--database-url postgres://…] [--subscribers 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from bench.events import MUTATION  # noqa: E402
from bench.servers import ROOT, deskql_server, free_port, prepared_database, process  # noqa: E402

CALL_EVENTS = "subscription { callEvents { type call { id } } }"
TICKS = "subscription { ticks }"


async def subscriber(
    url: str,
    token: str | None,
    query: str,
    ready: asyncio.Event,
    arrivals: list[tuple[str, float]],
    count: list[int],
) -> None:
    async with connect(url, subprotocols=["graphql-transport-ws"], max_queue=None) as ws:
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        await ws.recv()
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        count[0] += 1
        if count[0] == count[1]:
            ready.set()
        async for raw in ws:
            arrived = time.time()
            message = json.loads(raw)
            if message["type"] != "next":
                raise SystemExit(f"subscription ended: {message}")
            data = message["payload"]["data"]
            label = data["ticks"] if "ticks" in data else data["callEvents"]["call"]["id"]
            arrivals.append((label, arrived))


async def measure(
    url: str, token: str | None, query: str, subscribers: int, events: int, send
) -> dict:
    arrivals: list[tuple[str, float]] = []
    ready = asyncio.Event()
    count = [0, subscribers]
    tasks = [
        asyncio.create_task(subscriber(url, token, query, ready, arrivals, count))
        for _ in range(subscribers)
    ]
    await asyncio.wait_for(ready.wait(), 120)
    await asyncio.sleep(1.0)  # every subscription registered on the server
    sent: dict[str, float] = {}
    for n in range(events):
        label = f"B{time.monotonic_ns()}-{n}"
        await send(label)
        sent[label] = time.time()
        await asyncio.sleep(0.1)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(arrivals) >= subscribers * events:
            break
        await asyncio.sleep(0.2)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    latencies = sorted((at - sent[label]) * 1000 for label, at in arrivals if label in sent)
    return {
        "receipts": len(latencies),
        "expected": subscribers * events,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * len(latencies)) - 1],
        "max": latencies[-1],
    }


async def main_async(args: argparse.Namespace, env: dict[str, str]) -> None:
    with deskql_server(env) as port_b, deskql_server(env) as port_a:
        api_a = f"http://127.0.0.1:{port_a}/graphql"
        async with httpx.AsyncClient(timeout=30) as http:
            login = 'mutation { login(account: "bench", password: "bench-password") { token } }'
            token = (await http.post(api_a, json={"query": login})).json()["data"]["login"]["token"]

            async def record(label: str) -> None:
                event = {
                    "eventId": label,
                    "type": "INCOMING",
                    "callId": label,
                    "occurredAt": "2026-05-01T08:00:00+00:00",
                    "queue": "bench",
                }
                body = (
                    await http.post(
                        api_a,
                        json={"query": MUTATION, "variables": {"input": event}},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                ).json()
                assert "errors" not in body, body

            deskql_figures = await measure(
                f"ws://127.0.0.1:{port_b}/graphql",
                token,
                CALL_EVENTS,
                args.subscribers,
                args.events,
                record,
            )
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.broadcast_app:app",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    import os

    with process(argv, {**os.environ, "PYTHONPATH": str(ROOT)}, port, "/health"):
        async with httpx.AsyncClient(timeout=30) as http:

            async def tick(label: str) -> None:
                await http.post(f"http://127.0.0.1:{port}/tick", content=label)

            baseline = await measure(
                f"ws://127.0.0.1:{port}/graphql", None, TICKS, args.subscribers, args.events, tick
            )
    print(
        f"\nsubscriptions: {args.subscribers} subscribers on one server process, "
        f"{args.events} events 0.1 s apart, {args.database_url or 'SQLite'}"
    )
    print(f"{'':<48}{'receipts':>10}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, f in (
        ("minimal strawberry broadcast (memory)", baseline),
        ("deskql callEvents (written via another process)", deskql_figures),
    ):
        print(
            f"{name:<48}{f['receipts']:>6}/{f['expected']:<5}{f['p50']:>7.0f}"
            f"{f['p95']:>9.0f}{f['max']:>9.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--subscribers", type=int, default=500)
    parser.add_argument("--events", type=int, default=40)
    args = parser.parse_args()
    _, env, _ = prepared_database(args)
    asyncio.run(main_async(args, env))


if __name__ == "__main__":
    main()
