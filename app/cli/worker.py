"""`deskql worker`: the delivery workers without the HTTP server, for setups that run them
apart (any number of workers beside any number of servers started with DESKQL_RUN_WORKERS=false,
on one PostgreSQL). SIGTERM or Ctrl-C lets the deliveries under way finish, then stops."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from app.cli.database import safe_url, with_database
from app.requestid import configure_logging
from app.settings import Settings

log = logging.getLogger("deskql.worker")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("worker", help="run the delivery workers (webhooks) without the HTTP server")
    p.set_defaults(run=_worker)


def _worker(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    return asyncio.run(with_database(settings, lambda: _run(settings)))


async def _run(settings: Settings) -> int:
    from app.background import Background

    background = Background(settings, hub=False, workers=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await background.start()
    log.info("deskql worker started on %s", safe_url(settings.database_url))
    await stop.wait()
    log.info("stopping: letting deliveries under way finish")
    await background.stop()
    log.info("deskql worker stopped")
    return 0
