"""What the commands share: applying migrations with progress, and running work with the
database open."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tortoise import Tortoise

from app.db import migrate, tortoise_config
from app.settings import Settings

T = TypeVar("T")


async def apply_migrations(settings: Settings) -> None:
    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            print(f"  applied {app_label}.{name}")

    print(f"migrating {safe_url(settings.database_url)}")
    await migrate(settings.database_url, progress=progress)
    print("database is up to date")


async def with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        return await work()
    finally:
        await Tortoise.close_connections()


def safe_url(url: str) -> str:
    """The URL without its password, for logs."""
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
