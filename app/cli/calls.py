"""Commands for call records: import-calls (JSON lines) and generate-calls (synthetic data)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from app.cli import generate
from app.cli.database import apply_migrations, with_database
from app.cli.jsonl import FileOutcome, Progress, import_file
from app.settings import Settings


def register(sub: Any) -> None:
    p = sub.add_parser("import-calls", help="import call records from a JSON-lines file")
    p.add_argument("file", type=Path, help="one call record (GraphQL field names) per line")
    p.add_argument("--batch-size", type=int, default=5000, help="records per transaction")
    p.add_argument("--rejects", type=Path, help="write every rejected line here (JSON lines)")
    p.set_defaults(run=_import_calls)

    p = sub.add_parser("generate-calls", help="write realistic synthetic call records (JSONL)")
    p.add_argument("--count", type=int, required=True, help="at least this many records")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--start", default="2026-01-01", help="first day (UTC), default 2026-01-01")
    p.add_argument("--days", type=int, default=90, help="days the calls spread over")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--create-agents",
        action="store_true",
        help="also create the 200 agents and 20 teams in DESKQL_DATABASE_URL",
    )
    p.set_defaults(run=_generate_calls)


def _import_calls(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"deskql: no such file: {args.file}", file=sys.stderr)
        return 2
    if not 1 <= args.batch_size <= 50_000:
        print("deskql: --batch-size must be 1-50000", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    asyncio.run(apply_migrations(settings))
    progress = Progress(args.file.stat().st_size)
    outcome = asyncio.run(
        with_database(
            settings, lambda: import_file(args.file, batch_size=args.batch_size, progress=progress)
        )
    )
    print(
        f"import-calls: {outcome.lines:,} lines, {outcome.imported:,} imported "
        f"({outcome.created:,} new, {outcome.updated:,} updated), "
        f"{len(outcome.rejected):,} rejected, {outcome.seconds:.1f} s "
        f"({outcome.rate:,.0f} records/s)"
    )
    if not outcome.rejected:
        return 0
    _report_rejected(outcome, args.rejects)
    return 1


def _report_rejected(outcome: FileOutcome, rejects: Path | None) -> None:
    by_reason: dict[tuple[str, str], int] = {}
    for r in outcome.rejected:
        key = (r.field, r.message.split("'")[0].split(":")[0])
        by_reason[key] = by_reason.get(key, 0) + 1
    print("rejected lines by reason:")
    for (field_name, reason), count in sorted(by_reason.items(), key=lambda x: -x[1]):
        print(f"  {count:>8,}  {field_name}: {reason}")
    print("first rejected lines:")
    for r in outcome.rejected[:10]:
        print(f"  line {r.line}: {r.field}: {r.message}")
    if rejects:
        with open(rejects, "w", encoding="utf-8") as out:
            for r in outcome.rejected:
                out.write(
                    json.dumps(
                        {"line": r.line, "id": r.id, "field": r.field, "message": r.message},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        print(f"all rejected lines: {rejects}")


def _generate_calls(args: argparse.Namespace) -> int:
    try:
        start = date.fromisoformat(args.start)
    except ValueError:
        print("deskql: --start must be YYYY-MM-DD", file=sys.stderr)
        return 2
    if args.count < 1 or not 1 <= args.days <= 3660:
        print("deskql: --count must be positive and --days 1-3660", file=sys.stderr)
        return 2
    written = generate.write(args.out, args.count, start=start, days=args.days, seed=args.seed)
    print(f"generate-calls: wrote {written:,} records to {args.out}")
    if args.create_agents:
        settings = Settings.from_env()
        asyncio.run(apply_migrations(settings))
        agents, teams = asyncio.run(with_database(settings, generate.create_agents))
        print(
            f"generate-calls: created {agents} agents and {teams} teams "
            f"({generate.AGENTS} agents in {generate.TEAMS} teams in all)"
        )
    return 0
