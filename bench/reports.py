"""Report speed on a million call records (issue 4).

Generates records with `deskql generate-calls` (200 agents, 20 teams, 90 days), loads them with
`deskql import-calls` (timed), then in one run times, for a 30-day range:

  - `callReport(groupBy: DAY)` and `agentReport` through GraphQL (a real uvicorn worker, one
    request at a time, token auth included), and
  - the same aggregates written by hand in SQL (FILTER clauses, a JOIN for the agent names),
    run directly with asyncpg (PostgreSQL) or sqlite3 (SQLite).

    .venv/bin/python bench/reports.py --database-url postgres://...   [--records 1000000]
    .venv/bin/python bench/reports.py                                  (a fresh SQLite file)

Targets: GraphQL report <= 1.5x the hand-written SQL, p50 <= 500 ms (PostgreSQL, 2 cores);
import >= 20 000 records/s into PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from bench.servers import ROOT, deskql, deskql_env, deskql_server  # noqa: E402

START = date(2026, 1, 1)
DAYS = 90
FROM = START + timedelta(days=30)
TO = FROM + timedelta(days=29)

CALL_REPORT = """query($from: Date!, $to: Date!) { callReport(from: $from, to: $to, groupBy: DAY) {
  date totalTalkSeconds inboundTalkSeconds outboundTalkSeconds successfulCalls inboundAnswered
  outboundSuccessful averageTalkSeconds inboundAverageTalkSeconds outboundAverageTalkSeconds
  offeredCalls inboundOffered outboundCalls abandonedCalls transferredCalls records } }"""
AGENT_REPORT = """query($from: Date!, $to: Date!) { agentReport(from: $from, to: $to) {
  agent { account displayName } figures { inboundOffered inboundAnswered inboundTalkSeconds
  outboundCalls outboundSuccessful outboundTalkSeconds totalTalkSeconds ringSeconds holdSeconds
  answerRate averageTalkSeconds } } }"""

TALK = "call_type IN ('INBOUND', 'OUTBOUND', 'TRANSFER_AGENT')"
HAND_CALL_REPORT = f"""
SELECT started_epoch / 86400 AS day,
  COALESCE(SUM(talk_seconds) FILTER (WHERE {TALK}), 0),
  COALESCE(SUM(talk_seconds) FILTER (WHERE {TALK} AND direction = 'INBOUND'), 0),
  COALESCE(SUM(talk_seconds) FILTER (WHERE {TALK} AND direction = 'OUTBOUND'), 0),
  COUNT(*) FILTER (WHERE is_main AND result = 'ANSWERED'),
  COUNT(*) FILTER (WHERE is_main AND direction = 'INBOUND' AND result = 'ANSWERED'),
  COUNT(*) FILTER (WHERE is_main AND direction = 'OUTBOUND' AND result = 'ANSWERED'),
  COUNT(*) FILTER (WHERE is_main),
  COUNT(*) FILTER (WHERE is_main AND direction = 'INBOUND'),
  COUNT(*) FILTER (WHERE is_main AND direction = 'OUTBOUND'),
  COUNT(*) FILTER (WHERE is_main AND result IN ('ABANDONED_IN_QUEUE', 'ABANDONED_IN_IVR')),
  COUNT(*) FILTER (WHERE is_main AND transfer_flag = 'TRANSFERRED'),
  COUNT(*)
FROM call_record WHERE started_epoch >= {{lo}} AND started_epoch < {{hi}}
GROUP BY 1 ORDER BY 1"""
HAND_AGENT_REPORT = """
SELECT a.account, a.display_name,
  COUNT(*) FILTER (WHERE c.call_type = 'INBOUND'),
  COUNT(*) FILTER (WHERE c.call_type = 'INBOUND' AND c.result = 'ANSWERED'),
  COALESCE(SUM(c.talk_seconds) FILTER (WHERE c.call_type = 'INBOUND'), 0),
  COUNT(*) FILTER (WHERE c.call_type = 'OUTBOUND'),
  COUNT(*) FILTER (WHERE c.call_type = 'OUTBOUND' AND c.result = 'ANSWERED'),
  COALESCE(SUM(c.talk_seconds) FILTER (WHERE c.call_type = 'OUTBOUND'), 0),
  SUM(c.ring_seconds), SUM(c.hold_seconds)
FROM call_record c JOIN account a ON a.id = c.agent_id
WHERE c.started_epoch >= {lo} AND c.started_epoch < {hi}
  AND c.call_type IN ('INBOUND', 'OUTBOUND')
