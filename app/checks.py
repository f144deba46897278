"""Input checks every domain shares, one implementation each: batch sizes, time-zone-aware
date-times, custom fields. Each raises InvalidInput naming the offending field."""

from __future__ import annotations

from collections.abc import Sized
from datetime import UTC, datetime
from enum import Enum
from typing import Final, overload

from app.errors import InvalidInput

MAX_BATCH = 1000
MAX_CUSTOM_FIELDS = 50


def batch_size(items: Sized, field: str, *, most: int = MAX_BATCH) -> None:
    """A batch (an import, a list argument) has 1 to ``most`` items."""
    if not 1 <= len(items) <= most:
        raise InvalidInput(f"1-{most} items per call.", field=field)


@overload
def aware(value: datetime, field: str) -> datetime: ...
@overload
def aware(value: None, field: str) -> None: ...
def aware(value: datetime | None, field: str) -> datetime | None:
    """The instant in UTC. A date-time without a time zone is ambiguous: refused."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput("A date-time needs a time zone (e.g. Z or +08:00).", field=field)
    return value.astimezone(UTC)


def custom_fields(items: list[tuple[str, str]] | None, field: str = "customFields") -> list[dict]:
    """Name/value pairs (tickets, service summaries): unique names of 1-64 characters, values
    up to 2000, at most 50 pairs. Returns them as stored: ``[{"name", "value"}]``."""
    items = items or []
    if len(items) > MAX_CUSTOM_FIELDS:
        raise InvalidInput(f"At most {MAX_CUSTOM_FIELDS} custom fields.", field=field)
    cleaned, names = [], set()
    for i, (name, value) in enumerate(items):
        name = (name or "").strip()
        if not 1 <= len(name) <= 64:
            raise InvalidInput(
                "A custom field name is 1-64 characters.", field=f"{field}[{i}].name"
            )
        if name in names:
            raise InvalidInput(f"Custom field {name!r} given twice.", field=f"{field}[{i}].name")
        if len(value or "") > 2000:
            raise InvalidInput(
                "A custom field value is at most 2000 characters.", field=f"{field}[{i}].value"
            )
        names.add(name)
        cleaned.append({"name": name, "value": value or ""})
    return cleaned


class Unchanged(Enum):
    """The value of an optional field an edit leaves as it is (None means "clear it")."""

    UNCHANGED = "UNCHANGED"


UNCHANGED: Final = Unchanged.UNCHANGED
