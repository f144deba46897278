"""What the domain event log costs live call events: `recordCallEvent` (INCOMING, RINGING,
ANSWERED, ENDED per call) from 1 and from 16 concurrent clients against one server process, with
the event log as shipped, with the earlier design (writers serialised by an advisory lock), and
switched off — all in the same run, same database, same client. While events flow, a consumer in this
process drains the log (as the webhook and Zendesk consumers will) and its lag is measured.

    .venv/bin/python bench/events.py --database-url postgres://user@host:port/db [--calls 1000]

Use a PostgreSQL with its normal durability settings (fsync, synchronous_commit on): commits
are where serialised writers would wait.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from tortoise import Tortoise  # noqa: E402

from app.db import tortoise_config  # noqa: E402
from app.events import consumers, log  # noqa: E402
from bench.servers import ROOT, deskql, deskql_env, free_port, process  # noqa: E402

MUTATION = "mutation($input: CallEventInput!) { recordCallEvent(input: $input) { duplicate } }"
START = datetime(2026, 5, 1, 8, tzinfo=UTC)


def server(env: dict[str, str], mode: str):
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.events_app:create_app",
        "--factory",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    return process(argv, {**env, "BENCH_EVENTS": mode, "PYTHONPATH": str(ROOT)}, port, "/healthz")


def call_events(prefix: str, n: int) -> list[dict]:
    at = START + timedelta(seconds=n)
    call_id = f"{prefix}-{n}"

    def event(kind: str, seconds: int, **extra: str) -> dict:
        return {
            "eventId": f"{call_id}-{kind}",
            "type": kind,
            "callId": call_id,
            "occurredAt": (at + timedelta(seconds=seconds)).isoformat(),
            **extra,
        }

    return [
        event("INCOMING", 0, queue="bench"),
        event("RINGING", 3, agentAccount=f"agent{n % 200 + 1:03d}"),
        event("ANSWERED", 9),
        event("ENDED", 90, hangupParty="CUSTOMER"),
    ]


async def load(port: int, token: str, prefix: str, calls: int, clients: int) -> dict:
    latencies: list[float] = []
    url = f"http://127.0.0.1:{port}/graphql"
    headers = {"Authorization": f"Bearer {token}"}
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(calls):
        queue.put_nowait(n)

    async def client() -> None:
        async with httpx.AsyncClient(headers=headers, timeout=30) as http:
            while not queue.empty():
                n = queue.get_nowait()
                for event in call_events(prefix, n):
                    started = time.perf_counter()
                    response = await http.post(
                        url, json={"query": MUTATION, "variables": {"input": event}}
                    )
                    latencies.append((time.perf_counter() - started) * 1000)
                    body = response.json()
                    assert "errors" not in body, body

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "events": len(latencies),
        "rate": len(latencies) / seconds,
        "p50": statistics.median(ordered),
        "p95": ordered[int(0.95 * len(ordered)) - 1],
    }


async def drain(name: str, stop: asyncio.Event, delays: list[float], backlog: list[int]) -> None:
    """A consumer of the log: how long after an event was logged it is handled, and how many
    events wait behind it."""

    async def handle(batch: list) -> None:
        now = datetime.now(UTC)
        delays.extend((now - e.occurred_at).total_seconds() * 1000 for e in batch)

    while True:
        handled = await consumers.consume(name, handle, limit=500)
        backlog.append(max(0, await log.head() - await consumers.cursor(name)))  # roughly
        if not handled:
            if stop.is_set():
                return
            await asyncio.sleep(0.02)


async def run_case(port: int, token: str, mode: str, clients: int, calls: int) -> dict:
    prefix = f"{mode}-{clients}-{time.monotonic_ns()}"
    name = f"bench-{prefix}"
    await consumers.start_at_head(name)
    stop, delays, backlog = asyncio.Event(), [], []
    consumer = asyncio.create_task(drain(name, stop, delays, backlog))
    figures = await load(port, token, prefix, calls, clients)
    stop.set()
    await consumer
    ordered = sorted(delays)
    if ordered:
        figures.update(
            lag_p50=statistics.median(ordered),
            lag_p95=ordered[int(0.95 * len(ordered)) - 1],
            backlog_max=max(backlog),
        )
    return figures


async def main_async(args: argparse.Namespace, env: dict[str, str]) -> None:
    await Tortoise.init(config=tortoise_config(args.database_url))
    rows = []
    try:
        for mode in ("on", "silent", "lock", "off"):
            with server(env, mode) as port:
                async with httpx.AsyncClient() as http:
                    login = await http.post(
                        f"http://127.0.0.1:{port}/graphql",
                        json={
                            "query": 'mutation { login(account: "bench", '
                            'password: "bench-password") { token } }'
                        },
                    )
                token = login.json()["data"]["login"]["token"]
                for clients, calls in ((1, max(50, args.calls // 8)), (16, args.calls)):
                    await run_case(port, token, mode, clients, calls // 10)  # warm-up
                    rows.append((mode, clients, await run_case(port, token, mode, clients, calls)))
    finally:
        await Tortoise.close_connections()
    print(f"\nrecordCallEvent, one server process, {args.database_url.split('@')[-1]}")
    print(
        f"{'event log':<10}{'clients':>8}{'events':>8}{'events/s':>10}{'p50 ms':>9}"
        f"{'p95 ms':>9}{'lag p50':>9}{'lag p95':>9}{'backlog':>9}"
    )
    for mode, clients, f in rows:
        lag = (
            f"{f['lag_p50']:>9.0f}{f['lag_p95']:>9.0f}{f['backlog_max']:>9}"
            if "lag_p50" in f
            else f"{'-':>9}{'-':>9}{'-':>9}"
        )
        print(
            f"{mode:<10}{clients:>8}{f['events']:>8}{f['rate']:>10.0f}{f['p50']:>9.1f}"
            f"{f['p95']:>9.1f}{lag}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True, help="postgres://user@host:port/db")
    parser.add_argument("--calls", type=int, default=1000, help="calls for 16 clients (x4 events)")
    args = parser.parse_args()
    import tempfile

    # The event log alone: no delivery workers reading it inside the server (bench/webhooks.py
    # measures those).
    env = deskql_env(
        args.database_url,
        Path(tempfile.mkdtemp(prefix="deskql-bench-")),
        DESKQL_RUN_WORKERS="false",
    )
    deskql("migrate", env=env)
    deskql("create-admin", "--account", "bench", "--password", "bench-password", env=env)
    calls = Path(env["DESKQL_VAR_DIR"]) / "none.jsonl"
    deskql("generate-calls", "--count", "1", "--out", str(calls), "--create-agents", env=env)
    asyncio.run(main_async(args, env))


if __name__ == "__main__":
    main()
