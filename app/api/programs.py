"""The straight loops app/api/execution.py compiles for an object or list-of-objects field whose
whole selection is plain: ``item -> dict`` following the selection's steps (getattr, coerce,
recurse). Anything only graphql-core's ordinary path answers raises :class:`Abandon`."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLBoolean, GraphQLID, GraphQLInt, GraphQLString, Undefined

TYPENAME, LEAF, OBJECT, LIST = range(4)
INT_LIMIT = 2**31  # GraphQL's Int is 32-bit
# The Python type of the values each built-in scalar outputs unchanged (graphql-core's
# serialize_string, serialize_id, serialize_boolean, serialize_int on those types).
AS_IS = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool, GraphQLInt: int}


class Abandon(Exception):
    """A compiled sub-tree met something only the ordinary path answers."""


def check(value: Any, is_awaitable: Any) -> Any:
    if is_awaitable(value):
        if hasattr(value, "close"):
            value.close()  # never awaited, and never started: no work was done
        raise Abandon
    return value


def program(steps: list[tuple], is_awaitable: Any) -> Any:
    """``item -> dict`` for these steps, in the selection's order."""

    def run(item: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for response_name, kind, attr, how, non_null, item_non_null in steps:
            if kind == TYPENAME:
                out[response_name] = attr
                continue
            value = getattr(item, attr)
            if value is None:
                if non_null:
                    raise Abandon
                out[response_name] = None
            elif kind == LEAF:
                if type(value) is item_non_null and (
                    item_non_null is not int or -INT_LIMIT <= value < INT_LIMIT
                ):
                    out[response_name] = value  # what the scalar's coercion returns as it is
                    continue
                coerced = how(check(value, is_awaitable))
                if coerced is None or coerced is Undefined:
                    raise Abandon
                out[response_name] = coerced
            elif kind == OBJECT:
                out[response_name] = how(check(value, is_awaitable))
            else:
                listed: list[Any] = []
                for element in check(value, is_awaitable):
                    if element is None:
                        if item_non_null:
                            raise Abandon
                        listed.append(None)
                    else:
                        listed.append(how(check(element, is_awaitable)))
                out[response_name] = listed
        return out

    return run
