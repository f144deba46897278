"""Permissions declared where the field is declared: ``extensions=[requires(...)]``."""

from __future__ import annotations

from typing import Any

from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from app.accounts.principal import require


class _Requires(BasePermission):
    """Raises the domain error itself so the client gets UNAUTHENTICATED vs FORBIDDEN."""

    def __init__(self, permissions: tuple[str, ...]) -> None:
        self.permissions = permissions

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        context = info.context
        if context.principal is None and context.auth_error is not None:
            raise context.auth_error
        require(context.principal, *self.permissions)
        return True


def requires(*permissions: str) -> FieldExtension:
    """Signed in and holding every permission named (none named: signed in is enough)."""
    return PermissionExtension(
        permissions=[_Requires(tuple(str(p) for p in permissions))], use_directives=False
    )


def signed_in() -> FieldExtension:
    return requires()
