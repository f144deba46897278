"""Which worker serves what, on PostgreSQL: a session advisory lock per target (a webhook
endpoint; the Zendesk account), taken with ``pg_try_advisory_lock`` (a worker skips a target
another holds, as SKIP LOCKED skips a row) on a connection of the worker's own. A worker that dies loses its connection and
with it the lock; no transaction is held open while deliveries are sent (that would hold back
every reader of the event log, which stops below the oldest running transaction)."""

from __future__ import annotations

import asyncio

from app.db import asyncpg_dsn

WEBHOOK_ENDPOINTS = 0x77686B  # "whk": the advisory lock namespace of webhook endpoints
ZENDESK = 0x7A6E64  # "znd": the Zendesk sync (one key: the account)


class AdvisoryLocks:
    """Session advisory locks in one namespace, on a connection of their own (not one of the
    pool's): they live exactly as long as this worker's connection."""

    def __init__(self, database_url: str, space: int) -> None:
        self.database_url = database_url
        self.space = space
        self._conn = None
        self._guard = asyncio.Lock()

    async def _connection(self):
        import asyncpg

        if self._conn is None or self._conn.is_closed():
            self._conn = await asyncpg.connect(asyncpg_dsn(self.database_url))
        return self._conn

    async def try_lock(self, key: int) -> bool:
        async with self._guard:
            conn = await self._connection()
            return bool(await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", self.space, key))

    async def unlock(self, key: int) -> None:
        async with self._guard:
            conn = await self._connection()
            await conn.execute("SELECT pg_advisory_unlock($1, $2)", self.space, key)

    async def close(self) -> None:
        if self._conn is not None and not self._conn.is_closed():
            await self._conn.close()
