"""The web frontends' list queries against hand-written SQL endpoints answering the same bytes,
all in one run, one uvicorn worker each, loopback, the same closed-loop client (bench/loadgen.py).

Lists (documents in bench/lists_raw_app.py QUERIES), each a page of 50 with nested lists:
  calls(first: 50)         { id callType talkSeconds agent { account } subCalls { id callType } }
  tickets(first: 50)       { id subject status requester { name } comments { id body public } }
  chatSessions(first: 50)  { id channel startedAt agent { account }
                             transfers { reason toAgent { account } } }
  accounts(first: 50)      { id account displayName role status sipExtension
                             permissionGroups { id name } }

Servers: deskql (`python -m app.cli serve`, POST /graphql with a bearer token) and the
hand-written endpoints (bench/lists_raw_app.py: raw sqlite3/asyncpg, json.dumps; no auth: they
are the floor). Before timing, every list's answer from both is asserted byte-equal (a diff is
printed otherwise). For each list and server: req/s, p50 latency, the server process's CPU µs
per request (utime+stime from /proc/<pid>/stat over the timed window / requests completed) and
statements per request; then the ratio deskql/hand-written req/s. deskql's statements are
counted in-process (bench/listcount.py: a fresh app, a cold then a warm request, then warm
requests for pages of 5 and 100: a count still growing from 50 to 100 rows is a per-row
statement; 5 may need one statement less where a second batch of a kind finds everything in
the loader's cache, e.g. sessions' toAgent); the hand-written count is known by construction
(its x-statements header).

Data (bench/listdata.py, made through deskql's CLI and GraphQL only): the demo's ~20 000 calls of
200 agents over the last 30 days, 400 tickets with comments, 600 chat sessions with transfers,
permission groups and SIP extensions. Users: the super admin `bench` (sees everything) and, with
--user agent|both, agent001 (sees their own calls, the tickets assigned to them, the sessions
they served or were transferred; accounts is skipped: agents may not list accounts).

    .venv/bin/python bench/lists.py                       (a fresh SQLite file)
    .venv/bin/python bench/lists.py --postgres            (a throw-away PostgreSQL cluster)
    .venv/bin/python bench/lists.py --database-url postgres://user@host:port/empty_db
        [--seconds 5] [--concurrency 16] [--user bench|agent|both] [--lists calls,tickets]
        [--calls 20000] [--keep]   (keep the temporary folder: SQLite file, generated calls)

Targets: calls(first: 50) and tickets(first: 50) >= 0.25x the hand-written endpoint's req/s on
both databases; no list's statement count grows with page size.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from bench.listdata import Dataset, prepare, throwaway_postgres  # noqa: E402
from bench.lists_raw_app import QUERIES  # noqa: E402
from bench.measure import HEADER, Measured, measure, post_body  # noqa: E402
from bench.servers import (  # noqa: E402
    ROOT,
    bench_parser,
    deskql_env,
    deskql_process,
    port_of,
    uvicorn_process,
)

Run = tuple[str, str]  # (user, list)
Results = dict[Run, tuple[Measured, Measured, int]]  # deskql, hand-written, its statements
TARGETS = {"calls": 0.25, "tickets": 0.25}
SIZES = (5, 100)  # page sizes whose statement counts are compared with 50's


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--postgres", action="store_true", help="start a throw-away cluster")
    parser.add_argument("--user", choices=("bench", "agent", "both"), default="bench")
    parser.add_argument("--lists", default=",".join(QUERIES), help="comma-separated subset")
    parser.add_argument("--calls", type=int, default=20_000, help="call records to generate")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file and set-up")
    args = parser.parse_args()
    names = [name.strip() for name in args.lists.split(",") if name.strip()]
    unknown = set(names) - set(QUERIES)
    if unknown:
        parser.error(f"unknown lists {sorted(unknown)}; choose from {list(QUERIES)}")
    users = ["bench", "agent"] if args.user == "both" else [args.user]
    with contextlib.ExitStack() as stack:
        tmp = Path(tempfile.mkdtemp(prefix="deskql-bench-lists-"))
        if args.keep:
            print(f"set-up kept in {tmp}", file=sys.stderr)
        else:
            stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        url = args.database_url
        if url is None and args.postgres:
            url = stack.enter_context(throwaway_postgres())
        url = url or f"sqlite://{tmp}/bench.sqlite3"
        env = deskql_env(url, tmp)
        data = prepare(env, tmp, calls=args.calls)
        _analyze(url)
        runs = [(u, n) for u in users for n in names if not (u == "agent" and n == "accounts")]
        counts = {(u, n): _count(env, data.tokens[u], QUERIES[n]) for u, n in runs}
        results = _load(args, url, env, data, runs)
    kind = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    _print(kind, args, data, runs, counts, results)


def _path(data: Dataset, user: str, name: str) -> str:
    return f"/{name}?agent={data.agent_id}" if user == "agent" else f"/{name}"


def _load(
    args: argparse.Namespace, url: str, env: dict[str, str], data: Dataset, runs: list[Run]
) -> Results:
    timing = {"seconds": args.seconds, "concurrency": args.concurrency}
    results: Results = {}
    with (
        deskql_process(env) as deskql,
        uvicorn_process("bench.lists_raw_app:app", {"BENCH_DATABASE_URL": url}) as raw,
    ):
        raw_statements = _check_bytes(deskql, raw, data, runs)
        for user, name in runs:
            body = post_body(QUERIES[name])
            token = data.tokens[user]
            mine = measure(name, deskql, "/graphql", body, token=token, **timing)
            floor = measure(name, raw, _path(data, user, name), body, **timing)
            results[(user, name)] = (mine, floor, raw_statements[(user, name)])
    return results


def _check_bytes(
    deskql: subprocess.Popen, raw: subprocess.Popen, data: Dataset, runs: list[Run]
) -> dict[Run, int]:
    """Both servers' answers to every list, byte for byte; the hand-written statement counts."""
    failures = []
    statements: dict[Run, int] = {}
    for user, name in runs:
        body = post_body(QUERIES[name])
        headers = {"Content-Type": "application/json"}
        mine = httpx.post(
            f"http://127.0.0.1:{port_of(deskql)}/graphql",
            content=body,
            headers={**headers, "Authorization": f"Bearer {data.tokens[user]}"},
            timeout=60,
        )
        floor = httpx.post(
            f"http://127.0.0.1:{port_of(raw)}{_path(data, user, name)}",
            content=body,
            headers=headers,
            timeout=60,
        )
        statements[(user, name)] = int(floor.headers.get("x-statements", -1))
        listed = _listed(mine.content)
        print(
            f"{user:<6} {name:<9} deskql {len(mine.content):>6} bytes, "
            f"{len(listed.get('nodes', [])):>3} nodes; hand-written {len(floor.content):>6} bytes",
            file=sys.stderr,
        )
        if mine.content != floor.content:
            failures.append((user, name, mine.content, floor.content))
    for user, name, deskql_bytes, raw_bytes in failures:
        print(f"\n== {name} as {user}: the answers differ ==", file=sys.stderr)
        print(_diff(deskql_bytes, raw_bytes), file=sys.stderr)
    if failures:
        raise SystemExit(f"{len(failures)} list(s) answer different bytes: nothing was timed")
    return statements


