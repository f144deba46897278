"""The little raw SQL this domain needs (bulk upserts, report aggregates), for both databases.

Statements are written once with ``?`` placeholders and numbered for PostgreSQL.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient


def connection() -> BaseDBAsyncClient:
    return connections.get("default")


def is_postgres(conn: BaseDBAsyncClient | None = None) -> bool:
    conn = conn or connection()
    return conn.capabilities.dialect == "postgres"


_PLACEHOLDER = re.compile(r"\?")


def dialect(sql: str, conn: BaseDBAsyncClient | None = None) -> str:
    """Number the ``?`` placeholders ($1, $2 ...) for PostgreSQL."""
    if not is_postgres(conn):
        return sql
    counter = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


def db_datetime(value: datetime | None, conn: BaseDBAsyncClient | None = None):
    """A datetime as the driver stores it: asyncpg takes the object, SQLite the text Tortoise
    writes (``2026-01-01 08:00:00+00:00``), so raw rows read back through the ORM."""
    if value is None:
        return None
    value = value.astimezone(timezone.utc)
    return value if is_postgres(conn) else value.isoformat(sep=" ")
