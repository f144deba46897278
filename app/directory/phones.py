"""Phone numbers stored as E.164 and matched whatever the formatting (R-CC-1).

No numbering-plan database: separators are dropped, ``+`` and ``00`` mark an international
number, a single leading ``0`` is a national trunk prefix, and anything else is a national
number of the default country (``DESKQL_PHONE_COUNTRY_CODE``, 86 unless set).
"""

from __future__ import annotations

import re

from app.errors import InvalidInput

_SEPARATORS = re.compile(r"[\s\-().\u00a0/]")


def normalize_phone(raw: str, *, country_code: str = "86", field: str = "phone") -> str:
    text = _SEPARATORS.sub("", raw or "")
    if text.startswith("+"):
        digits = text[1:]
    elif text.startswith("00"):
        digits = text[2:]
    elif text.startswith("0"):
        digits = country_code + text[1:]
    else:
        digits = (
            country_code + text if not text.startswith(country_code) or len(text) <= 11 else text
        )
    if not digits.isdigit() or not 8 <= len(digits) <= 15 or digits.startswith("0"):
        raise InvalidInput(f"{raw!r} is not a phone number.", field=field)
    return "+" + digits


def try_normalize_phone(raw: str, *, country_code: str = "86") -> str | None:
    try:
        return normalize_phone(raw, country_code=country_code)
    except InvalidInput:
        return None
