"""Helpers shared by tests: client operation documents and whole-database snapshots."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tortoise import Tortoise, connections

from app.db import APP_LABEL

OPERATIONS = Path(__file__).resolve().parent.parent / "graphql" / "operations"


@cache
def operation(name: str) -> str:
    """The document a client sends, e.g. operation("accounts/Login")."""
    return (OPERATIONS / f"{name}.graphql").read_text()


async def snapshot() -> dict[str, list]:
    """Every row of every table, to prove that a refused request changed nothing."""
    conn = connections.get("default")
    result = {}
    for model in Tortoise.apps[APP_LABEL].values():
        table = model._meta.db_table
        rows = await conn.execute_query_dict(f'SELECT * FROM "{table}" ORDER BY id')
        result[table] = [sorted((k, str(v)) for k, v in row.items()) for row in rows]
    return result
