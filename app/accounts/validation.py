"""Input rules for accounts: names, passwords, e-mail, phone, SIP extension."""

from __future__ import annotations

import re

from app.accounts.secrets import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from app.errors import InvalidInput

_ACCOUNT_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,63}$")
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s.]{1,63}$")
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{2,30}$")
_EXTENSION_RE = re.compile(r"^[0-9]{2,10}$")


def normalise_account_name(value: str, *, strict: bool = True, field: str = "account") -> str:
    """Login names are case-insensitive; ``strict`` checks the shape (on creation)."""
    name = value.strip().lower()
    if strict and not _ACCOUNT_RE.match(name):
        raise InvalidInput(
            "An account name is 3-64 characters: letters, digits, '.', '_', '@' or '-'.",
            field=field,
        )
    return name[:64]


def check_password(value: str, *, field: str = "password") -> None:
    if not MIN_PASSWORD_LENGTH <= len(value) <= MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"A password is {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters.", field=field
        )


def clean_display_name(value: str, *, field: str = "displayName") -> str:
    name = value.strip()
    if not 1 <= len(name) <= 128:
        raise InvalidInput("A display name is 1-128 characters.", field=field)
    return name


def clean_email(value: str | None, *, field: str = "email") -> str | None:
    if value is None or not value.strip():
        return None
    email = value.strip()
    if not _EMAIL_RE.match(email):
        raise InvalidInput("This is not an e-mail address.", field=field)
    return email


def clean_phone(value: str | None, *, field: str = "phone") -> str | None:
    if value is None or not value.strip():
        return None
    phone = value.strip()
    if not _PHONE_RE.match(phone):
        raise InvalidInput(
            "A phone number is digits, optionally with + ( ) - and spaces.", field=field
        )
    return phone


def clean_extension(value: str, *, field: str = "extension") -> str:
    ext = value.strip()
    if not _EXTENSION_RE.match(ext):
        raise InvalidInput("A SIP extension is 2-10 digits.", field=field)
    return ext
