"""Cursor pagination over any queryset ordered by primary key (keyset, not offset)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise.queryset import QuerySet

from app.errors import InvalidInput

MAX_PAGE_SIZE = 100
T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    has_next_page: bool
    queryset: QuerySet  # unsliced, for totalCount on demand

    def cursor(self, item) -> str:
        return encode_cursor(item.pk)

    @property
    def end_cursor(self) -> str | None:
        return self.cursor(self.items[-1]) if self.items else None

    async def total_count(self) -> int:
        return await self.queryset.count()


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"pk:{pk}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "pk":
            raise ValueError(kind)
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("This cursor was not issued by this list.", field="after") from None


def check_page_size(first: int) -> None:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise InvalidInput(f"first must be between 1 and {MAX_PAGE_SIZE}.", field="first")


async def paginate(queryset: QuerySet, *, first: int, after: str | None) -> Page:
    check_page_size(first)
    window = queryset.order_by("id")
    if after is not None:
        window = window.filter(id__gt=decode_cursor(after))
    rows = await window.limit(first + 1)
    return Page(items=rows[:first], has_next_page=len(rows) > first, queryset=queryset)
