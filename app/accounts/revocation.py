"""Revoked access takes effect everywhere within a second.

Every change that takes access away — logout, a password change, disabling an account, a role
or permission-group change — bumps one counter (``auth_revision``) in its own transaction.
Every server process polls that one row four times a second (:class:`RevocationWatch`) and,
when it moved, re-checks what it holds on to: open WebSockets (closed with 4403 when their
token no longer stands) and any cached principal. The database is the only shared state, so
this works across any number of processes, on PostgreSQL and on SQLite alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import cast

from tortoise.backends.base.client import BaseDBAsyncClient

from app.accounts import models
from app.accounts.principals import PrincipalCache
from app.db import connection, dialect

log = logging.getLogger("deskql.auth")

POLL_SECONDS = 0.25


async def bump(conn: BaseDBAsyncClient | None = None) -> None:
    """Record that access was taken away (call it in the transaction that does it)."""
    PrincipalCache.clear_all()  # this process at once; the others through the watch
    conn = conn or connection()
    # The first value is the time in microseconds, not 1: should the row ever start over (a
    # database restored from a backup, emptied tables), the value still differs from any a
    # process saw before, so no revocation goes unnoticed.
    first = time.time_ns() // 1000
    await conn.execute_query(
        dialect(
            "INSERT INTO auth_revision (id, revision) VALUES (1, ?) "
            "ON CONFLICT (id) DO UPDATE SET revision = auth_revision.revision + 1",
            conn,
        ),
        [first],
    )


async def current() -> int:
    rows = await models.AuthRevision.filter(id=1).values_list("revision", flat=True)
    return cast(int, rows[0]) if rows else 0


async def standing_tokens(token_hashes: Iterable[str]) -> set[str]:
    """Of these token digests, the ones that still sign an active account in."""
    wanted = list(set(token_hashes))
    if not wanted:
        return set()
    found = await models.AuthToken.filter(
        token_hash__in=wanted,
        expires_at__gt=datetime.now(UTC),
        account__status=models.AccountStatus.ACTIVE,
    ).values_list("token_hash", flat=True)
    return {str(h) for h in found}


class RevocationWatch:
    """Polls the revision and calls every listener when it moved (and at least every
    ``recheck_seconds`` anyway, so expired tokens are noticed too)."""

    def __init__(self, *, interval: float = POLL_SECONDS, recheck_seconds: float = 30.0) -> None:
        self.interval = interval
        self.recheck_seconds = recheck_seconds
        self._listeners: list[Callable[[], Awaitable[None]]] = []
        self._task: asyncio.Task | None = None
        self.revision: int | None = None

    def listen(self, listener: Callable[[], Awaitable[None]]) -> None:
        self._listeners.append(listener)

    async def start(self) -> None:
        """Read where the revision stands, then watch: a revocation after start is noticed."""
        self.revision = await current()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last_check = loop.time()
        while True:
            await asyncio.sleep(self.interval)
            try:
                revision = await current()
                due = loop.time() - last_check >= self.recheck_seconds
                if revision != self.revision or due:
                    self.revision, last_check = revision, loop.time()
                    for listener in self._listeners:
                        await listener()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be briefly away: keep watching
                log.exception("revocation watch: poll failed; retrying")
