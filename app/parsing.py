"""Numbers that come from outside (ids, cursors, path segments, form fields) are parsed here and
nowhere else: ASCII digits only (``int()`` also takes ``²``-like digits and ``1_000``), and within
the range the database can hold, so a bad value is the caller's mistake, never a database
error."""

from __future__ import annotations

import re

# Ids are PostgreSQL integers (int4); the event log's ids are bigints.
MAX_ID = 2**31 - 1
MAX_BIG_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def whole_number(text: object, *, lowest: int = 0, highest: int) -> int | None:
    """The number ``text`` spells in ASCII digits when it lies in [lowest, highest]; else
    None (not a string, empty, a sign, a space, non-ASCII digits, too big)."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    elif isinstance(text, str) and _DIGITS.fullmatch(text):
        value = int(text)
    else:
        return None
    return value if lowest <= value <= highest else None


def database_id(text: object, *, highest: int = MAX_ID) -> int | None:
    """A row id (1 or more, within the column's range), or None."""
    return whole_number(text, lowest=1, highest=highest)