GROUP BY a.account, a.display_name ORDER BY a.account"""


def _epochs() -> tuple[int, int]:
    lo = datetime.combine(FROM, datetime.min.time(), UTC)
    hi = datetime.combine(TO + timedelta(days=1), datetime.min.time(), UTC)
    return int(lo.timestamp()), int(hi.timestamp())


def _arguments():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per query")
    parser.add_argument(
        "--skip-load",
        action="store_true",
        help="time the reports on the records already in --database-url",
    )
    return parser.parse_args()


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _time(fn, runs: int) -> list[float]:
    fn()
    fn()  # warm caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _hand_sql_runner(url: str):
    lo, hi = _epochs()
    statements = {
        "callReport DAY": HAND_CALL_REPORT.format(lo=lo, hi=hi),
        "agentReport": HAND_AGENT_REPORT.format(lo=lo, hi=hi),
    }
    if url.startswith("sqlite://"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite://"))

        def run(name):
            return connection.execute(statements[name]).fetchall()

        return run, connection.close
    import asyncpg

    loop = asyncio.new_event_loop()
    connection = loop.run_until_complete(
        asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    )

    def run(name):
        return loop.run_until_complete(connection.fetch(statements[name]))

    def close():
        loop.run_until_complete(connection.close())
        loop.close()

    return run, close


def main() -> None:
    args = _arguments()
    tmp = Path(tempfile.mkdtemp(prefix="deskql-bench-reports-"))
    url = args.database_url or f"sqlite://{tmp}/bench.sqlite3"
    kind = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    env = deskql_env(url, tmp)
    deskql("migrate", env=env)
    if args.skip_load:
        _report_speed(args, url, kind, env)
        return
    deskql("create-admin", "--account", "bench", "--password", "bench-password", env=env)
    calls_file = tmp / "calls.jsonl"
    started = time.perf_counter()
    deskql(
        "generate-calls",
        "--count",
        str(args.records),
        "--out",
        str(calls_file),
        "--start",
        START.isoformat(),
        "--days",
        str(DAYS),
        "--create-agents",
        env=env,
    )
    print(f"generate-calls: {args.records:,} records in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "import-calls", str(calls_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import-calls failed:\n{done.stdout}{done.stderr}")
    summary = next(line for line in done.stdout.splitlines() if line.startswith("import-calls:"))
    rate = re.search(r"\(([\d,]+) records/s\)", summary).group(1)
    print(
        f"{summary}\n  wall clock incl. start-up: {wall:.1f} s "
        f"({args.records / wall:,.0f} records/s); import loop: {rate} records/s"
    )
    _report_speed(args, url, kind, env)


def _report_speed(args, url: str, kind: str, env: dict) -> None:
    if kind == "PostgreSQL":
        import asyncpg

        async def analyze():
            connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
            await connection.execute("VACUUM ANALYZE call_record")
            in_range = await connection.fetchval(
                "SELECT COUNT(*) FROM call_record WHERE started_epoch >= $1 AND started_epoch < $2",
                *_epochs(),
            )
            await connection.close()
            return in_range

        in_range = asyncio.run(analyze())
    else:
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite://"))
        connection.execute("ANALYZE")
        in_range = connection.execute(
            "SELECT COUNT(*) FROM call_record WHERE started_epoch >= ? AND started_epoch < ?",
            _epochs(),
        ).fetchone()[0]
        connection.close()
    print(f"30-day range {FROM}..{TO}: {in_range:,} of {args.records:,} records")

    hand, close = _hand_sql_runner(url)
    with (
        deskql_server(env) as port,
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client,
    ):
        login = client.post(
            "/graphql",
            json={
                "query": (ROOT / "graphql/operations/accounts/Login.graphql").read_text(),
                "variables": {"account": "bench", "password": "bench-password"},
            },
        )
        token = login.json()["data"]["login"]["token"]
        headers = {"Authorization": f"Bearer {token}"}
        variables = {"from": FROM.isoformat(), "to": TO.isoformat()}

        def graphql(query):
            def run():
                response = client.post(
                    "/graphql", json={"query": query, "variables": variables}, headers=headers
                )
                body = response.json()
                assert "errors" not in body, body
                return body

            return run

        rows = []
        for name, query in (("callReport DAY", CALL_REPORT), ("agentReport", AGENT_REPORT)):
            result = graphql(query)()
            hand_rows = hand(name)
            listed = next(iter(result["data"].values()))
            assert len(listed) == len(hand_rows), (name, len(listed), len(hand_rows))
            g50, g95 = _percentiles(_time(graphql(query), args.runs))
            h50, h95 = _percentiles(_time(lambda name=name: hand(name), args.runs))
            rows.append((name, g50, g95, h50, h95))
    close()
    print(f"\n{kind}, {args.runs} timed runs each, one request at a time (ms)")
    print(f"{'report':<16}{'GraphQL p50':>12}{'p95':>8}{'hand SQL p50':>14}{'p95':>8}{'ratio':>8}")
    for name, g50, g95, h50, h95 in rows:
        print(f"{name:<16}{g50:>12.1f}{g95:>8.1f}{h50:>14.1f}{h95:>8.1f}{g50 / h50:>8.2f}")
    print("targets: ratio <= 1.5, GraphQL p50 <= 500 ms (PostgreSQL); import >= 20 000/s (PG)")


if __name__ == "__main__":
    main()
