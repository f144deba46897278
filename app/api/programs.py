"""The straight loops app/api/execution.py compiles for an object or list-of-objects field whose
whole selection is plain: ``item -> dict`` following the selection's steps (getattr, coerce,
recurse). Anything only graphql-core's ordinary path answers raises :class:`Abandon`.

A program is Python source generated once per *shape* (the steps' names, kinds, attributes and
nullability — never a value from a request) and compiled; each execution binds it to that
execution's coercers and sub-programs, which costs one call."""

from __future__ import annotations

import keyword
from types import GeneratorType
from typing import Any

from graphql import GraphQLBoolean, GraphQLEnumType, GraphQLID, GraphQLInt, GraphQLString, Undefined

TYPENAME, LEAF, OBJECT, LIST = range(4)
INT_LIMIT = 2**31  # GraphQL's Int is 32-bit
# The Python type of the values each built-in scalar outputs unchanged (graphql-core's
# serialize_string, serialize_id, serialize_boolean, serialize_int on those types).
AS_IS = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool, GraphQLInt: int}


class Abandon(Exception):
    """A compiled sub-tree met something only the ordinary path answers."""


# Types whose instances were found not awaitable: awaitability is a property of the type, except
# for generators (a generator-based coroutine is one generator among others), never recorded.
PLAIN: set[type] = set()


def check(value: Any, is_awaitable: Any, plain: set[type] | None = None) -> Any:
    if is_awaitable(value):
        if hasattr(value, "close"):
            value.close()  # never awaited, and never started: no work was done
        raise Abandon
    if plain is not None and type(value) is not GeneratorType:
        plain.add(type(value))
    return value


def plain_or_checked(value: Any, is_awaitable: Any) -> Any:
    return value if type(value) in PLAIN else check(value, is_awaitable, PLAIN)


def _null_item() -> None:
    raise Abandon


_sources: dict[tuple, Any] = {}  # shape -> compiled factory


def program(steps: list[tuple], is_awaitable: Any) -> Any:
    """``item -> dict`` for these steps, in the selection's order. A step is
    ``(response_name, kind, attr, how, non_null, item_non_null)``; for a leaf, ``how`` is the
    coercer and the last place the Python type passed through as it is (or None); for an enum
    leaf (``how`` bound to a GraphQLEnumType) coerced values are remembered per value."""
    shape = tuple(
        (name, kind, attr, non_null, last if kind == LEAF else bool(last),
         kind == LEAF and isinstance(getattr(how, "__self__", None), GraphQLEnumType))
        for name, kind, attr, how, non_null, last in steps
    )  # fmt: skip
    factory = _sources.get(shape)
    if factory is None:
        factory = _sources[shape] = _factory(shape)
    return factory(
        [how for _, _, _, how, _, _ in steps],
        is_awaitable,
        PLAIN,
        check,
        Abandon,
        Undefined,
        _null_item,
    )


def _read(attr: str) -> str:
    if attr.isidentifier() and not keyword.iskeyword(attr) and not attr.startswith("__"):
        return f"item.{attr}"
    return f"getattr(item, {attr!r})"


def _factory(shape: tuple) -> Any:
    """Source for one shape; the names bound are the factory's arguments and constants only
    (attribute and response names are written with repr: text from the schema, not input)."""
    lines = [
        "def factory(hows, aw, plain, check, Abandon, Undefined, null_item):",
        "    memos = [{} for _ in hows]",
        "    def run(item):",
        "        out = {}",
    ]
    for i, (name, kind, attr, non_null, last, memo) in enumerate(shape):
        key = repr(name)
        if kind == TYPENAME:
            lines.append(f"        out[{key}] = {attr!r}")
            continue
        lines.append(f"        v = {_read(attr)}")
        lines.append("        if v is None:")
        lines.append("            raise Abandon" if non_null else f"            out[{key}] = None")
        lines.append("        else:")
        if kind == LEAF:
            if last is not None:
                limit = " and -2147483648 <= v < 2147483648" if last is int else ""
                lines.append(f"            if type(v) is {last.__name__}{limit}:")
                lines.append(f"                out[{key}] = v")
                lines.append("            else:")
                pad = "                "
            else:
                pad = "            "
            if memo:
                lines.append(f"{pad}c = memos[{i}].get(v, Undefined) if v.__hash__ else Undefined")
                lines.append(f"{pad}if c is Undefined:")
                lines.append(f"{pad}    c = hows[{i}](check(v, aw))")
                lines.append(f"{pad}    if c is None or c is Undefined:")
                lines.append(f"{pad}        raise Abandon")
                lines.append(f"{pad}    if v.__hash__:")
                lines.append(f"{pad}        memos[{i}][v] = c")
            else:
                lines.append(f"{pad}c = hows[{i}](check(v, aw))")
                lines.append(f"{pad}if c is None or c is Undefined:")
                lines.append(f"{pad}    raise Abandon")
            lines.append(f"{pad}out[{key}] = c")
        elif kind == OBJECT:
            lines.append(
                f"            out[{key}] = hows[{i}](v if type(v) in plain else check(v, aw, plain))"
            )
        else:
            missing = "null_item()" if last else "None"
            lines.append(f"            h = hows[{i}]")
            lines.append(f"            out[{key}] = [")
            lines.append(f"                {missing} if e is None")
            lines.append("                else h(e if type(e) in plain else check(e, aw, plain))")
            lines.append(
                "                for e in (v if type(v) in plain else check(v, aw, plain))"
            )
            lines.append("            ]")
    lines += ["        return out", "    return run"]
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), "<deskql program>", "exec"), namespace)  # noqa: S102
    return namespace["factory"]
