"""GraphQL IDs are decimal database ids; anything else is the client's mistake."""

from __future__ import annotations

from app.errors import InvalidInput
from app.parsing import MAX_ID, database_id


def parse_id(value: object, *, field: str = "id", highest: int = MAX_ID) -> int:
    """A row id from a GraphQL ID: ASCII digits, 1 up to the column's range (BAD_USER_INPUT
    otherwise, so no id reaches the database that it cannot hold)."""
    parsed = database_id(value, highest=highest)
    if parsed is None:
        raise InvalidInput(f"{value!r} is not an id.", field=field)
    return parsed


def parse_optional_id(value: str | None, *, field: str) -> int | None:
    return None if value is None else parse_id(value, field=field)
