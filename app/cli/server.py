"""Commands that set up and run the server: migrate, makemigrations, create-admin, serve, demo,
export-schema."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import secrets
import socket
import sys
from pathlib import Path
from typing import Any

from app.cli.database import apply_migrations, safe_url, with_database
from app.settings import Settings


def register(sub: Any) -> None:
    p = sub.add_parser("migrate", help="apply pending migrations to DESKQL_DATABASE_URL")
    p.set_defaults(run=_migrate)

    p = sub.add_parser("makemigrations", help="write a migration for model changes (developers)")
    p.add_argument("--name", help="a short name for the migration")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the models have unmigrated changes",
    )
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
    p.add_argument(
        "--no-zendesk",
        action="store_true",
        help="do not start a fake Zendesk (one is started unless DESKQL_ZENDESK_URL is set)",
    )
    p.set_defaults(run=_demo)

    p = sub.add_parser("export-schema", help="write the GraphQL SDL")
    p.add_argument("--out", default="graphql/schema.graphql")
    p.set_defaults(run=_export_schema)


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)


def _migrate(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    asyncio.run(apply_migrations(settings))
    return 0


def _makemigrations(args: argparse.Namespace) -> int:
    from app.db import pending_migrations

    async def run() -> int:
        writers = await pending_migrations(name=args.name)
        if not writers:
            print("no model changes")
            return 0
        if args.check:
            for writer in writers:
                print(
                    f"unmigrated model changes: {writer.app_label}.{writer.name} would be written"
                )
            return 1
        for writer in writers:
            print(f"wrote {writer.write()}")
        return 0

    return asyncio.run(run())


def _create_admin(args: argparse.Namespace) -> int:
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
    settings: Settings, account: str, password: str, display_name: str | None
) -> None:
    from app.accounts.bootstrap import ensure_super_admin
    from app.errors import DomainError

    async def create() -> None:
        try:
            await ensure_super_admin(
                settings, account=account, password=password, display_name=display_name or account
            )
        except DomainError as exc:
            raise SystemExit(f"deskql: {exc.message}") from None

    await with_database(settings, create)


def _port_taken(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _refuse_taken_port(args: argparse.Namespace, command: str) -> bool:
    if not _port_taken(args.host, args.port):
        return False
    print(
        f"deskql: port {args.port} on {args.host} is taken (another deskql or another program).\n"
        f"        Choose another: deskql {command} --port {args.port + 1}"
        + (f"   (or: bash scripts/demo.sh --port {args.port + 1})" if command == "demo" else ""),
        file=sys.stderr,
    )
    return True


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = Settings.from_env()  # fail fast on bad configuration, before workers fork
    if _refuse_taken_port(args, "serve"):
        return 2
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
    )
    return 0


def _demo(args: argparse.Namespace) -> int:
    from app.cli.demo import load_demo_data

    settings = Settings.from_env()
    if _refuse_taken_port(args, "demo"):  # before the demo data, not after the password
        return 2
    password = secrets.token_urlsafe(9)
    asyncio.run(apply_migrations(settings))
    asyncio.run(with_database(settings, lambda: load_demo_data(settings, admin_password=password)))
    url = f"http://{args.host}:{args.port}"
    # The demo's links (h5Url, image URLs) point at the port it serves on, unless configured.
    os.environ.setdefault("DESKQL_PUBLIC_URL", url)
    print()
    print(f"  deskql demo: {url}/graphql   (GraphiQL in the browser)")
    print(f"  admin page:  {url}/admin     help-center answers: {url}/h5/questions/1")
    print(f"  demo admin:  account 'admin'  password {password!r}  (new each run)")
    print(f"  database:    {safe_url(settings.database_url)}")
    if not args.no_zendesk:
        from app.cli import demo_zendesk

        demo_zendesk.start(url)
    print()
    return _serve(args)


def _export_schema(args: argparse.Namespace) -> int:
    from app.api.schema import export_sdl

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(export_sdl())
    print(f"wrote {out}")
    return 0
