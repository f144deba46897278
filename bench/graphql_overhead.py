"""What deskql's GraphQL costs on the smallest authenticated read: `{ me { id } }` with a bearer
token, against two references that answer the same bytes, all in one run, one uvicorn worker
each, loopback, the same closed-loop client (bench/loadgen.py):

  - deskql (`python -m app.cli serve`), token auth included;
  - a minimal strawberry app (bench/strawberry_min_app.py): `me { id }` from a constant, with
    ParserCache and ValidationCache, strawberry.asgi.GraphQL on a Starlette route;
  - a raw Starlette endpoint returning the same bytes (bench/raw_app.py).

The three response bodies are asserted equal before timing. For each server: req/s, p50, and
the server process's CPU µs per request (utime+stime from /proc/<pid>/stat over the timed
window / requests completed); then the ratios deskql/minimal-strawberry and deskql/raw.
By default one row per account: the super admin `bench` and an agent made with createAccount
(an agent's permissions come from its groups: deskql may read them per request).

    .venv/bin/python bench/graphql_overhead.py [--seconds 5] [--concurrency 16]
        [--user bench|agent|both]   (default both)
        [--database-url postgres://...]   (default: a fresh SQLite file)
        [--postgres]   (a throw-away PostgreSQL cluster, as bench/lists.py --postgres)

Target: deskql's `me` with a token >= 0.75x the minimal strawberry reference's req/s.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.listdata import throwaway_postgres  # noqa: E402
from bench.measure import (  # noqa: E402
    HEADER,
    GraphQL,
    Measured,
    create_agent,
    measure,
    post,
    post_body,
)
from bench.servers import (  # noqa: E402
    bench_parser,
    deskql_process,
    port_of,
    prepared_database,
    uvicorn_process,
)

QUERY = "{ me { id } }"
AGENT = ("bench.agent", "bench-agent-password")
TARGET = 0.75


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--user", choices=("bench", "agent", "both"), default="both")
    parser.add_argument("--postgres", action="store_true", help="start a throw-away cluster")
    args = parser.parse_args()
    if args.postgres and not args.database_url:
        with throwaway_postgres() as url:
            args.database_url = url
            run(args)
    else:
        run(args)


def run(args: argparse.Namespace) -> None:
    users = ["bench", "agent"] if args.user == "both" else [args.user]
    url, env, tmp = prepared_database(args)
    body = post_body(QUERY)
    timing = {"seconds": args.seconds, "concurrency": args.concurrency}
    rows: dict[str, dict[str, Measured]] = {user: {} for user in users}
    samples: dict[str, bytes] = {}

    with deskql_process(env) as proc:
        admin = GraphQL(port_of(proc))
        tokens = {"bench": admin.login("bench", "bench-password")}
        if "agent" in users:
            tokens["agent"] = create_agent(admin, *AGENT)
        admin.close()
        for user in users:
            samples[user] = post(port_of(proc), "/graphql", body, tokens[user])
            rows[user]["deskql"] = measure(
                f"deskql ({user})", proc, "/graphql", body, token=tokens[user], **timing
            )

    for user in users:
        sample = samples[user]
        me_id = _me_id(sample)
        with uvicorn_process(
            "bench.strawberry_min_app:app", {"BENCH_ME_ID": me_id}, "/graphql"
        ) as proc:
            _same_bytes("minimal strawberry", sample, post(port_of(proc), "/graphql", body))
            rows[user]["strawberry"] = measure("strawberry", proc, "/graphql", body, **timing)
        body_file = tmp / f"body-{user}.json"
        body_file.write_bytes(sample)
        with uvicorn_process("bench.raw_app:app", {"BENCH_BODY_FILE": str(body_file)}) as proc:
            _same_bytes("raw Starlette", sample, post(port_of(proc), "/raw", body))
            rows[user]["raw"] = measure("raw", proc, "/raw", body, **timing)

    print(f"\n`{QUERY}` with a token; database {url.split('://')[0]}; {args.seconds:g} s per run,")
    print(f"concurrency {args.concurrency}, one uvicorn worker per server, same client")
    print(f"{'user':<8}{'server':<22}{HEADER}")
    for user in users:
        print(f"{user:<8}(response {samples[user].decode()})")
        for server, label in (
            ("deskql", "deskql"),
            ("strawberry", "minimal strawberry"),
            ("raw", "raw Starlette"),
        ):
            print(f"{'':<8}{label:<22}{rows[user][server].cells()}")
    print(f"\n{'user':<8}{'deskql/strawberry req/s':>24}{'deskql/raw req/s':>18}{'target':>22}")
    for user in users:
        mine, ref, raw = (rows[user][k] for k in ("deskql", "strawberry", "raw"))
        ratio = mine.rps / ref.rps
        verdict = "met" if ratio >= TARGET else "NOT met"
        print(f"{user:<8}{ratio:>24.2f}{mine.rps / raw.rps:>18.2f}{f'>= {TARGET} {verdict}':>22}")


def _me_id(sample: bytes) -> str:
    import json

    try:
        return str(json.loads(sample)["data"]["me"]["id"])
    except (ValueError, KeyError, TypeError):
        raise SystemExit(f"deskql did not answer `{QUERY}`: {sample!r}") from None


def _same_bytes(name: str, expected: bytes, got: bytes) -> None:
    if got != expected:
        raise SystemExit(
            f"{name} answers other bytes than deskql:\n  deskql: {expected!r}\n  {name}: {got!r}"
        )


if __name__ == "__main__":
    main()
