"""Read operations of the accounts domain."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts import service
from app.accounts.permissions import ALL_PERMISSIONS, Permission
from app.api.accounts.types import Account, AccountFilter, PermissionGroup
from app.api.args import After, First, Id
from app.api.ids import parse_id
from app.api.pagination import Connection, to_connection
from app.api.permissions import requires, signed_in


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in account.", extensions=[signed_in()])
    def me(self, info: Info) -> Account:
        return Account.from_model(info.context.principal.account)

    @strawberry.field(
        description="Accounts, by ascending id. Requires `accounts.manage`. `first` is 1-100.",
        extensions=[requires(Permission.ACCOUNTS_MANAGE)],
    )
    async def accounts(
        self,
        filter: Annotated[
            AccountFilter | None,
            strawberry.argument(description="Only accounts matching every given filter."),
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Account]:
        f = filter or AccountFilter()
        page = await service.list_accounts(
            first=first, after=after, role=f.role, status=f.status, search=f.search
        )
        return to_connection(page, Account.from_model)

    @strawberry.field(
        description="One account, or NOT_FOUND. Requires `accounts.manage`.",
        extensions=[requires(Permission.ACCOUNTS_MANAGE)],
    )
    async def account(self, id: Id) -> Account:
        return Account.from_model(await service.get(account_id=parse_id(id)))

    @strawberry.field(
        description="Every permission group, by name. Requires `accounts.manage`.",
        extensions=[requires(Permission.ACCOUNTS_MANAGE)],
    )
    async def permission_groups(self) -> list[PermissionGroup]:
        return [PermissionGroup.from_model(g) for g in await service.list_groups()]

    @strawberry.field(description="Every permission string deskql knows, sorted.")
    def known_permissions(self) -> list[str]:
        return sorted(ALL_PERMISSIONS)
