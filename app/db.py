"""Tortoise configuration shared by the server, the CLI, migrations and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

APP_LABEL = "deskql"
# Every module holding models. One app label, so one migration history in migrations/.
MODEL_MODULES = [
    "app.accounts.models",
    "app.knowledge.models",
    "app.contact.models",
]
MIGRATIONS_MODULE = "migrations"


def tortoise_config(database_url: str, *, timezone: str = "UTC") -> dict[str, Any]:
    return {
        "connections": {"default": _normalise_url(database_url)},
        "apps": {
            APP_LABEL: {
                "models": list(MODEL_MODULES),
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": timezone,
    }


def is_sqlite(database_url: str) -> bool:
    return database_url.startswith("sqlite://")


def _normalise_url(database_url: str) -> str:
    """Create the SQLite file's folder, and accept the usual postgresql:// spelling."""
    if is_sqlite(database_url):
        path = database_url.removeprefix("sqlite://").split("?", 1)[0]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return database_url
    if database_url.startswith("postgresql://"):
        return "postgres://" + database_url.removeprefix("postgresql://")
    return database_url


async def migrate(database_url: str, *, progress=None) -> None:
    """Apply every pending migration (creates the SQLite file when missing)."""
    from tortoise import Tortoise
    from tortoise.migrations.api.migrate import migrate as run_migrations

    try:
        await run_migrations(config=tortoise_config(database_url), progress=progress)
    finally:
        await Tortoise.close_connections()


async def pending_migrations(*, name: str | None = None) -> list:
    """Migration writers for model changes not yet in migrations/ (empty when in step).

    Compares the models with the state the migration files build; needs no database.
    """
    from tortoise.context import TortoiseContext
    from tortoise.migrations.autodetector import MigrationAutodetector
    from tortoise.migrations.writer import format_migration_name

    config = tortoise_config("sqlite://:memory:")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    for writer in writers:
        if name:
            writer.name = format_migration_name(int(writer.name.split("_", 1)[0]), name)
    return writers
