"""Write operations of the accounts domain: thin resolvers over app.accounts."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts import service
from app.accounts.auth import IssuedToken
from app.accounts.permissions import Permission
from app.api.accounts.types import (
    Account,
    CreateAccountInput,
    LoginPayload,
    PermissionGroup,
    PhoneLine,
    UpdateAccountInput,
)
from app.api.args import AccountId, GroupId, Id, LoginName, Password
from app.api.ids import parse_id
from app.api.permissions import requires, signed_in

_MANAGE = Permission.ACCOUNTS_MANAGE


def _payload(issued: IssuedToken) -> LoginPayload:
    return LoginPayload(
        token=issued.token, expires_at=issued.expires_at, account=Account.from_model(issued.account)
    )


def _unset_to(value, default):
    return default if value is strawberry.UNSET else value


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description=(
            "Sign in (R-AUTH-1). Unknown account and wrong password both give "
            "INVALID_CREDENTIALS; a disabled account ACCOUNT_DISABLED; an inactive one "
            "ACCOUNT_NOT_ACTIVATED. After 5 consecutive failures for an account name from one "
            "client, that client is locked out of it for 30 s, doubling with each further "
            "failure up to 15 min; after 50 from all clients together, the name is locked for "
            "everyone the same way (RATE_LIMITED, extensions.retryAfterSeconds). "
            "`unlockAccount` clears both."
        )
    )
    async def login(self, info: Info, account: LoginName, password: Password) -> LoginPayload:
        return _payload(
            await info.context.auth.login(
                account=account, password=password, client=info.context.client_key()
            )
        )

    @strawberry.mutation(
        description=(
            "Activate an INACTIVE account with its password (R-AUTH-2) and sign in. A different "
            "password gives PASSWORD_MISMATCH and the account stays inactive."
        )
    )
    async def activate_account(
        self, info: Info, account: LoginName, password: Password
    ) -> LoginPayload:
        return _payload(
            await info.context.auth.activate(
                account=account, password=password, client=info.context.client_key()
            )
        )

    @strawberry.mutation(
        description="Revoke the token this request was sent with.", extensions=[signed_in()]
    )
    async def logout(self, info: Info) -> bool:
        await info.context.auth.logout(actor=info.context.principal)
        return True

    @strawberry.mutation(
        description="Change your password. Revokes every token of the account and returns a new "
        "one. Wrong current passwords count in the sign-in lock-out (RATE_LIMITED).",
        extensions=[signed_in()],
    )
    async def change_password(
        self,
        info: Info,
        old: Annotated[str, strawberry.argument(description="The current password.")],
        new: Annotated[str, strawberry.argument(description="The new password, 8-256 characters.")],
    ) -> LoginPayload:
        issued = await info.context.auth.change_password(
            actor=info.context.actor,
            old_password=old,
            new_password=new,
            client=info.context.client_key(),
        )
        return _payload(issued)

    @strawberry.mutation(
        description="Clear the sign-in lock-out of an account name (known or not), from every "
        "client. Requires `accounts.manage`. Answers whether there was one.",
        extensions=[requires(_MANAGE)],
    )
    async def unlock_account(self, info: Info, account: LoginName) -> bool:
        return await service.unlock(
            actor=info.context.actor, throttle=info.context.auth.throttle, account=account
        )

    @strawberry.mutation(
        description="Create an account (INACTIVE). Requires `accounts.manage`.",
        extensions=[requires(_MANAGE)],
    )
    async def create_account(
        self,
        info: Info,
        input: Annotated[CreateAccountInput, strawberry.argument(description="The new account.")],
    ) -> Account:
        created = await service.create(
            actor=info.context.principal,
            passwords=info.context.auth.passwords,
            account=input.account,
            display_name=input.display_name,
            role=input.role,
            password=input.password,
            email=input.email,
            phone=input.phone,
        )
        return Account.from_model(created)

    @strawberry.mutation(
        description="Change an account. Changing `phone` changes the phone line's number too "
        "(R-AUTH-4). Requires `accounts.manage`.",
        extensions=[requires(_MANAGE)],
    )
    async def update_account(
        self,
        info: Info,
        id: Id,
        input: Annotated[UpdateAccountInput, strawberry.argument(description="What to change.")],
    ) -> Account:
        changes = service.AccountChanges(
            display_name=input.display_name,
            role=input.role,
            email=_unset_to(input.email, service.UNCHANGED),
            phone=_unset_to(input.phone, service.UNCHANGED),
        )
        updated = await service.update(
            actor=info.context.principal, account_id=parse_id(id), changes=changes
        )
        return Account.from_model(updated)

    @strawberry.mutation(
        description="Disable an account and revoke its tokens. Requires `accounts.manage`.",
        extensions=[requires(_MANAGE)],
    )
    async def disable_account(self, info: Info, id: Id) -> Account:
        disabled = await service.disable(actor=info.context.principal, account_id=parse_id(id))
        return Account.from_model(disabled)

    @strawberry.mutation(
        description="Bind a SIP extension (2-10 digits) to an account's phone line. Fails with "
        "ACCOUNT_NOT_ACTIVATED ('agent account not activated') or ACCOUNT_DISABLED ('agent "
        "account disabled') (R-AUTH-4). Requires `accounts.manage`.",
        extensions=[requires(_MANAGE)],
    )
    async def bind_sip_extension(
        self,
        account_id: AccountId,
        extension: Annotated[str, strawberry.argument(description="2-10 digits, unique.")],
    ) -> PhoneLine:
        line = await service.bind_sip_extension(
            account_id=parse_id(account_id, field="accountId"), extension=extension
        )
        return PhoneLine.from_model(line)

    @strawberry.mutation(
        description="Create a permission group. You can only grant permissions you hold. "
        "Requires `accounts.manage`.",
        extensions=[requires(_MANAGE)],
    )
    async def create_permission_group(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="Unique, 1-64 characters.")],
        permissions: Annotated[
            list[str],
            strawberry.argument(description="Permission strings from `knownPermissions`."),
        ],
    ) -> PermissionGroup:
        group = await service.create_group(
            actor=info.context.principal, name=name, permissions=permissions
        )
        return PermissionGroup.from_model(group)

    @strawberry.mutation(
        description="Grant a group to an account. A group with `kc.manage` cannot go to an agent "
        "(PERMISSION_NOT_ALLOWED_FOR_ROLE, R-KC-5). Requires `accounts.manage`.",
        extensions=[requires(_MANAGE)],
    )
    async def assign_permission_group(
        self, info: Info, account_id: AccountId, group_id: GroupId
    ) -> Account:
        account = await service.assign_group(
            actor=info.context.principal,
            account_id=parse_id(account_id, field="accountId"),
            group_id=parse_id(group_id, field="groupId"),
        )
        return Account.from_model(account)

    @strawberry.mutation(
        description="Take a group away from an account. Requires `accounts.manage`.",
        extensions=[requires(_MANAGE)],
    )
    async def unassign_permission_group(
        self, info: Info, account_id: AccountId, group_id: GroupId
    ) -> Account:
        account = await service.unassign_group(
            actor=info.context.principal,
            account_id=parse_id(account_id, field="accountId"),
            group_id=parse_id(group_id, field="groupId"),
        )
        return Account.from_model(account)
