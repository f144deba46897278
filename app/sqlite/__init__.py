"""Tortoise's SQLite engine, with write transactions that take the write lock when they begin.

SQLite transactions are DEFERRED by default: they start as readers and upgrade to writers at
their first write. When another process (a `deskql worker`, `deskql import-calls`, a second
server) committed a write in between, the upgrade fails at once with "database is locked" —
waiting cannot help, so SQLite's busy timeout does not apply. ``BEGIN IMMEDIATE`` takes the
write lock up front, where the busy timeout does wait its turn. Every transaction deskql opens
writes (reads do not open transactions), so nothing is serialised that was not already.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import TransactionManagementError

BUSY_TIMEOUT_MS = 30_000


class _ImmediateTransaction(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class Client(SqliteClient):
    def __init__(self, file_path: str, **kwargs: Any) -> None:
        kwargs.setdefault("busy_timeout", BUSY_TIMEOUT_MS)  # a PRAGMA, like journal_mode
        super().__init__(file_path, **kwargs)

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(_ImmediateTransaction(self), self._lock)


client_class = Client
