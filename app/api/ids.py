"""GraphQL IDs are decimal database ids; anything else is the client's mistake."""

from __future__ import annotations

from app.errors import InvalidInput

_MAX_ID = 2**63 - 1


def parse_id(value: str, *, field: str = "id") -> int:
    try:
        parsed = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{value!r} is not an id.", field=field) from None
    if not 1 <= parsed <= _MAX_ID:
        raise InvalidInput(f"{value!r} is not an id.", field=field)
    return parsed


def parse_optional_id(value: str | None, *, field: str) -> int | None:
    return None if value is None else parse_id(value, field=field)
