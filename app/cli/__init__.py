"""The `deskql` command: one sub-command per task; each lives in the module named below."""

from __future__ import annotations

import argparse
import sys

from app.cli import calls, server, worker, zendesk
from app.settings import ConfigError


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args) or 0
    except ConfigError as exc:
        print(f"deskql: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deskql", description="deskql GraphQL API server")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    server.register(sub)
    calls.register(sub)
    worker.register(sub)
    zendesk.register(sub)
    return parser
