"""Who a bearer token signs in, without the ORM on the hot path.

:func:`load` answers a cold token in one statement (the token, its account and the account's
permission groups joined), read with the raw driver. :class:`PrincipalCache` keeps the answer
for at most :data:`TTL` seconds per process, and drops everything as soon as the auth revision
moves (app/accounts/revocation.py: logout, password change, disabling, a role, group or account
change bump it, and every process polls it four times a second). So a revoked token, a disabled
account or a changed permission group takes effect in every process within a second, and no
state two processes could disagree on lives longer than that.
"""

from __future__ import annotations

import json
import time
import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from app.accounts import models
from app.accounts.permissions import Role, effective_permissions
from app.accounts.principal import Principal
from app.db import connection, db_datetime, select

TTL = 1.0  # seconds a cached principal is trusted without asking the database again
MAX_ENTRIES = 10_000

_ACCOUNT_COLUMNS = [
    field.source_field or name
    for name, field in models.Account._meta.fields_map.items()
    if field.has_db_field
]
_LOAD = (
    "SELECT "
    + ", ".join(f"a.{c}" for c in _ACCOUNT_COLUMNS)
    + ", t.expires_at AS token_expires_at, g.permissions AS group_permissions "
    "FROM auth_token t JOIN account a ON a.id = t.account_id "
    "LEFT JOIN account_permission_group l ON l.account_id = a.id "
    "LEFT JOIN permission_group g ON g.id = l.group_id "
    "WHERE t.token_hash = ? AND t.expires_at > ? AND a.status = 'ACTIVE'"
)


def _permissions(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return [str(p) for p in value or []]


async def load(digest: str) -> tuple[Principal, datetime] | None:
    """The principal a token digest signs in and when the token expires; None when the token is
    unknown, expired, or its account is not active."""
    rows = await select(_LOAD, [digest, db_datetime(_now(), connection())])
    if not rows:
        return None
    first = dict(rows[0])
    expires = first.pop("token_expires_at")
    first.pop("group_permissions")
    account = models.Account._init_from_db(**first)
    granted: list[str] = []
    if account.role is not Role.SUPER_ADMIN:
        for row in rows:
            granted.extend(_permissions(row["group_permissions"]))
    if not isinstance(expires, datetime):
        expires = datetime.fromisoformat(str(expires))
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    principal = Principal(
        account=account,
        permissions=effective_permissions(account.role, granted),
        token_hash=digest,
    )
    return principal, expires


class PrincipalCache:
    """Principals by token digest, each trusted for :data:`TTL` seconds at most and dropped at
    once by :meth:`clear` (the revocation watch calls it when the auth revision moves)."""

    _instances: ClassVar[weakref.WeakSet[PrincipalCache]] = weakref.WeakSet()

    def __init__(self, *, ttl: float = TTL, monotonic: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.monotonic = monotonic
        self.generation = 0  # moves on every clear: a lookup that raced a clear is not kept
        self._entries: dict[str, tuple[Principal, datetime, float]] = {}
        PrincipalCache._instances.add(self)

    def get(self, digest: str) -> Principal | None:
        entry = self._entries.get(digest)
        if entry is None:
            return None
        principal, expires, stored = entry
        if self.monotonic() - stored > self.ttl or expires <= _now():
            self._entries.pop(digest, None)
            return None
        return principal

    def put(
        self, digest: str, principal: Principal, expires: datetime, *, generation: int, since: float
    ) -> None:
        """Keep a principal read since ``since`` (monotonic), unless the cache was cleared
        after the read began (``generation`` moved)."""
        if generation != self.generation:
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[digest] = (principal, expires, since)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()

    async def on_revocation(self) -> None:
        self.clear()

    @classmethod
    def clear_all(cls) -> None:
        """Every cache of the process (tests count the statements of a cold request)."""
        for cache in list(cls._instances):
            cache.clear()


def _now() -> datetime:
    return datetime.now(UTC)
