"""Helpers shared by tests: client operation documents and whole-database snapshots."""

from __future__ import annotations

import contextlib
import logging
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


class _QueryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().lstrip().upper()
        if message.startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")):
            self.statements.append(record.getMessage())


@contextlib.contextmanager
def count_queries():
    """Collect every SQL statement Tortoise sends while the block runs."""
    logger = logging.getLogger("tortoise.db_client")
    counter = _QueryCounter()
    level = logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter.statements
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
