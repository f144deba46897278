"""Accounts, their tokens, permission groups and phone-line settings (R-AUTH-1..4)."""

# Model docstrings and descriptions become table/column comments. Tortoise's SQLite schema
# editor splits statements on semicolons, so none may contain one (the migration test checks).

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    SUPER_ADMIN = "SUPER_ADMIN"
    FULL_ADMIN = "FULL_ADMIN"
    AGENT = "AGENT"


class AccountStatus(StrEnum):
    INACTIVE = "INACTIVE"
    ACTIVE = "ACTIVE"
    DISABLED = "DISABLED"


class Account(Model):
    id = fields.IntField(primary_key=True)
    account = fields.CharField(max_length=64, unique=True, description="Login name")
    display_name = fields.CharField(max_length=128)
    email = fields.CharField(max_length=254, null=True)
    phone = fields.CharField(max_length=32, null=True)
    role = fields.CharEnumField(Role, max_length=16)
    status = fields.CharEnumField(AccountStatus, max_length=16, default=AccountStatus.INACTIVE)
    password_hash = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "account"


class AuthToken(Model):
    """A bearer token. Only its SHA-256 is stored, so a leaked table grants nothing."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    account_id: int
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="tokens", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "auth_token"


class LoginThrottle(Model):
    """Consecutive failed sign-ins per login name (known or not: no account enumeration), from
    one client (a keyed hash of its address) or from all of them (client "*").

    Kept in the database so every server process agrees on the lock-out.
    """

    id = fields.IntField(primary_key=True)
    account_name = fields.CharField(max_length=64, db_index=True)
    client = fields.CharField(max_length=64, default="*", description="Client hash or *")
    failures = fields.IntField(default=0)
    locked_until = fields.DatetimeField(null=True)

    class Meta:
        table = "login_throttle"
        unique_together = (("account_name", "client"),)


class PermissionGroup(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    permissions: fields.JSONField[list[Any]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "permission_group"


class AccountPermissionGroup(Model):
    id = fields.IntField(primary_key=True)
    account_id: int
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="group_links", on_delete=fields.CASCADE
    )
    group_id: int
    group: fields.ForeignKeyRelation[PermissionGroup] = fields.ForeignKeyField(
        "deskql.PermissionGroup", related_name="account_links", on_delete=fields.CASCADE
    )

    class Meta:
        table = "account_permission_group"
        unique_together = (("account", "group"),)


class PhoneLine(Model):
    """An account's phone-line settings: the number calls ring and the bound SIP extension."""

    id = fields.IntField(primary_key=True)
    account_id: int
    account: fields.OneToOneRelation[Account] = fields.OneToOneField(
        "deskql.Account", related_name="phone_line", on_delete=fields.CASCADE
    )
    phone = fields.CharField(max_length=32, null=True)
    sip_extension = fields.CharField(max_length=16, null=True, unique=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "phone_line"


class AuthRevision(Model):
    """One row: bumped by every change that takes access away (a token revoked, an account
    disabled, a role or a permission group changed), so every server process notices."""

    id = fields.IntField(primary_key=True)
    revision = fields.BigIntField(default=0)

    class Meta:
        table = "auth_revision"
