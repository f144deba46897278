"""Who is making a request: the signed-in account (or a named part of the system) and what it
may do. Every service takes one as ``actor``; the domain event log records who it was."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts import models
from app.accounts.permissions import ALL_PERMISSIONS
from app.errors import Forbidden, Unauthenticated

# How a change reached deskql; the event log records it (app/events/topics.py lists them).
SOURCE_GRAPHQL = "graphql"


@dataclass(frozen=True)
class Principal:
    account: models.Account | None
    permissions: frozenset[str]
    token_hash: str | None = None
    # Through what the actor acts: "graphql" for a signed-in account; the system's own actors
    # (the CLI, the Zendesk sync, workers) name theirs.
    source: str = SOURCE_GRAPHQL
    system_name: str | None = None

    @classmethod
    def system(cls, name: str, *, source: str = "system") -> Principal:
        """deskql itself acting (the CLI, a worker, the Zendesk sync): every permission, no
        account. ``name`` says which part, e.g. ``zendesk``."""
        return cls(account=None, permissions=ALL_PERMISSIONS, source=source, system_name=name)

    @classmethod
    def customer(cls) -> Principal:
        """An anonymous customer using a public operation (a survey answer): no permission;
        the operation's token or rules are what authorise it."""
        return cls(account=None, permissions=frozenset(), source="public", system_name="customer")

    @property
    def id(self) -> int | None:
        """The account's id; None for the system."""
        return self.account.id if self.account is not None else None

    @property
    def account_id(self) -> int:
        """The account's id where only an account can act (its own tickets, its sessions)."""
        if self.account is None:
            raise Forbidden("Only a signed-in account can do this.")
        return self.account.id

    @property
    def role(self) -> models.Role | None:
        return self.account.role if self.account is not None else None

    @property
    def actor_ref(self) -> str:
        """How the event log names the actor: ``account:<id>``, or the part of the system or the
        integration that acted (``zendesk``, ``cli``, ``customer`` ...)."""
        if self.account is not None:
            return f"account:{self.account.id}"
        return self.system_name or "deskql"

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
