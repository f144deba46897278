"""List pages' SQL kept per shape, so the ORM builds each statement once per process.

Building a page's statement (columns, joins, conditions, order, rendering) costs the ORM more
than running it. Two querysets with the same *shape* — model, columns, order, limit, and the
same conditions with values of the same types (and lists of the same lengths) — get the same
SQL with their values in the same places. So the first time a shape is seen the ORM builds it
as usual, and the statement is kept only when the values read from the conditions, in order,
are exactly the parameters the ORM produced (same types, same values, all distinct: the order
is then unambiguous). Later querysets of that shape take the kept SQL with their own values.
Anything unusual (expressions, annotations, grouping, custom filters, a value of another type)
is never kept: the ORM builds it every time.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import ValuesListQuery

MAX_SHAPES = 1_000
_SCALARS = (str, int, float, datetime)
_kept: dict[tuple, str | None] = {}  # shape -> SQL, or None: this shape is never kept


def shape_of(query: Any) -> tuple[tuple, list[Any]] | None:
    """(the shape, its values in condition order) of a values_list queryset, or None."""
    if type(query) is not ValuesListQuery or query._db is None:
        return None
    if query._custom_filters or query._group_bys or query._force_indexes or query._use_indexes:
        return None
    values: list[Any] = []
    parts = []
    for q in query._q_objects:
        part = _q_shape(q, values)
        if part is None:
            return None
        parts.append(part)
    if query._limit is not None:
        values.append(query._limit)
    if query._offset is not None:
        values.append(query._offset)
    try:
        orderings = tuple((name, str(order)) for name, order in query._orderings)
    except (TypeError, ValueError):
        return None
    if not all(isinstance(name, str) for name, _ in orderings):
        return None
    shape = (
        query.model,
        query._db.capabilities.dialect,
        tuple(query._fields_for_select_list),
        orderings,
        query._distinct,
        query._limit is not None,
        query._offset is not None,
        tuple(parts),
    )
    return shape, values


def _q_shape(q: Q, values: list[Any]) -> tuple | None:
    if type(q) is not Q:
        return None
    filters = []
    for key, value in q.filters.items():
        kind = _value_kind(value, values)
        if kind is None:
            return None
        filters.append((key, kind))
    children = []
    for child in q.children:
        part = _q_shape(child, values)
        if part is None:
            return None
        children.append(part)
    return (q.join_type, q._is_negated, tuple(filters), tuple(children))


def _value_kind(value: Any, values: list[Any]) -> Any:
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        kinds = []
        for item in value:
            kind = _scalar(item, values)
            if kind is None:
                return None
            kinds.append(kind)
        return ("list", tuple(kinds))
    return _scalar(value, values)


def _scalar(value: Any, values: list[Any]) -> Any:
    if isinstance(value, Enum):
        value = value.value
    if type(value) is bool or type(value) in _SCALARS:
        values.append(value)
        return type(value)
    return None


def kept(shape: tuple) -> str | None:
    return _kept.get(shape)


def keep(shape: tuple, values: list[Any], sql: str, params: list[Any]) -> None:
    """Keep ``sql`` for ``shape`` when ``values`` are exactly the ORM's ``params``."""
    if shape in _kept:
        return
    if len(values) != len(params):
        _kept[shape] = None
        return
    if len({(type(v), v) for v in values}) != len(values):
        return  # a repeated value: the order is not proven; a later queryset may prove it
    same = all(type(a) is type(b) and a == b for a, b in zip(values, params, strict=True))
    if len(_kept) >= MAX_SHAPES:
        _kept.clear()
    _kept[shape] = sql if same else None
