"""Sign-in, tokens, activation and password changes (R-AUTH-1, R-AUTH-2)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from app.accounts import models, principals, revocation
from app.accounts.permissions import Role, effective_permissions
from app.accounts.principal import Principal
from app.accounts.secrets import Passwords, new_token, token_digest
from app.accounts.throttle import LoginThrottle
from app.accounts.validation import check_password, normalise_account_name
from app.errors import Conflict, DomainError, Unauthenticated
from app.settings import Settings

log = logging.getLogger("deskql.auth")

INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
ACCOUNT_DISABLED = "ACCOUNT_DISABLED"
ACCOUNT_NOT_ACTIVATED = "ACCOUNT_NOT_ACTIVATED"
PASSWORD_MISMATCH = "PASSWORD_MISMATCH"


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    account: models.Account


class Auth:
    """Built once per process from Settings; holds no per-request or per-user state."""

    def __init__(self, settings: Settings) -> None:
        self.passwords = Passwords(
            time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib
        )
        self.token_ttl = timedelta(seconds=settings.token_ttl_seconds)
        self.throttle = LoginThrottle(
            client_failures=settings.login_max_failures,
            name_failures=settings.login_name_max_failures,
            base_lockout=settings.login_base_lockout_seconds,
            max_lockout=settings.login_max_lockout_seconds,
        )
        self.principals = principals.PrincipalCache()

    async def login(self, *, account: str, password: str, client: str) -> IssuedToken:
        """Same error and the same work for an unknown name and a wrong password. ``client``
        identifies the caller (a keyed hash of its address) for the lock-out."""
        name = normalise_account_name(account, strict=False)
        found = await self._checked_account(
            name,
            password,
            client=client,
            failure_code=INVALID_CREDENTIALS,
            failure_message="Account or password is wrong.",
        )
        if found.status == models.AccountStatus.DISABLED:
            raise DomainError("This account is disabled.", code=ACCOUNT_DISABLED)
        if found.status == models.AccountStatus.INACTIVE:
            raise DomainError(
                "This account is not activated yet: activate it with its password first.",
                code=ACCOUNT_NOT_ACTIVATED,
            )
        return await self.issue_token(found)

    async def activate(self, *, account: str, password: str, client: str) -> IssuedToken:
        """R-AUTH-2: activation only when the password entered equals the account's."""
        name = normalise_account_name(account, strict=False)
        found = await self._checked_account(
            name,
            password,
            client=client,
            failure_code=PASSWORD_MISMATCH,
            failure_message="The password entered does not match this account's password.",
        )
        if found.status == models.AccountStatus.DISABLED:
            raise DomainError("This account is disabled.", code=ACCOUNT_DISABLED)
        if found.status == models.AccountStatus.ACTIVE:
            raise Conflict("This account is already active.")
        async with in_transaction():
            updated = await models.Account.filter(
                id=found.id, status=models.AccountStatus.INACTIVE
            ).update(status=models.AccountStatus.ACTIVE)
            if not updated:
                raise Conflict("This account changed while activating; try again.")
            found.status = models.AccountStatus.ACTIVE
            log.info("account activated account_id=%s", found.id)
            return await self.issue_token(found)

    async def issue_token(self, account: models.Account) -> IssuedToken:
        token = new_token()
        expires_at = _now() + self.token_ttl
        await models.AuthToken.create(
            token_hash=token_digest(token), account=account, expires_at=expires_at
        )
        return IssuedToken(token=token, expires_at=expires_at, account=account)

    async def authenticate(self, token: str, *, fresh: bool = False) -> Principal:
        """The principal for a bearer token; UNAUTHENTICATED when unknown, expired or revoked.
        Answered from the process's short-lived cache when it can (app/accounts/principals.py),
        else — or when ``fresh`` — with one statement."""
        digest = token_digest(token)
        cached = None if fresh else self.principals.get(digest)
        if cached is not None:
            return cached
        generation, since = self.principals.generation, self.principals.monotonic()
        found = await principals.load(digest)
        if found is None:
            raise Unauthenticated("The token is invalid, expired or revoked: sign in again.")
        principal, expires = found
        self.principals.put(digest, principal, expires, generation=generation, since=since)
        return principal

    async def logout(self, *, actor: Principal) -> None:
        async with in_transaction() as conn:
            await models.AuthToken.filter(token_hash=actor.token_hash).using_db(conn).delete()
            await revocation.bump(conn)
        self.principals.clear()  # a request that read the token meanwhile kept nothing

    async def change_password(
        self, *, actor: Principal, old_password: str, new_password: str, client: str
    ) -> IssuedToken:
        """Revokes every token of the account, then issues a fresh one for this client. Wrong
        guesses of the current password count in the sign-in lock-out."""
        check_password(new_password, field="new")
        account = await models.Account.get(id=actor.account_id)
        await self.throttle.refuse_if_locked(account.account, client)
        if not await self.passwords.verify(account.password_hash, old_password):
            await self.throttle.record_failure(account.account, client)
            raise DomainError(
                "The current password is wrong.", code=INVALID_CREDENTIALS, field="old"
            )
        await self.throttle.succeeded(account.account, client)
        new_hash = await self.passwords.hash(new_password)
        async with in_transaction():
            await models.Account.filter(id=account.id).update(password_hash=new_hash)
            await models.AuthToken.filter(account_id=account.id).delete()
            await revocation.bump()
            log.info("password changed account_id=%s; all tokens revoked", account.id)
            return await self.issue_token(account)

    async def _checked_account(
        self, name: str, password: str, *, client: str, failure_code: str, failure_message: str
    ) -> models.Account:
        await self.throttle.refuse_if_locked(name, client)
        found = await models.Account.get_or_none(account=name) if name else None
        ok = await self.passwords.verify(found.password_hash if found else None, password)
        if not ok or found is None:
            await self.throttle.record_failure(name, client)
            raise DomainError(failure_message, code=failure_code)
        await self.throttle.succeeded(name, client)
        return found


async def principal_for(account: models.Account, *, token_hash: str | None = None) -> Principal:
    group_permissions: list[str] = []
    if account.role is not Role.SUPER_ADMIN:
        for perms in await models.PermissionGroup.filter(
            account_links__account_id=account.id
        ).values_list("permissions", flat=True):
            group_permissions.extend(perms or [])
    return Principal(
        account=account,
        permissions=effective_permissions(account.role, group_permissions),
        token_hash=token_hash,
    )


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header value (None when absent or
    not of that form)."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _now() -> datetime:
    return datetime.now(UTC)
