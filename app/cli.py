"""The `deskql` command."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import secrets
import sys
from pathlib import Path

from app.settings import ConfigError, Settings


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

    p = sub.add_parser("migrate", help="apply pending migrations to DESKQL_DATABASE_URL")
    p.set_defaults(run=_migrate)

    p = sub.add_parser("makemigrations", help="write a migration for model changes (developers)")
    p.add_argument("--name", help="a short name for the migration")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 when the models have unmigrated changes")
    p.set_defaults(run=_makemigrations)

    p = sub.add_parser("create-admin", help="create a super admin account (active)")
    p.add_argument("--account", required=True)
    p.add_argument("--password", help="prompted for when omitted")
    p.add_argument("--display-name")
    p.set_defaults(run=_create_admin)

    p = sub.add_parser("serve", help="run the server with uvicorn")
    _serve_args(p)
    p.set_defaults(run=_serve)

    p = sub.add_parser("demo", help="migrate, load demo data and serve")
    _serve_args(p)
    p.set_defaults(run=_demo)

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
    p.add_argument("--create-agents", action="store_true",
                   help="also create the 200 agents and 20 teams in DESKQL_DATABASE_URL")
    p.set_defaults(run=_generate_calls)

    p = sub.add_parser("export-schema", help="write the GraphQL SDL")
    p.add_argument("--out", default="graphql/schema.graphql")
    p.set_defaults(run=_export_schema)
    return parser


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)


def _migrate(args) -> int:
    settings = Settings.from_env()
    asyncio.run(_apply_migrations(settings))
    return 0


async def _apply_migrations(settings: Settings) -> None:
    from app.db import migrate

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            print(f"  applied {app_label}.{name}")

    print(f"migrating {_safe_url(settings.database_url)}")
    await migrate(settings.database_url, progress=progress)
    print("database is up to date")


def _makemigrations(args) -> int:
    from app.db import pending_migrations

    async def run() -> int:
        writers = await pending_migrations(name=args.name)
        if not writers:
            print("no model changes")
            return 0
        if args.check:
            for writer in writers:
                print(f"unmigrated model changes: {writer.app_label}.{writer.name} would be written")
            return 1
        for writer in writers:
            print(f"wrote {writer.write()}")
        return 0

    return asyncio.run(run())


def _create_admin(args) -> int:
    settings = Settings.from_env()
    password = args.password or _prompt_password()
    asyncio.run(_create_super_admin(settings, args.account, password, args.display_name))
    print(f"super admin {args.account!r} created")
    return 0


def _prompt_password() -> str:
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise SystemExit("deskql: passwords do not match")
    return first


async def _create_super_admin(
    settings: Settings, account: str, password: str, display_name: str | None, *, reset: bool = False
) -> None:
    from tortoise import Tortoise

    from app.accounts.bootstrap import ensure_super_admin
    from app.db import tortoise_config
    from app.errors import DomainError

    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        await ensure_super_admin(
            settings, account=account, password=password,
            display_name=display_name or account, reset=reset,
        )
    except DomainError as exc:
        raise SystemExit(f"deskql: {exc.message}") from None
    finally:
        await Tortoise.close_connections()


def _serve(args) -> int:
    import uvicorn

    settings = Settings.from_env()  # fail fast on bad configuration, before workers fork
    uvicorn.run(
        "app.main:create_app", factory=True, host=args.host, port=args.port,
        workers=args.workers, log_level=settings.log_level.lower(), proxy_headers=True,
    )
    return 0


def _demo(args) -> int:
    settings = Settings.from_env()
    password = secrets.token_urlsafe(9)
    asyncio.run(_apply_migrations(settings))
    asyncio.run(_load_demo(settings, password))
    url = f"http://{args.host}:{args.port}"
    # The demo's links (h5Url, image URLs) point at the port it serves on, unless configured.
    os.environ.setdefault("DESKQL_PUBLIC_URL", url)
    print()
    print(f"  deskql demo: {url}/graphql   (GraphiQL in the browser)")
    print(f"  admin page:  {url}/admin     help-center answers: {url}/h5/questions/1")
    print(f"  demo admin:  account 'admin'  password {password!r}  (new each run)")
    print()
    return _serve(args)


async def _load_demo(settings: Settings, password: str) -> None:
    from tortoise import Tortoise

    from app.db import tortoise_config
    from app.demo import load_demo_data

    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        await load_demo_data(settings, admin_password=password)
    finally:
        await Tortoise.close_connections()


async def _with_database(settings: Settings, work):
    from tortoise import Tortoise

    from app.db import tortoise_config

    await Tortoise.init(config=tortoise_config(settings.database_url, timezone=settings.timezone))
    try:
        return await work()
    finally:
        await Tortoise.close_connections()


def _import_calls(args) -> int:
    import json

    from app.contact.jsonl import Progress, import_file

    if not args.file.is_file():
        print(f"deskql: no such file: {args.file}", file=sys.stderr)
        return 2
    if not 1 <= args.batch_size <= 50_000:
        print("deskql: --batch-size must be 1-50000", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    asyncio.run(_apply_migrations(settings))
    progress = Progress(args.file.stat().st_size)
    outcome = asyncio.run(_with_database(settings, lambda: import_file(
        args.file, batch_size=args.batch_size, progress=progress)))
    print(f"import-calls: {outcome.lines:,} lines, {outcome.imported:,} imported "
          f"({outcome.created:,} new, {outcome.updated:,} updated), "
          f"{len(outcome.rejected):,} rejected, {outcome.seconds:.1f} s "
          f"({outcome.rate:,.0f} records/s)")
    if outcome.rejected:
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
        if args.rejects:
            with open(args.rejects, "w", encoding="utf-8") as out:
                for r in outcome.rejected:
                    out.write(json.dumps({"line": r.line, "id": r.id, "field": r.field,
                                          "message": r.message}, ensure_ascii=False) + "\n")
            print(f"all rejected lines: {args.rejects}")
        return 1
    return 0


def _generate_calls(args) -> int:
    from datetime import date

    from app.contact import generate

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
        asyncio.run(_apply_migrations(settings))
        agents, teams = asyncio.run(_with_database(settings, generate.create_agents))
        print(f"generate-calls: created {agents} agents and {teams} teams "
              f"({generate.AGENTS} agents in {generate.TEAMS} teams in all)")
    return 0


def _export_schema(args) -> int:
    from app.api.schema import export_sdl

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(export_sdl())
    print(f"wrote {out}")
    return 0


def _safe_url(url: str) -> str:
    """The URL without its password, for logs."""
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


if __name__ == "__main__":
    sys.exit(main())
