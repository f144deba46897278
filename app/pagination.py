"""Cursor pagination (keyset, not offset) over a queryset in a stable order: by id, or by a
column with the id breaking ties. A cursor names the order it was issued for, so a cursor of
one order is refused by another, and it stays valid however many rows arrive meanwhile."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from app.db import raw_rows
from app.errors import InvalidInput
from app.parsing import database_id, whole_number

MAX_PAGE_SIZE = 100
T = TypeVar("T")


@dataclass(frozen=True)
class Order:
    """A list order: ``column`` (an int or datetime field) then the id, both ascending or both
    descending. ``name`` is what the cursor records (the GraphQL enum value)."""

    name: str
    column: str | None = None  # None: by id alone
    descending: bool = False

    def fields(self) -> list[str]:
        sign = "-" if self.descending else ""
        return [f"{sign}{self.column}", f"{sign}id"] if self.column else [f"{sign}id"]

    def key(self, item: Any) -> Any:
        return getattr(item, self.column) if self.column else None


BY_ID = Order("ID")


@dataclass
class Page(Generic[T]):
    items: list[T]
    has_next_page: bool
    queryset: QuerySet  # unfiltered by the cursor and unsliced, for totalCount on demand
    order: Order = BY_ID

    def cursor(self, item: Any) -> str:
        return encode_cursor(self.order, self.order.key(item), item.pk)

    @property
    def end_cursor(self) -> str | None:
        return self.cursor(self.items[-1]) if self.items else None

    async def total_count(self) -> int:
        return await self.queryset.count()


def encode_cursor(order: Order, key: Any, pk: int) -> str:
    if order is BY_ID:
        text = f"pk:{pk}"  # the form cursors had before lists had orders: still accepted
    else:
        if isinstance(key, datetime):
            key = key.astimezone(UTC).isoformat()
        text = json.dumps({"o": order.name, "k": key, "i": pk}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode()


def _refused() -> InvalidInput:
    return InvalidInput("This cursor was not issued by this list in this order.", field="after")


def decode_cursor(cursor: str, order: Order = BY_ID) -> tuple[Any, int]:
    """(the order column's value, the id) of a cursor issued for ``order``."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
    except (ValueError, UnicodeError, binascii.Error):
        raise _refused() from None
    if order is BY_ID:
        kind, _, value = text.partition(":")
        pk = database_id(value) if kind == "pk" else None
        if pk is None:
            raise _refused()
        return None, pk
    try:
        data = json.loads(text)
    except ValueError:
        raise _refused() from None
    if not isinstance(data, dict) or data.get("o") != order.name:
        raise _refused()
    pk = database_id(data.get("i"))
    key = data.get("k")
    if pk is None:
        raise _refused()
    if order.column is None:  # by id alone (e.g. newest first)
        return None, pk
    if isinstance(key, str):
        try:
            key = datetime.fromisoformat(key)
        except ValueError:
            raise _refused() from None
        if key.tzinfo is None:
            raise _refused()
    elif whole_number(key, highest=2**63 - 1) is None:
        raise _refused()
    return key, pk


def check_page_size(first: int) -> None:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise InvalidInput(f"first must be between 1 and {MAX_PAGE_SIZE}.", field="first")


async def paginate(
    queryset: QuerySet,
    *,
    first: int,
    after: str | None,
    order: Order = BY_ID,
    build: Callable[[list[Any]], list[Any]] | None = None,
    columns: list[str] | None = None,
) -> Page:
    """A page of the queryset in ``order``. With ``build``, the rows are read raw (no model
    instances, app/db.py ``raw_rows``) and ``build(rows)`` makes the items — objects with
    ``pk`` and the order's column, for their cursors; ``columns`` limits what is read."""
    check_page_size(first)
    window = queryset.order_by(*order.fields())
    if after is not None:
        key, pk = decode_cursor(after, order)
        window = window.filter(_after(order, key, pk))
    window = window.limit(first + 1)
    if build is None:
        rows = await window
    else:
        rows = build(await raw_rows(window.values_list(*columns) if columns else window))
    return Page(items=rows[:first], has_next_page=len(rows) > first, queryset=queryset, order=order)


def _after(order: Order, key: Any, pk: int) -> Q:
    beyond = "lt" if order.descending else "gt"
    after_id: dict[str, Any] = {f"id__{beyond}": pk}
    if order.column is None:
        return Q(**after_id)
    after_key: dict[str, Any] = {f"{order.column}__{beyond}": key}
    return Q(**after_key) | Q(**{order.column: key}, **after_id)
