"""Call-event webhooks end to end: `recordCallEvent` (INCOMING, RINGING, ANSWERED, ENDED per
call) from 16 clients into one `deskql serve` process with its delivery worker, delivered to a
local receiver process (5 messages per call: incoming, ringing, answered, ended, ended_all).

Prints, for the same run: the receiver's own request rate (a load generator hitting it directly),
messages delivered per second, and the latency from commit (the mutation's answer) to receipt,
p50/p95 — first with one healthy endpoint, then with a second endpoint answering 500 to
everything beside it (what the failing one costs the healthy one).

    .venv/bin/python bench/webhooks.py --database-url postgres://user@host:port/db [--calls 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from bench import loadgen  # noqa: E402
from bench.events import MUTATION, call_events  # noqa: E402
from bench.servers import ROOT, deskql, deskql_env, free_port, process  # noqa: E402

EVERY = ["call.incoming", "call.ringing", "call.answered", "call.ended", "call.ended_all"]
# Which committed event each message follows from.
CAUSE = {
    "call.incoming": "INCOMING",
    "call.ringing": "RINGING",
    "call.answered": "ANSWERED",
    "call.ended": "ENDED",
    "call.ended_all": "ENDED",
}


def receiver():
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.receiver_app:app",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return process(argv, {"PYTHONPATH": str(ROOT), "PATH": ""} | _env(), port, "/health")


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


@contextlib.contextmanager
def server(env: dict[str, str], separate: bool):
    """`deskql serve` with its delivery worker inside, or (separate) without it beside a
    `deskql worker` process on the same database."""
    port = free_port()
    argv = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
    if not separate:
        with process(argv, env, port, "/healthz"):
            yield port
        return
    profile = ["-m", "cProfile", "-o", env["BENCH_PROFILE"]] if env.get("BENCH_PROFILE") else []
    worker = subprocess.Popen(
        [sys.executable, *profile, "-m", "app.cli", "worker"], cwd=ROOT, env=env
    )
    try:
        with process(argv, {**env, "DESKQL_RUN_WORKERS": "false"}, port, "/healthz"):
            yield port
    finally:
        worker.terminate()
        worker.wait(timeout=30)


async def gql(
    http: httpx.AsyncClient,
    url: str,
    query: str,
    variables: dict | None = None,
    token: str | None = None,
) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post(
        url, json={"query": query, "variables": variables or {}}, headers=headers
    )
    body = response.json()
    if "errors" in body:
        raise SystemExit(f"GraphQL error: {body['errors']}")
    return body["data"]


async def send_calls(
    url: str, token: str, prefix: str, calls: int, clients: int
) -> dict[tuple[str, str], float]:
    """Commit times (time.time() when the answer came) by (call id, event type)."""
    committed: dict[tuple[str, str], float] = {}
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(calls):
        queue.put_nowait(n)

    async def client() -> None:
        async with httpx.AsyncClient(
            headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as http:
            while not queue.empty():
                n = queue.get_nowait()
                for event in call_events(prefix, n):
                    response = await http.post(
                        url, json={"query": MUTATION, "variables": {"input": event}}
                    )
                    assert "errors" not in response.json(), response.text
                    committed[(event["callId"], event["type"])] = time.time()

    await asyncio.gather(*(client() for _ in range(clients)))
    return committed


async def receipts(http: httpx.AsyncClient, base: str, expected: int, kind: str) -> list[list]:
    got: list[list] = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        got += (await http.get(f"{base}/receipts")).json()
        if sum(1 for r in got if r[0] == kind) >= expected:
            return got
        await asyncio.sleep(0.2)
    raise SystemExit(f"only {sum(1 for r in got if r[0] == kind)} of {expected} arrived")


def figures(
    received: list[list], committed: dict[tuple[str, str], float], kind: str, began: float
) -> dict:
    first: dict[str, list] = {}
    for r in received:
        if r[0] == kind:
            first.setdefault(r[1], r)  # the first receipt of each webhook-id
    latencies = []
    for _, _, event_type, main_id, call_id, arrived in first.values():
        cause = (
            (call_id or main_id, CAUSE[event_type])
            if event_type != "call.ended_all"
            else (main_id, "ENDED")
        )
        if event_type == "call.ended":
            cause = (main_id, "ENDED")
        latencies.append((arrived - committed[cause]) * 1000)
    ordered = sorted(latencies)
    last = max(r[5] for r in first.values())
    return {
        "messages": len(first),
        "rate": len(first) / (last - began),
        "p50": statistics.median(ordered),
        "p95": ordered[int(0.95 * len(ordered)) - 1],
        "max": ordered[-1],
    }


async def scenario(
    api: str, token: str, admin: str, recv: str, calls: int, clients: int, failing: bool
) -> dict:
    async with httpx.AsyncClient(timeout=30) as http:
        created = []
        for kind in ("ok", "fail") if failing else ("ok",):
            made = await gql(
                http,
                api,
                (
                    "mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(input: $i) "
                    "{ endpoint { id } } }"
                ),
                {"i": {"url": f"{recv}/{kind}/hooks", "events": EVERY}},
                admin,
            )
            created.append(made["createWebhookEndpoint"]["endpoint"]["id"])
        await http.get(f"{recv}/receipts")  # forget earlier receipts
        prefix = f"{'f' if failing else 'h'}{time.monotonic_ns()}"
        began = time.time()
        committed = await send_calls(api, token, prefix, calls, clients)
        sent = time.time() - began
        received = await receipts(http, recv, calls * 5, "ok")
        result = figures(received, committed, "ok", began)
        result["events_per_s"] = calls * 4 / sent
        result["failing_attempts"] = sum(1 for r in received if r[0] == "fail")
        for endpoint_id in created:
            await gql(
                http,
                api,
                "mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }",
                {"id": endpoint_id},
                admin,
            )
        return result


async def main_async(args: argparse.Namespace, env: dict[str, str]) -> None:
    with receiver() as recv_port, server(env, args.separate_worker) as api_port:
        recv = f"http://127.0.0.1:{recv_port}"
        api = f"http://127.0.0.1:{api_port}/graphql"
        async with httpx.AsyncClient() as http:
            login = 'mutation { login(account: "bench", password: "bench-password") { token } }'
            admin = (await gql(http, api, login))["login"]["token"]
        # The receiver alone: how many requests a second it takes from 8 keep-alive clients.
        body = b'{"type":"call.incoming","data":{"mainCallId":"x","callId":"x"}}'
        request = loadgen.build_request(
            "POST",
            "/ok/baseline",
            host="127.0.0.1",
            headers={"content-type": "application/json"},
            body=body,
        )
        baseline = await loadgen.run(
            "receiver alone (8 clients)", "127.0.0.1", recv_port, request, seconds=3, concurrency=8
        )
        async with httpx.AsyncClient() as http:
            await http.get(f"{recv}/receipts")
        warm = await scenario(
            api, admin, admin, recv, max(20, args.calls // 10), args.clients, failing=False
        )
        healthy = await scenario(api, admin, admin, recv, args.calls, args.clients, False)
        beside = await scenario(api, admin, admin, recv, args.calls, args.clients, True)
    del warm
    print(
        f"\nwebhooks: {args.calls} calls ({args.calls * 4} events, {args.calls * 5} messages) "
        f"from {args.clients} clients, one server process, "
        f"{args.database_url.split('@')[-1]}; delivery worker "
        f"{'in its own process' if args.separate_worker else 'inside the server process'}"
    )
    print(f"  {baseline.row()}")
    print(
        f"{'case':<36}{'events/s in':>12}{'msgs/s out':>12}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'max ms':>9}{'500s':>7}"
    )
    for name, f in (
        ("one healthy endpoint", healthy),
        ("healthy beside one answering 500", beside),
    ):
        print(
            f"{name:<36}{f['events_per_s']:>12.0f}{f['rate']:>12.0f}{f['p50']:>9.0f}"
            f"{f['p95']:>9.0f}{f['max']:>9.0f}{f['failing_attempts']:>7}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True, help="postgres://user@host:port/db")
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--separate-worker",
        action="store_true",
        help="run the delivery worker as `deskql worker` beside the server",
    )
    args = parser.parse_args()
    env = deskql_env(
        args.database_url,
        Path(tempfile.mkdtemp(prefix="deskql-bench-")),
        DESKQL_WEBHOOK_ALLOW_PRIVATE="true",
        DESKQL_RUN_WORKERS="true",
    )
    deskql("migrate", env=env)
    deskql("create-admin", "--account", "bench", "--password", "bench-password", env=env)
    calls = Path(env["DESKQL_VAR_DIR"]) / "none.jsonl"
    deskql("generate-calls", "--count", "1", "--out", str(calls), "--create-agents", env=env)
    asyncio.run(main_async(args, env))


if __name__ == "__main__":
    main()
