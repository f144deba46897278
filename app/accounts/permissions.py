"""Namespaced permissions and what each role holds (R-AUTH-3, R-KC-5)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from app.accounts.models import Role


class Permission(StrEnum):
    KC_MANAGE = "kc.manage"
    REPORTS_VIEW = "reports.view"
    QC_VIEW = "qc.view"
    CALLS_VIEW_ALL = "calls.view_all"
    TICKETS_MANAGE = "tickets.manage"
    CONTACTS_MANAGE = "contacts.manage"
    SESSIONS_MANAGE = "sessions.manage"
    SETTINGS_MANAGE = "settings.manage"
    ACCOUNTS_MANAGE = "accounts.manage"
    ZENDESK_MANAGE = "zendesk.manage"
    INTEGRATION_WRITE = "integration.write"


ALL_PERMISSIONS: frozenset[str] = frozenset(p.value for p in Permission)
# The customer-service-center permission: super admins by default, full admins only through a
# group, agents never (R-KC-5).
GROUP_ONLY_FOR_FULL_ADMIN: frozenset[str] = frozenset({Permission.KC_MANAGE.value})
NEVER_FOR_AGENT: frozenset[str] = frozenset({Permission.KC_MANAGE.value})


def role_permissions(role: Role) -> frozenset[str]:
    if role is Role.SUPER_ADMIN:
        return ALL_PERMISSIONS
    if role is Role.FULL_ADMIN:
        return ALL_PERMISSIONS - GROUP_ONLY_FOR_FULL_ADMIN
    return frozenset()


def effective_permissions(role: Role, group_permissions: Iterable[str]) -> frozenset[str]:
    granted = role_permissions(role) | frozenset(group_permissions)
    if role is Role.AGENT:
        granted -= NEVER_FOR_AGENT
    return granted & ALL_PERMISSIONS


def forbidden_for_role(role: Role, permissions: Iterable[str]) -> frozenset[str]:
    """The permissions in ``permissions`` that an account of ``role`` can never hold."""
    if role is Role.AGENT:
        return frozenset(permissions) & NEVER_FOR_AGENT
    return frozenset()
