"""Tortoise's SQLite engine, with write transactions that take the write lock when they begin.

SQLite transactions are DEFERRED by default: they start as readers and upgrade to writers at
their first write. When another process (a `deskql worker`, `deskql import-calls`, a second
server) committed a write in between, the upgrade fails at once with "database is locked" —
waiting cannot help, so SQLite's busy timeout does not apply. ``BEGIN IMMEDIATE`` takes the
write lock up front, where the busy timeout does wait its turn. Every transaction deskql opens
writes (reads do not open transactions), so nothing is serialised that was not already.

List pages read synchronously (:meth:`Client.read_now`): a short indexed SELECT on a read-only
connection of the event loop's own thread costs less than the hop to aiosqlite's thread and back.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import OperationalError, TransactionManagementError

BUSY_TIMEOUT_MS = 30_000
# A synchronous read holds the event loop: it waits this long at most for a lock (WAL readers
# rarely wait at all), then the read goes the ordinary way, through aiosqlite's thread.
READ_NOW_BUSY_MS = 50


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
        self._readers: dict[int, sqlite3.Connection] = {}

    def read_now(self, query: str, values: list) -> list[Any] | None:
        """The rows of one SELECT, read in the calling thread on a read-only connection of its
        own (committed data: WAL readers see the last commit), or None when the database is
        busy or in memory (call :meth:`execute_query` then). Only for statements outside a
        transaction: a transaction's own writes are not visible here."""
        if self.filename == ":memory:" or not self._connection:
            return None
        reader = self._readers.get(threading.get_ident())
        if reader is None:
            reader = self._open_reader()
        self.log.debug("%s: %s", query, values)
        try:
            return reader.execute(query.replace("\x00", "'||CHAR(0)||'"), values).fetchall()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return None
            raise OperationalError(exc) from exc

    def _open_reader(self) -> sqlite3.Connection:
        reader = sqlite3.connect(self.filename, isolation_level=None, check_same_thread=False)
        reader.row_factory = sqlite3.Row
        reader.execute(f"PRAGMA busy_timeout={READ_NOW_BUSY_MS}")
        reader.execute("PRAGMA query_only=ON")
        self._readers[threading.get_ident()] = reader
        return reader

    async def close(self) -> None:
        readers, self._readers = self._readers, {}
        for reader in readers.values():
            reader.close()
        await super().close()

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(_ImmediateTransaction(self), self._lock)


client_class = Client
