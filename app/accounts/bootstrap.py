"""Creating the first super admin (CLI and demo), outside any signed-in request."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from app.accounts import models, revocation
from app.accounts.secrets import Passwords
from app.accounts.validation import check_password, clean_display_name, normalise_account_name
from app.errors import Conflict
from app.settings import Settings


async def ensure_super_admin(
    settings: Settings, *, account: str, password: str, display_name: str, reset: bool = False
) -> models.Account:
    """Create an active super admin; with ``reset`` an existing one gets the new password."""
    name = normalise_account_name(account)
    check_password(password)
    passwords = Passwords(
        time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib
    )
    password_hash = await passwords.hash(password)
    async with in_transaction():
        existing = await models.Account.get_or_none(account=name)
        if existing is not None:
            if not reset:
                raise Conflict(f"An account named {name!r} already exists.")
            existing.password_hash = password_hash
            existing.role = models.Role.SUPER_ADMIN
            existing.status = models.AccountStatus.ACTIVE
            await existing.save()
            await models.AuthToken.filter(account_id=existing.id).delete()
            await revocation.bump()
            return existing
        created = await models.Account.create(
            account=name,
            display_name=clean_display_name(display_name),
            role=models.Role.SUPER_ADMIN,
            status=models.AccountStatus.ACTIVE,
            password_hash=password_hash,
        )
        await models.PhoneLine.create(account=created)
        return created
