"""Who is making a request: the signed-in account and what it may do."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts import models
from app.errors import Forbidden, Unauthenticated


@dataclass(frozen=True)
class Principal:
    account: models.Account
    permissions: frozenset[str]
    token_hash: str | None = None

    @property
    def id(self) -> int:
        return self.account.id

    @property
    def role(self) -> models.Role:
        return self.account.role

    def has(self, permission: str) -> bool:
        return permission in self.permissions


def require(principal: Principal | None, *permissions: str) -> Principal:
    """Raise UNAUTHENTICATED without a principal, FORBIDDEN without every permission."""
    if principal is None:
        raise Unauthenticated()
    missing = [p for p in permissions if not principal.has(p)]
    if missing:
        raise Forbidden(
            f"This operation needs the permission {', '.join(missing)}.",
            missingPermissions=missing,
        )
    return principal
