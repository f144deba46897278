"""Account administration use cases: accounts, permission groups, SIP extensions (R-AUTH-3/4)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from app.accounts import models, revocation
from app.accounts.permissions import ALL_PERMISSIONS, forbidden_for_role
from app.accounts.principal import Principal
from app.accounts.secrets import Passwords
from app.accounts.throttle import LoginThrottle
from app.accounts.validation import (
    check_password,
    clean_display_name,
    clean_email,
    clean_extension,
    clean_phone,
    normalise_account_name,
)
from app.checks import UNCHANGED, Unchanged
from app.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from app.pagination import Page, paginate

log = logging.getLogger("deskql.accounts")


@dataclass(frozen=True)
class AccountChanges:
    display_name: str | None = None
    email: str | None | Unchanged = UNCHANGED
    phone: str | None | Unchanged = UNCHANGED
    role: models.Role | None = None


async def get(*, account_id: int) -> models.Account:
    found = await models.Account.get_or_none(id=account_id)
    if found is None:
        raise NotFound(f"No account with id {account_id}.")
    return found


async def list_accounts(
    *,
    first: int,
    after: str | None,
    role: models.Role | None = None,
    status: models.AccountStatus | None = None,
    search: str | None = None,
) -> Page:
    qs = models.Account.all()
    if role is not None:
        qs = qs.filter(role=role)
    if status is not None:
        qs = qs.filter(status=status)
    if search:
        term = search.strip()
        qs = qs.filter(Q(account__icontains=term) | Q(display_name__icontains=term))
    return await paginate(qs, first=first, after=after)


async def create(
    *,
    actor: Principal,
    passwords: Passwords,
    account: str,
    display_name: str,
    role: models.Role,
    password: str,
    email: str | None = None,
    phone: str | None = None,
) -> models.Account:
    """A new account starts INACTIVE: its owner activates it with the password (R-AUTH-2)."""
    name = normalise_account_name(account)
    _check_may_manage_role(actor, role)
    check_password(password)
    values: dict[str, Any] = dict(
        account=name,
        display_name=clean_display_name(display_name),
        role=role,
        email=clean_email(email),
        phone=clean_phone(phone),
        status=models.AccountStatus.INACTIVE,
    )
    password_hash = await passwords.hash(password)
    try:
        async with in_transaction():
            created = await models.Account.create(password_hash=password_hash, **values)
            await models.PhoneLine.create(account=created, phone=created.phone)
    except IntegrityError:
        raise Conflict(f"An account named {name!r} already exists.", field="account") from None
    log.info("account created account_id=%s by=%s role=%s", created.id, actor.id, role)
    return created


async def update(*, actor: Principal, account_id: int, changes: AccountChanges) -> models.Account:
    """Changing the phone also changes the phone of the account's phone line (R-AUTH-4)."""
    async with in_transaction():
        target = await models.Account.select_for_update().get_or_none(id=account_id)
        if target is None:
            raise NotFound(f"No account with id {account_id}.")
        _check_may_manage_role(actor, target.role)
        if changes.display_name is not None:
            target.display_name = clean_display_name(changes.display_name)
        if changes.email is not UNCHANGED:
            target.email = clean_email(changes.email)
        phone_changed = not isinstance(changes.phone, Unchanged)
        if not isinstance(changes.phone, Unchanged):
            target.phone = clean_phone(changes.phone)
        if changes.role is not None and changes.role != target.role:
            await _change_role(actor, target, changes.role)
        await target.save()
        if phone_changed:
            await models.PhoneLine.filter(account_id=target.id).update(phone=target.phone)
        await revocation.bump()  # cached principals hold the account as it was
    log.info("account updated account_id=%s by=%s", target.id, actor.id)
    return target


async def disable(*, actor: Principal, account_id: int) -> models.Account:
    """Disabling also revokes every token, so the account is signed out everywhere at once."""
    if account_id == actor.id:
        raise Conflict("You cannot disable your own account.")
    async with in_transaction():
        target = await models.Account.select_for_update().get_or_none(id=account_id)
        if target is None:
            raise NotFound(f"No account with id {account_id}.")
        _check_may_manage_role(actor, target.role)
        target.status = models.AccountStatus.DISABLED
        await target.save(update_fields=["status", "updated_at"])
        await models.AuthToken.filter(account_id=target.id).delete()
        await revocation.bump()
    log.info("account disabled account_id=%s by=%s", target.id, actor.id)
    return target


async def unlock(*, actor: Principal, throttle: LoginThrottle, account: str) -> bool:
    """Clear the sign-in lock-out of a login name (known or not)."""
    name = normalise_account_name(account, strict=False)
    cleared = await throttle.unlock(name)
    log.info("sign-in lock-out cleared account=%r by=%s", name, actor.id)
    return cleared > 0


