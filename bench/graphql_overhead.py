"""Requests/second of `{ me { id } }` with a token against a raw Starlette JSON endpoint
returning the same bytes: one uvicorn worker each, loopback, same client, same run.

    .venv/bin/python bench/graphql_overhead.py [--seconds 5] [--concurrency 16]
        [--database-url postgres://...]   (default: a fresh SQLite file)
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from bench import loadgen  # noqa: E402
from bench.servers import bench_arguments, deskql_server, prepared_database, raw_server  # noqa: E402

QUERY = "{ me { id } }"


def main() -> None:
    args = bench_arguments(__doc__)
    url, env, tmp = prepared_database(args)

    with deskql_server(env) as port:
        base = f"http://127.0.0.1:{port}/graphql"
        login = httpx.post(
            base,
            json={
                "query": 'mutation { login(account: "bench", '
                'password: "bench-password") { token } }'
            },
        ).json()
        token = login["data"]["login"]["token"]
        body = json.dumps({"query": QUERY}).encode()
        sample = httpx.post(
            base,
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        ).content
        request = loadgen.build_request(
            "POST",
            "/graphql",
            host=f"127.0.0.1:{port}",
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        graphql = asyncio.run(
            loadgen.run(
                "graphql { me { id } } (token)",
                "127.0.0.1",
                port,
                request,
                seconds=args.seconds,
                concurrency=args.concurrency,
            )
        )

    (tmp / "body.json").write_bytes(sample)
    with raw_server(tmp / "body.json") as port:
        request = loadgen.build_request(
            "POST",
            "/raw",
            host=f"127.0.0.1:{port}",
            body=body,
            headers={"Content-Type": "application/json"},
        )
        raw = asyncio.run(
            loadgen.run(
                "raw Starlette JSON (same bytes)",
                "127.0.0.1",
                port,
                request,
                seconds=args.seconds,
                concurrency=args.concurrency,
            )
        )

    print(f"database: {url.split('://')[0]}   response: {sample.decode()}")
    print(graphql.row())
    print(raw.row())
    print(f"ratio graphql/raw: {graphql.rps / raw.rps:.2f}")


if __name__ == "__main__":
    main()
