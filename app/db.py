"""Tortoise configuration shared by the server, the CLI, migrations and tests, and the few
dialect helpers the raw SQL of every domain needs (statements are written once with ``?``
placeholders and numbered for PostgreSQL)."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from app import statements
from app.sqlite import Client as SqliteClient

ModelT = TypeVar("ModelT", bound=Model)

APP_LABEL = "deskql"
# Every module holding models. One app label, so one migration history in migrations/.
MODEL_MODULES = [
    "app.accounts.models",
    "app.knowledge.models",
    "app.events.models",
    "app.directory.models",
    "app.tickets.models",
    "app.telephony.models",
    "app.chat.models",
    "app.surveys.models",
    "app.qc.models",
    "app.workforce.models",
    "app.webhooks.models",
    "app.zendesk.models",
    "app.outbound.models",
    "app.routing.models",
    "app.notifications.models",
]
MIGRATIONS_MODULE = "migrations"


def tortoise_config(database_url: str) -> dict[str, Any]:
    """Instants are stored and read in UTC on both databases, whatever the business time zone
    (DESKQL_TIMEZONE only shapes report days and date filters, computed explicitly)."""
    _canonical_sqlite_instants()
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
        "timezone": "UTC",
    }


def _canonical_sqlite_instants() -> None:
    """SQLite has no instant type: it compares the text the driver writes. Tortoise's adapter
    writes a datetime with whatever offset it carries, so the same instant could be stored as
    ``... 18:00:00+08:00`` or ``... 10:00:00+00:00`` and text comparisons with UTC bounds went
    wrong. Every datetime is written as UTC with microseconds, one fixed layout, so text order
    is time order. (Registered after Tortoise's own adapter, which its executor module sets.)"""
    import sqlite3

    import tortoise.backends.sqlite.executor  # noqa: F401 (registers Tortoise's adapter first)

    sqlite3.register_adapter(datetime, _sqlite_instant)


def _sqlite_instant(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


def is_sqlite(database_url: str) -> bool:
    return database_url.startswith("sqlite://")


def _normalise_url(database_url: str) -> str | dict[str, Any]:
    """Create the SQLite file's folder and use deskql's SQLite engine (app/sqlite: write
    transactions that wait their turn); accept the usual postgresql:// spelling."""
    if is_sqlite(database_url):
        path = database_url.removeprefix("sqlite://").split("?", 1)[0]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        from tortoise.backends.base.config_generator import expand_db_url

        config = expand_db_url(database_url)
        config["engine"] = "app.sqlite"
        return config
    if database_url.startswith("postgresql://"):
        return "postgres://" + database_url.removeprefix("postgresql://")
    return database_url


# Query parameters of a database URL that configure Tortoise's pool, not the PostgreSQL server.
_POOL_PARAMETERS = frozenset(
    {"minsize", "maxsize", "max_queries", "max_inactive_connection_lifetime", "schema"}
)


def asyncpg_dsn(database_url: str) -> str:
    """The URL for a connection of deskql's own (LISTEN, advisory locks): postgresql://,
    without the pool's settings (``?maxsize=20``) that the server would refuse."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(database_url.replace("postgres://", "postgresql://", 1))
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in _POOL_PARAMETERS]
    return urlunsplit(parts._replace(query=urlencode(query)))


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
        assert ctx.apps is not None  # init() registered them
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    for writer in writers:
        if name:
            writer.name = format_migration_name(int(writer.name.split("_", 1)[0]), name)
    return writers


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


def db_datetime(value: datetime | None, conn: BaseDBAsyncClient | None = None) -> Any:
    """A datetime as the driver stores it: asyncpg takes the object, SQLite the canonical UTC
    text (``2026-01-01 08:00:00.000000+00:00``), so raw rows read back through the ORM."""
    if value is None:
        return None
    value = value.astimezone(UTC)
    return value if is_postgres(conn) else _sqlite_instant(value)


async def rows(
    sql: str, params: list | None = None, conn: BaseDBAsyncClient | None = None
) -> list[dict]:
    """Run one ``?``-placeholder statement and return its rows as dicts."""
    conn = conn or connection()
    values = list(params or [])
    if not is_postgres(conn):  # SQLite has no booleans: 0/1
        values = [int(v) if isinstance(v, bool) else v for v in values]
    return await conn.execute_query_dict(dialect(sql, conn), values)


async def upsert_by_key(
    model: type[ModelT],
    values: list[dict[str, Any]],
    *,
    key: tuple[str, ...],
    conn: BaseDBAsyncClient,
) -> list[tuple[ModelT, bool]]:
    """Create or update each row of ``values`` by its natural ``key`` (the imports' idempotency):
    one read for the whole batch, then one write per row, all on ``conn`` (the caller's
    transaction). Returns ``(instance, created)`` in the order of ``values``."""
    if not values:
        return []
    lookup = {f"{name}__in": list({row[name] for row in values}) for name in key}
    existing = {
        tuple(getattr(found, name) for name in key): found
        for found in await model.filter(**lookup).using_db(conn)
    }
    outcome: list[tuple[ModelT, bool]] = []
    for row in values:
        ident = tuple(row[name] for name in key)
        instance = existing.get(ident)
        if instance is None:
            instance = await model.create(**row, using_db=conn)
            existing[ident] = instance
            outcome.append((instance, True))
        else:
            instance.update_from_dict({k: v for k, v in row.items() if k not in key})
            await instance.save(using_db=conn)
            outcome.append((instance, False))
    return outcome


def counts(outcome: list[tuple[Any, bool]]) -> tuple[int, int]:
    """(created, updated) of an upsert."""
    created = sum(1 for _, new in outcome if new)
    return created, len(outcome) - created


# --- list reads: a queryset's rows without model instances (app/api/views) ---


async def raw_rows(queryset: Any) -> list[Any]:
    """The rows a queryset selects, as the driver returns them (mapping-like: ``row["col"]``),
    with no model instances or field conversion: the SQL is the ORM's own (the filters of the
    domain's visibility function included), only the row building is skipped, and a values_list
    queryset's statement is built once per shape (app/statements.py). Uses Tortoise's query
    building the way QuerySet._execute does (tortoise-orm is pinned)."""
    queryset._choose_db_if_not_chosen()
    found = statements.shape_of(queryset)
    if found is not None:
        sql = statements.kept(found[0])
        if sql is not None:
            return await _read(queryset._db, sql, found[1])
    meta = queryset.model._meta
    base = meta.basequery
    # pypika's builder copies the whole query at every step (immutable); this query is ours
    # alone, built start to end here: let the steps change it in place.
    meta.basequery = _mutable(base)
    try:
        queryset._make_query()
    finally:
        meta.basequery = base
    sql, values = queryset.query.get_parameterized_sql()
    if found is not None:
        statements.keep(found[0], found[1], sql, values)
    return await _read(queryset._db, sql, values)


def _mutable(query: Any) -> Any:
    mutable = copy.copy(query)
    mutable.immutable = False
    return mutable


async def _read(db: BaseDBAsyncClient, sql: str, values: list) -> list[Any]:
    """One SELECT's rows; on SQLite outside a transaction read at once in this thread
    (app/sqlite ``read_now``), else through the driver."""
    if type(db) is SqliteClient:
        found = db.read_now(sql, values)
        if found is not None:
            return found
    _, rows = await db.execute_query(sql, values)
    return list(rows)


async def select(sql: str, params: list | None = None) -> list[Any]:
    """Run one hand-written ``?``-placeholder SELECT; the driver's rows (``row["col"]``)."""
    conn = connection()
    values = list(params or [])
    if not is_postgres(conn):  # SQLite has no booleans: 0/1
        values = [int(v) if isinstance(v, bool) else v for v in values]
    return await _read(conn, dialect(sql, conn), values)


def placeholders(count: int) -> str:
    return ", ".join("?" * count)


def instant(value: Any) -> datetime | None:
    """A stored instant as an aware UTC datetime: asyncpg gives one, SQLite the canonical text
    (C-speed ``fromisoformat``, not the ORM's pure-Python parser)."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is UTC else parsed.astimezone(UTC)