def _listed(answer: bytes) -> dict:
    try:
        data = json.loads(answer).get("data") or {}
    except ValueError:
        return {}
    return next(iter(data.values()), {}) or {}


def _diff(mine: bytes, floor: bytes) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(mine, floor, strict=False)) if a != b),
        min(len(mine), len(floor)),
    )
    head = (
        f"first difference at byte {at}:\n  deskql:       {mine[max(0, at - 60) : at + 60]!r}\n"
        f"  hand-written: {floor[max(0, at - 60) : at + 60]!r}\n"
    )

    def lines(raw: bytes) -> list[str]:
        try:
            return json.dumps(json.loads(raw), indent=1, ensure_ascii=False).splitlines()
        except ValueError:
            return raw.decode(errors="replace").splitlines()

    diff = difflib.unified_diff(
        lines(mine), lines(floor), "deskql", "hand-written", n=2, lineterm=""
    )
    return head + "\n".join(list(diff)[:80])


def _count(env: dict[str, str], token: str, query: str) -> dict[str, Any]:
    """deskql's statements for one document: cold and warm (a fresh app), then warm for pages
    of 5 and 100 (a count that keeps growing from 50 to 100 is a per-row statement)."""
    more = [query.replace("first: 50", f"first: {size}") for size in SIZES]
    done = subprocess.run(
        [sys.executable, "-m", "bench.listcount"],
        cwd=ROOT,
        env={
            **env,
            "BENCH_QUERY": query,
            "BENCH_TOKEN": token,
            "BENCH_MORE_QUERIES": json.dumps(more),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench/listcount.py failed:\n{done.stdout}{done.stderr}")
    counted = json.loads(done.stdout)
    counted["sizes"] = dict(zip(SIZES, counted["more"], strict=True))
    return counted


def _analyze(url: str) -> None:
    """Fresh planner statistics after the load (as autovacuum would, eventually)."""
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite://").split("?", 1)[0])
        connection.execute("ANALYZE")
        connection.close()
        return
    import asyncio

    import asyncpg

    async def analyze() -> None:
        connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        await connection.execute("VACUUM ANALYZE")
        await connection.close()

    asyncio.run(analyze())


def _print(
    kind: str,
    args: argparse.Namespace,
    data: Dataset,
    runs: list[Run],
    counts: dict[Run, dict[str, Any]],
    results: Results,
) -> None:
    print(
        f"\n{kind}; {data.calls:,} call records; {args.seconds:g} s per run, concurrency "
        f"{args.concurrency}; one uvicorn worker per server, same client.\n"
        "deskql: POST /graphql with a bearer token. hand-written: raw SQL + json.dumps, "
        "NO auth (the floor).\nstatements: deskql cold/warm request of a fresh app "
        "(and warm for pages of 5 and 100); hand-written by construction."
    )
    print(f"\n{'user':<7}{'list':<10}{'server':<14}{HEADER}  statements/req")
    for user, name in runs:
        mine, floor, raw_count = results[(user, name)]
        c = counts[(user, name)]
        print(
            f"{user:<7}{name:<10}{'deskql':<14}{mine.cells()}  "
            f"{c['cold']} cold / {c['warm']} warm (5: {c['sizes'][5]}, 100: {c['sizes'][100]})"
        )
        print(f"{'':<7}{'':<10}{'hand-written':<14}{floor.cells()}  {raw_count}")
    print(f"\n{'user':<7}{'list':<10}{'deskql/hand-written req/s':>26}{'target':>18}"
          f"{'grows 50 -> 100':>18}")  # fmt: skip
    for user, name in runs:
        mine, floor, _ = results[(user, name)]
        c = counts[(user, name)]
        ratio = mine.rps / floor.rps
        target = TARGETS.get(name)
        verdict = "" if target is None else f">= {target} {'met' if ratio >= target else 'NOT met'}"
        grows = "YES" if c["sizes"][100] > c["warm"] else "no"
        print(f"{user:<7}{name:<10}{ratio:>26.2f}{verdict:>18}{grows:>18}")


if __name__ == "__main__":
    main()