async def bind_sip_extension(*, account_id: int, extension: str) -> models.PhoneLine:
    """R-AUTH-4: refused for an account that is not activated or is disabled."""
    ext = clean_extension(extension)
    async with in_transaction():
        target = await models.Account.select_for_update().get_or_none(id=account_id)
        if target is None:
            raise NotFound(f"No account with id {account_id}.")
        if target.status == models.AccountStatus.INACTIVE:
            raise DomainError("agent account not activated", code="ACCOUNT_NOT_ACTIVATED")
        if target.status == models.AccountStatus.DISABLED:
            raise DomainError("agent account disabled", code="ACCOUNT_DISABLED")
        holder = await models.PhoneLine.get_or_none(sip_extension=ext)
        if holder is not None and holder.account_id != target.id:
            raise Conflict(f"Extension {ext} is bound to another account.", field="extension")
        line, _ = await models.PhoneLine.get_or_create(
            account=target, defaults={"phone": target.phone}
        )
        line.sip_extension = ext
        await line.save()
    return line


async def accounts_by_id(account_ids: list[int]) -> dict[int, models.Account]:
    return {a.id: a for a in await models.Account.filter(id__in=account_ids)}


async def phone_lines_by_account(account_ids: list[int]) -> dict[int, models.PhoneLine]:
    rows = await models.PhoneLine.filter(account_id__in=account_ids)
    return {row.account_id: row for row in rows}


async def list_groups() -> list[models.PermissionGroup]:
    return await models.PermissionGroup.all().order_by("name")


async def create_group(
    *, actor: Principal, name: str, permissions: list[str]
) -> models.PermissionGroup:
    clean_name = name.strip()
    if not 1 <= len(clean_name) <= 64:
        raise InvalidInput("A group name is 1-64 characters.", field="name")
    perms = sorted(set(permissions))
    unknown = [p for p in perms if p not in ALL_PERMISSIONS]
    if unknown:
        raise InvalidInput(f"Unknown permission(s): {', '.join(unknown)}.", field="permissions")
    _check_may_grant(actor, perms)
    try:
        group = await models.PermissionGroup.create(name=clean_name, permissions=perms)
    except IntegrityError:
        raise Conflict(f"A group named {clean_name!r} already exists.", field="name") from None
    log.info("permission group created group_id=%s by=%s perms=%s", group.id, actor.id, perms)
    return group


async def assign_group(*, actor: Principal, account_id: int, group_id: int) -> models.Account:
    """An agent can never hold kc.manage: assigning such a group to one fails (R-KC-5)."""
    async with in_transaction():
        target = await get(account_id=account_id)
        group = await models.PermissionGroup.get_or_none(id=group_id)
        if group is None:
            raise NotFound(f"No permission group with id {group_id}.")
        _check_may_manage_role(actor, target.role)
        _check_may_grant(actor, group.permissions)
        barred = forbidden_for_role(target.role, group.permissions)
        if barred:
            raise DomainError(
                f"An agent account cannot hold {', '.join(sorted(barred))}; "
                f"group {group.name!r} grants it.",
                code="PERMISSION_NOT_ALLOWED_FOR_ROLE",
            )
        await models.AccountPermissionGroup.get_or_create(account=target, group=group)
        await revocation.bump()
    log.info("group assigned group_id=%s account_id=%s by=%s", group.id, target.id, actor.id)
    return target


async def unassign_group(*, actor: Principal, account_id: int, group_id: int) -> models.Account:
    target = await get(account_id=account_id)
    _check_may_manage_role(actor, target.role)
    async with in_transaction() as conn:
        await (
            models.AccountPermissionGroup.filter(account_id=target.id, group_id=group_id)
            .using_db(conn)
            .delete()
        )
        await revocation.bump(conn)
    return target


async def groups_by_account(account_ids: list[int]) -> dict[int, list[models.PermissionGroup]]:
    links = await models.AccountPermissionGroup.filter(account_id__in=account_ids).select_related(
        "group"
    )
    result: dict[int, list[models.PermissionGroup]] = {i: [] for i in account_ids}
    for link in links:
        result[link.account_id].append(link.group)
    return result


async def _change_role(actor: Principal, target: models.Account, role: models.Role) -> None:
    _check_may_manage_role(actor, role)
    if target.id == actor.id:
        raise Conflict("You cannot change your own role.", field="role")
    group_perms = await models.PermissionGroup.filter(
        account_links__account_id=target.id
    ).values_list("permissions", flat=True)
    barred = forbidden_for_role(role, [p for perms in group_perms for p in perms])
    if barred:
        raise DomainError(
            f"The account's groups grant {', '.join(sorted(barred))}, which this role cannot "
            "hold; remove those groups first.",
            code="PERMISSION_NOT_ALLOWED_FOR_ROLE",
            field="role",
        )
    target.role = role
    await revocation.bump()  # its sessions lose what the old role gave


def _check_may_manage_role(actor: Principal, role: models.Role) -> None:
    if role is models.Role.SUPER_ADMIN and actor.role is not models.Role.SUPER_ADMIN:
        raise Forbidden("Only a super admin can create or change super admin accounts.")


def _check_may_grant(actor: Principal, permissions: list[str]) -> None:
    """Nobody grants what they do not hold themselves (no privilege escalation)."""
    missing = sorted(set(permissions) - actor.permissions)
    if missing:
        raise Forbidden(
            f"You cannot grant permissions you do not hold: {', '.join(missing)}.",
            missingPermissions=missing,
        )
