"""Password hashing (argon2id) and bearer tokens (random, stored as SHA-256)."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from functools import lru_cache

from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "dq_"
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1, type=Type.ID)


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    # Verified against when the account does not exist, so unknown names cost the same time.
    return _hasher(time_cost, memory_kib).hash(secrets.token_urlsafe(16))


class Passwords:
    def __init__(self, *, time_cost: int, memory_kib: int) -> None:
        self._cost = (time_cost, memory_kib)

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(_hasher(*self._cost).hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Constant work whether or not there is a usable hash to check against: no account,
        or an account that can never sign in (a generated agent's ``!``), costs one argon2
        verification like a wrong password, so timing does not tell which accounts exist."""
        usable = password_hash is not None and _is_argon2(password_hash)
        target = password_hash if usable and password_hash else _dummy_hash(*self._cost)
        ok = await asyncio.to_thread(self._verify, target, password)
        return ok and usable

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return _hasher(*self._cost).verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def _is_argon2(password_hash: str) -> bool:
    try:
        extract_parameters(password_hash)
    except (InvalidHashError, ValueError):
        return False
    return True


def new_token() -> str:
    """256 random bits, URL-safe; the prefix lets secret scanners recognise a leaked token."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
