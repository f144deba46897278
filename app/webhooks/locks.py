"""Which worker serves an endpoint, on PostgreSQL: a session advisory lock per endpoint,
taken with ``pg_try_advisory_lock`` (a worker skips an endpoint another holds, as SKIP LOCKED
skips a row) on a connection of the worker's own. A worker that dies loses its connection and
with it the lock; no transaction is held open while deliveries are sent (that would hold back
every reader of the event log, which stops below the oldest running transaction)."""

from __future__ import annotations

import asyncio

from app.db import asyncpg_dsn

LOCK_SPACE = 0x77686B  # "whk": the advisory lock namespace of webhook endpoints


class EndpointLocks:
    """Session advisory locks on a connection of their own (not one of the pool's): they live
    exactly as long as this worker's connection."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._conn = None
        self._guard = asyncio.Lock()

    async def _connection(self):
        import asyncpg

        if self._conn is None or self._conn.is_closed():
            self._conn = await asyncpg.connect(asyncpg_dsn(self.database_url))
        return self._conn

    async def try_lock(self, endpoint_id: int) -> bool:
        async with self._guard:
            conn = await self._connection()
            return bool(
                await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", LOCK_SPACE, endpoint_id)
            )

    async def unlock(self, endpoint_id: int) -> None:
        async with self._guard:
            conn = await self._connection()
            await conn.execute("SELECT pg_advisory_unlock($1, $2)", LOCK_SPACE, endpoint_id)

    async def close(self) -> None:
        if self._conn is not None and not self._conn.is_closed():
            await self._conn.close()
