"""`deskql zendesk-fake`: the local stand-in for the Zendesk Support API (app/zendesk/fake), for
demos and for trying the sync with no Zendesk account. Point deskql at it with
DESKQL_ZENDESK_URL=http://127.0.0.1:8790, DESKQL_ZENDESK_EMAIL and DESKQL_ZENDESK_API_TOKEN."""

from __future__ import annotations

import argparse
import logging

from app.zendesk.fake.state import PLANS

log = logging.getLogger("deskql.zendesk")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("zendesk-fake", help="run a local fake of the Zendesk Support API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8790)
    p.add_argument("--plan", choices=sorted(PLANS), default="team", help="rate limits of the plan")
    p.add_argument("--email", default="agent@example.com", help="the API user's e-mail")
    p.add_argument("--token", default="fake-token", help="the API token it accepts")
    p.add_argument("--job-delay", type=float, default=0.5, help="seconds a job takes")
    p.add_argument("--search-delay", type=float, default=0.0, help="search index delay (s)")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    import uvicorn

    from app.zendesk.fake import FakeZendesk, create_app

    url = f"http://{args.host}:{args.port}"
    fake = FakeZendesk(
        plan=args.plan,
        email=args.email,
        token=args.token,
        job_delay=args.job_delay,
        search_delay=args.search_delay,
        base_url=url,
    )
    print(
        f"fake Zendesk on {url} (plan {args.plan}, {fake.limit} requests/min), "
        f"API user {args.email}",
        flush=True,
    )
    uvicorn.run(create_app(fake), host=args.host, port=args.port, log_level="warning")
    return 0
