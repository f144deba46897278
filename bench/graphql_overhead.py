"""Requests/second of `{ me { id } }` with a token against a raw Starlette JSON endpoint
returning the same bytes: one uvicorn worker each, loopback, same client, same run.

    .venv/bin/python bench/graphql_overhead.py [--seconds 5] [--concurrency 16]
        [--database-url postgres://...]   (default: a fresh SQLite file)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from bench import loadgen  # noqa: E402
from bench.servers import deskql, deskql_env, deskql_server, raw_server  # noqa: E402

QUERY = "{ me { id } }"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="deskql-bench-"))
    url = args.database_url or f"sqlite://{tmp}/bench.sqlite3"
    env = deskql_env(url, tmp)
    deskql("migrate", env=env)
    deskql("create-admin", "--account", "bench", "--password", "bench-password", env=env)

    with deskql_server(env) as port:
        base = f"http://127.0.0.1:{port}/graphql"
        login = httpx.post(base, json={"query": 'mutation { login(account: "bench", '
                                       'password: "bench-password") { token } }'}).json()
        token = login["data"]["login"]["token"]
        body = json.dumps({"query": QUERY}).encode()
        sample = httpx.post(base, content=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"}).content
        request = loadgen.build_request("POST", "/graphql", host=f"127.0.0.1:{port}", body=body,
                                        headers={"Authorization": f"Bearer {token}",
                                                 "Content-Type": "application/json"})
        graphql = asyncio.run(loadgen.run("graphql { me { id } } (token)", "127.0.0.1", port,
                                          request, seconds=args.seconds,
                                          concurrency=args.concurrency))

    (tmp / "body.json").write_bytes(sample)
    with raw_server(tmp / "body.json") as port:
        request = loadgen.build_request("POST", "/raw", host=f"127.0.0.1:{port}", body=body,
                                        headers={"Content-Type": "application/json"})
        raw = asyncio.run(loadgen.run("raw Starlette JSON (same bytes)", "127.0.0.1", port,
                                      request, seconds=args.seconds,
                                      concurrency=args.concurrency))

    print(f"database: {url.split('://')[0]}   response: {sample.decode()}")
    print(graphql.row())
    print(raw.row())
    print(f"ratio graphql/raw: {graphql.rps / raw.rps:.2f}")


if __name__ == "__main__":
    main()
