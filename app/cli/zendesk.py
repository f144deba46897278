"""`deskql zendesk-fake`: the local stand-in for the Zendesk Support API (app/zendesk/fake), for
demos and for trying the sync with no Zendesk account. Point deskql at it with
DESKQL_ZENDESK_URL=http://127.0.0.1:8790, DESKQL_ZENDESK_EMAIL and DESKQL_ZENDESK_API_TOKEN.

Every knob of the fake (app/zendesk/fake/knobs.py) has a flag here; they can be changed while
it runs with ``PUT /__fake__/knobs`` (JSON). ``--webhook-secret`` defaults to
$DESKQL_ZENDESK_WEBHOOK_SECRET, so a fake started beside deskql signs what deskql checks."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from typing import TYPE_CHECKING

from app.zendesk.fake.state import PLANS

if TYPE_CHECKING:
    from app.zendesk.fake import FakeZendesk

log = logging.getLogger("deskql.zendesk")

INSTANT = "ISO|+SECONDS"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "zendesk-fake",
        help="run a local fake of the Zendesk Support API",
        description="A local fake of the Zendesk Support API, with knobs for faults. "
        "Knobs can be changed while it runs: PUT /__fake__/knobs (JSON); "
        "GET /__fake__/stats counts requests, 429s and early requests.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8790)
    p.add_argument("--email", default="agent@example.com", help="the API user's e-mail")
    p.add_argument("--token", default="fake-token", help="the API token it accepts")
    p.add_argument("--plan", choices=sorted(PLANS), default="team",
                   help="the plan whose account-wide requests/minute apply")  # fmt: skip
    p.add_argument("--account-limit", type=int, default=None,
                   help="account-wide requests/minute instead of the plan's")  # fmt: skip
    p.add_argument("--job-delay", type=float, default=0.5, help="seconds a job takes")
    p.add_argument("--search-delay", type=float, default=0.0,
                   help="seconds before a new user can be found by search")  # fmt: skip
    p.add_argument("--latency", type=float, default=0.0,
                   help="seconds added before every API answer")  # fmt: skip
    p.add_argument("--error-rate", type=float, default=0.0,
                   help="share (0..1) of API requests answered 503, nothing applied")  # fmt: skip
    p.add_argument("--seed", type=int, default=0, help="seed of the --error-rate draws")
    p.add_argument("--storm-until", metavar=INSTANT, default=None,
                   help="every API request 429 (Retry-After) until then; +SECONDS from start")  # fmt: skip
    p.add_argument("--down-until", metavar=INSTANT, default=None,
                   help="every API request a load balancer's 503 until then")  # fmt: skip
    p.add_argument("--webhook-url", default=None,
                   help="post ticket status changes and merges there (deskql: "
                        "http://HOST:PORT/zendesk/webhook)")  # fmt: skip
    p.add_argument("--webhook-secret", default=None,
                   help="the webhook's signing secret (default: $DESKQL_ZENDESK_WEBHOOK_SECRET)")  # fmt: skip
    p.add_argument("--parent-pid", type=int, default=None,
                   help="exit when this process is gone (deskql demo passes its own pid, so "
                        "no fake outlives a demo that was killed)")  # fmt: skip
    p.set_defaults(run=_run)


def _exit_with_parent(pid: int) -> None:
    """A daemon thread that ends this process once ``pid`` is no longer its parent (it died:
    the process was handed to init), checked every half second."""

    def watch() -> None:
        while os.getppid() == pid:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def build(args: argparse.Namespace) -> FakeZendesk:
    """The fake the flags describe (KnobError, a ValueError, for a bad value)."""
    from app.zendesk.fake import FakeZendesk, knobs

    fake = FakeZendesk(
        email=args.email, token=args.token, base_url=f"http://{args.host}:{args.port}"
    )
    knobs.apply(
        fake,
        {
            "plan": args.plan,
            "account_limit": args.account_limit,
            "job_delay": args.job_delay,
            "search_delay": args.search_delay,
            "latency": args.latency,
            "error_rate": args.error_rate,
            "seed": args.seed,
            "storm_until": args.storm_until,
            "down_until": args.down_until,
            "webhook_url": args.webhook_url,
            "webhook_secret": args.webhook_secret
            or os.environ.get("DESKQL_ZENDESK_WEBHOOK_SECRET"),
        },
    )
    return fake


def _run(args: argparse.Namespace) -> int:
    import uvicorn

    from app.zendesk.fake import create_app

    try:
        fake = build(args)
    except ValueError as exc:
        print(f"deskql zendesk-fake: {exc}", file=sys.stderr)
        return 2
    extra = [
        f"{name} {value}"
        for name, value in (("latency", fake.latency), ("error rate", fake.error_rate),
                            ("storm until", fake.storm_until), ("down until", fake.down_until),
                            ("webhook", fake.webhook_url))
        if value
    ]  # fmt: skip
    print(
        f"fake Zendesk on {fake.base_url} (plan {fake.plan}, {fake.limit} requests/min), "
        f"API user {fake.email}" + (f"; {', '.join(extra)}" if extra else ""),
        flush=True,
    )
    if args.parent_pid is not None:
        _exit_with_parent(args.parent_pid)
    uvicorn.run(create_app(fake), host=args.host, port=args.port, log_level="warning")
    return 0
