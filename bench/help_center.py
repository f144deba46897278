"""Help-center read speed: the SDK's `helpCenter` query and the H5 answer page, each next to a
raw Starlette endpoint returning the same bytes. One uvicorn worker each, loopback, same client,
same run. Seeds 30 categories x 20 published questions with ~2 KB answers.

    .venv/bin/python bench/help_center.py [--seconds 5] [--concurrency 16]
        [--database-url postgres://...]   (default: a fresh SQLite file)

Targets (issue 3): helpCenter >= 50% of raw throughput, H5 page >= 70%.
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

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = (
    "如果您忘记了密码，请在登录页点击“忘记密码”，输入注册手机号并完成短信验证。"
    "If you forgot your password, tap **Forgot password** on the sign-in page, enter "
    "the phone number you registered with and confirm the SMS code. "
)


async def seed(database_url: str) -> None:
    from tortoise import Tortoise

    from app.accounts import models as accounts
    from app.accounts.auth import principal_for
    from app.db import tortoise_config
    from app.knowledge import service

    await Tortoise.init(config=tortoise_config(database_url))
    try:
        admin = await accounts.Account.get(account="bench")
        actor = await principal_for(admin)
        answer = "## 步骤\n\n" + "\n\n".join([PARAGRAPH] * 6) + "\n\n1. 打开设置\n2. 点击账户\n"
        for c in range(30):
            category = await service.create_category(
                actor=actor,
                name=f"分类 {c + 1}",
                description="常见问题 / FAQ",
                public_url="http://127.0.0.1",
            )
            for q in range(20):
                await service.create_question(
                    actor=actor,
                    category_id=category.id,
                    title=f"问题 {c + 1}-{q + 1}：如何重置密码？",
                    markdown=answer,
                    publish=True,
                )
    finally:
        await Tortoise.close_connections()


def measure(name, port, request, args):
    return asyncio.run(
        loadgen.run(
            name, "127.0.0.1", port, request, seconds=args.seconds, concurrency=args.concurrency
        )
    )


def main() -> None:
    args = bench_arguments(__doc__)
    url, env, tmp = prepared_database(args)
    print("seeding 30 categories x 20 questions ...", flush=True)
    asyncio.run(seed(url))

    query = (ROOT / "graphql" / "operations" / "sdk" / "HelpCenter.graphql").read_text()
    body = json.dumps({"query": query}).encode()
    results = []
    with deskql_server(env) as port:
        host = f"127.0.0.1:{port}"
        center = httpx.post(
            f"http://{host}/graphql", content=body, headers={"Content-Type": "application/json"}
        )
        center_bytes = center.content
        first_h5 = json.loads(center_bytes)["data"]["helpCenter"]["categories"][0]["questions"][0]
        h5_path = "/h5/questions/" + first_h5["id"]
        h5_bytes = httpx.get(f"http://{host}{h5_path}").content
        post = loadgen.build_request(
            "POST", "/graphql", host=host, body=body, headers={"Content-Type": "application/json"}
        )
        results.append(measure("deskql helpCenter (SDK document)", port, post, args))
        revalidate = loadgen.build_request(
            "POST",
            "/graphql",
            host=host,
            body=body,
            headers={"Content-Type": "application/json", "If-None-Match": center.headers["etag"]},
        )
        results.append(measure("deskql helpCenter, If-None-Match", port, revalidate, args))
        results.append(
            measure("deskql H5 page", port, loadgen.build_request("GET", h5_path, host=host), args)
        )

    (tmp / "center.json").write_bytes(center_bytes)
    with raw_server(tmp / "center.json") as port:
        results.append(
            measure(
                "raw Starlette, helpCenter bytes",
                port,
                loadgen.build_request(
                    "POST",
                    "/raw",
                    host=f"127.0.0.1:{port}",
                    body=body,
                    headers={"Content-Type": "application/json"},
                ),
                args,
            )
        )
    (tmp / "page.html").write_bytes(h5_bytes)
    with raw_server(tmp / "page.html", "text/html; charset=utf-8") as port:
        results.append(
            measure(
                "raw Starlette, H5 page bytes",
                port,
                loadgen.build_request("GET", "/raw", host=f"127.0.0.1:{port}"),
                args,
            )
        )

    print(
        f"database: {url.split('://')[0]}   helpCenter response {len(center_bytes)} bytes, "
        f"H5 page {len(h5_bytes)} bytes, concurrency {args.concurrency}"
    )
    for result in results:
        print(result.row())
    center_run, _, h5_run, raw_center, raw_h5 = results
    print(f"helpCenter / raw: {center_run.rps / raw_center.rps:.2f}  (target >= 0.50)")
    print(f"H5 page / raw:    {h5_run.rps / raw_h5.rps:.2f}  (target >= 0.70)")


if __name__ == "__main__":
    main()
