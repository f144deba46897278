"""GraphQL types of the accounts domain."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.accounts import models
from app.accounts.permissions import effective_permissions

Role = models.Role
strawberry.enum(Role, description="What an account is: super admin, full admin or agent.")
AccountStatus = models.AccountStatus
strawberry.enum(
    AccountStatus,
    description="INACTIVE until its owner activates it with its password; DISABLED cannot sign in.",
)


@strawberry.type(description="A permission group: a named set of permissions granted to accounts.")
class PermissionGroup:
    id: strawberry.ID = strawberry.field(description="The group's id.")
    name: str = strawberry.field(description="Unique name, 1-64 characters.")
    permissions: list[str] = strawberry.field(
        description="Namespaced permission strings, e.g. `kc.manage`, `reports.view`."
    )

    @classmethod
    def from_model(cls, row: models.PermissionGroup) -> PermissionGroup:
        return cls(id=strawberry.ID(str(row.id)), name=row.name, permissions=list(row.permissions))


@strawberry.type(description="A person or integration that signs in to deskql.")
class Account:
    id: strawberry.ID = strawberry.field(description="The account's id.")
    account: str = strawberry.field(description="Login name (lower case).")
    display_name: str = strawberry.field(description="Name shown to colleagues and customers.")
    email: str | None = strawberry.field(description="E-mail address, if known.")
    phone: str | None = strawberry.field(description="Phone number; also the phone line's number.")
    role: Role = strawberry.field(description="The account's role.")
    status: AccountStatus = strawberry.field(description="Activation status.")
    created_at: datetime = strawberry.field(description="When the account was created (UTC).")
    _row: strawberry.Private[models.Account]

    @classmethod
    def from_model(cls, row: models.Account) -> Account:
        return cls(
            id=strawberry.ID(str(row.id)),
            account=row.account,
            display_name=row.display_name,
            email=row.email,
            phone=row.phone,
            role=row.role,
            status=row.status,
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(description="The SIP extension bound to the account's phone line, if any.")
    async def sip_extension(self, info: Info) -> str | None:
        line = await info.context.phone_lines_by_account.load(self._row.id)
        return line.sip_extension if line else None

    @strawberry.field(description="The permission groups granted to this account.")
    async def permission_groups(self, info: Info) -> list[PermissionGroup]:
        groups = await info.context.groups_by_account.load(self._row.id)
        return [PermissionGroup.from_model(g) for g in groups]

    @strawberry.field(
        description="Every permission the account holds: its role's plus its groups', sorted."
    )
    async def permissions(self, info: Info) -> list[str]:
        groups = await info.context.groups_by_account.load(self._row.id)
        granted = effective_permissions(self._row.role, [p for g in groups for p in g.permissions])
        return sorted(granted)


@strawberry.type(description="A phone line's settings after binding an extension.")
class PhoneLine:
    account_id: strawberry.ID = strawberry.field(description="The account the line belongs to.")
    phone: str | None = strawberry.field(description="The number the line rings.")
    sip_extension: str | None = strawberry.field(description="The bound SIP extension.")

    @classmethod
    def from_model(cls, row: models.PhoneLine) -> PhoneLine:
        return cls(
            account_id=strawberry.ID(str(row.account_id)),
            phone=row.phone,
            sip_extension=row.sip_extension,
        )


@strawberry.type(description="A bearer token for `Authorization: Bearer <token>`.")
class LoginPayload:
    token: str = strawberry.field(description="Shown once; only its hash is stored.")
    expires_at: datetime = strawberry.field(description="When the token stops working (UTC).")
    account: Account = strawberry.field(description="The signed-in account.")


@strawberry.input(description="A new account. It starts INACTIVE until its owner activates it.")
class CreateAccountInput:
    account: str = strawberry.field(
        description="Login name: 3-64 of a-z 0-9 . _ @ - (case-insensitive)."
    )
    display_name: str = strawberry.field(description="1-128 characters.")
    role: Role = strawberry.field(description="Only a super admin may create a SUPER_ADMIN.")
    password: str = strawberry.field(description="Initial password, 8-256 characters.")
    email: str | None = strawberry.field(default=None, description="E-mail address.")
    phone: str | None = strawberry.field(default=None, description="Phone number.")


@strawberry.input(description="Changes to an account; omitted fields stay as they are.")
class UpdateAccountInput:
    display_name: str | None = strawberry.field(default=None, description="1-128 characters.")
    email: str | None = strawberry.field(default=strawberry.UNSET, description="Null clears it.")
    phone: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Null clears it. Also changes the phone of the account's phone line.",
    )
    role: Role | None = strawberry.field(default=None, description="A new role.")


@strawberry.input(description="Filters for the accounts list; all given filters must match.")
class AccountFilter:
    role: Role | None = strawberry.field(default=None, description="Only this role.")
    status: AccountStatus | None = strawberry.field(default=None, description="Only this status.")
    search: str | None = strawberry.field(
        default=None, description="Part of the login name or display name, case-insensitive."
    )
