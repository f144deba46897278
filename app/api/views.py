"""What the list views of every domain share (app/api/telephony/views.py, tickets/views.py,
chat/views.py): the request's store of nested objects a list fetched for its page
(``Context.found``, by kind and key), the fetches of the directory's objects — agents, contacts,
teams, queues, one statement per kind — and the lookups a view's attribute makes: the fetched
object if it is there, else an awaitable served by the request's loaders (graphql-core awaits
it), so a record outside a list answers as before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from app.api.common import gid
from app.api.directory.types import AgentRef, Contact, Queue, Team
from app.api.pagination import Connection, to_connection
from app.api.selection import Tree, connection_nodes
from app.db import instant, placeholders, select
from app.directory.teams import queues_by_id, teams_by_id
from app.pagination import Order, paginate

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from app.api.context import Context

MISSING: Any = object()
_NONE: dict = {}


def found(ctx: Context, kind: str, key: Any) -> Any:
    """What the page fetched of this kind for this key, or MISSING."""
    return ctx.found.get(kind, _NONE).get(key, MISSING)


def wanted(ctx: Context, kind: str, keys: Iterable[Any]) -> list[Any]:
    """The keys of this kind not fetched yet."""
    store = ctx.found.get(kind, _NONE)
    return list(dict.fromkeys(k for k in keys if k is not None and k not in store))


def fill(
    ctx: Context,
    kind: str,
    keys: list[Any],
    values: dict,
    default: Callable[[], Any] = lambda: None,
) -> None:
    """Record a fetch's results for all its keys at once, after the fetch: the root fields of
    one operation run concurrently, and none may see a key as fetched before its value is in
    (a key the fetch did not find answers ``default()``: null, or an empty list)."""
    store = ctx.found.setdefault(kind, {})
    for key in keys:
        store[key] = values[key] if key in values else default()


# -- lookups ------------------------------------------------------------------------------------


def agent_of(ctx: Context, account_id: int | None) -> Any:
    if account_id is None:
        return None
    hit = found(ctx, "agents", account_id)
    return _load_agent(ctx, account_id) if hit is MISSING else hit


def contact_of(ctx: Context, contact_id: int | None) -> Any:
    if contact_id is None:
        return None
    hit = found(ctx, "contacts", contact_id)
    return _load_contact(ctx, contact_id) if hit is MISSING else hit


def team_of(ctx: Context, team_id: int | None) -> Any:
    if team_id is None:
        return None
    hit = found(ctx, "teams", team_id)
    return _load_team(ctx, team_id) if hit is MISSING else hit


def queue_of(ctx: Context, queue_id: int | None) -> Any:
    if queue_id is None:
        return None
    hit = found(ctx, "queues", queue_id)
    return _load_queue(ctx, queue_id) if hit is MISSING else hit


async def _load_agent(ctx: Context, account_id: int) -> AgentRef | None:
    row = await ctx.accounts_by_id.load(account_id)
    return AgentRef.from_model(row) if row else None


async def _load_contact(ctx: Context, contact_id: int) -> Contact | None:
    row = await ctx.contacts_by_id.load(contact_id)
    return Contact.from_model(row) if row else None


async def _load_team(ctx: Context, team_id: int) -> Team | None:
    row = await ctx.teams_by_id.load(team_id)
    return Team.from_model(row) if row else None


async def _load_queue(ctx: Context, queue_id: int) -> Queue | None:
    row = await ctx.queues_by_id.load(queue_id)
    return Queue.from_model(row) if row else None


# -- fetches for a page -------------------------------------------------------------------------


async def fetch_agents(ctx: Context, ids: Iterable[int | None]) -> None:
    keys = wanted(ctx, "agents", ids)
    if keys:
        rows = await select(
            "SELECT id, account, display_name, email FROM account "
            f"WHERE id IN ({placeholders(len(keys))})",
            keys,
        )
        values = {
            key: AgentRef(id=gid(key), account=account, display_name=display_name, email=email)
            for key, account, display_name, email in rows
        }
        fill(ctx, "agents", keys, values)


async def fetch_contacts(ctx: Context, ids: Iterable[int | None]) -> None:
    keys = wanted(ctx, "contacts", ids)
    if keys:
        rows = await select(
            "SELECT id, name, email, external_id, created_at FROM contact "
            f"WHERE id IN ({placeholders(len(keys))})",
            keys,
        )
        values = {
            key: Contact(id=gid(key), name=name, email=email, external_id=external_id,
                         created_at=cast(datetime, instant(created_at)))
            for key, name, email, external_id, created_at in rows
        }  # fmt: skip
        fill(ctx, "contacts", keys, values)


async def fetch_teams(ctx: Context, ids: Iterable[int | None]) -> None:
    keys = wanted(ctx, "teams", ids)
    if keys:
        rows = await teams_by_id(keys)
        fill(ctx, "teams", keys, {key: Team.from_model(row) for key, row in rows.items()})


async def fetch_queues(ctx: Context, ids: Iterable[int | None]) -> None:
    keys = wanted(ctx, "queues", ids)
    if keys:
        rows = await queues_by_id(keys)
        fill(ctx, "queues", keys, {key: Queue.from_model(row) for key, row in rows.items()})


async def fetch_children(
    ctx: Context, kind: str, keys: list[Any], sql: str, make: Callable[..., Any]
) -> list[Any]:
    """The children of these parents (``sql``'s first column is the parent's key, its
    placeholders the keys), grouped by parent into the store; all of them, in order."""
    children: list[Any] = []
    grouped: dict[Any, list[Any]] = {}
    for parent, *values in await select(sql, keys):
        child = make(*values)
        grouped.setdefault(parent, []).append(child)
        children.append(child)
    fill(ctx, kind, keys, grouped, list)
    return children


# -- raw rows into views ------------------------------------------------------------------------

# How a view takes one column: its attributes and how each converts the driver's value.
Spec = dict[str, tuple[tuple[str, str], ...]]
_CONVERT = {"plain": "{}", "instant": "instant({})", "flag": "bool({})", "str": "str({})"}
_builders: dict[tuple[type, tuple[str, ...]], Any] = {}


def build_views(
    cls: type, spec: Spec, rows: list[Any], columns: Sequence[str], ctx: Context
) -> list:
    """Views of ``cls`` from raw rows holding ``columns`` in that order: straight-line code per
    (class, columns), reading by position — it runs for every row of every list page."""
    if not rows:
        return []
    key = (cls, tuple(columns))
    build = _builders.get(key)
    if build is None:
        lines = ["def build(cls, rows, ctx, instant):", "    out = []", "    new = cls.__new__",
                 "    for row in rows:", "        v = new(cls)", "        v._ctx = ctx"]  # fmt: skip
        for i, column in enumerate(columns):
            for attr, kind in spec.get(column, ()):
                lines.append(f"        v.{attr} = " + _CONVERT[kind].format(f"row[{i}]"))
        lines += ["        out.append(v)", "    return out"]
        namespace: dict[str, Any] = {}
        exec("\n".join(lines), namespace)  # noqa: S102 - the table's column names, no input
        build = _builders[key] = namespace["build"]
    return build(cls, rows, ctx, instant)


def columns_for(
    selected: Tree, needs: dict[str, tuple[str, ...]], always: tuple[str, ...], every: list[str]
) -> list[str]:
    """The columns a selection needs (``needs``: GraphQL field name -> columns), with those
    always read; every column when it names a field ``needs`` does not know."""
    wanted = dict.fromkeys(always)
    for name in selected:
        if name == "__typename":
            continue
        columns = needs.get(name)
        if columns is None:
            return list(every)
        wanted.update(dict.fromkeys(columns))
    return list(wanted)


# -- a list resolver's page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Join:
    """A to-one object read with the page itself (a LEFT JOIN in the page's statement) when
    the selection asks for it: one statement fewer than fetching it after."""

    fields: frozenset[str]  # the GraphQL fields whose selection asks for it
    fk: str  # the list's column holding its key
    kind: str  # the store it fills (what a view's lookup reads)
    related: tuple[str, ...]  # its columns, as ORM paths (relation__column)
    make: Callable[..., Any]  # (key, *values) -> the object


def agent_join(fields: set[str], fk: str) -> Join:
    relation = fk.removesuffix("_id")
    return Join(frozenset(fields), fk, "agents",
                tuple(f"{relation}__{c}" for c in ("account", "display_name", "email")),
                lambda key, account, name, email: AgentRef(
                    id=gid(key), account=account, display_name=name, email=email))  # fmt: skip


def contact_join(fields: set[str], fk: str) -> Join:
    relation = fk.removesuffix("_id")
    return Join(frozenset(fields), fk, "contacts",
                tuple(f"{relation}__{c}" for c in ("name", "email", "external_id", "created_at")),
                lambda key, name, email, external_id, created_at: Contact(
                    id=gid(key), name=name, email=email, external_id=external_id,
                    created_at=cast(datetime, instant(created_at))))  # fmt: skip


@dataclass(frozen=True)
class Shape:
    """What a list's views module provides for :func:`page_of`: its view class (with
    ``from_rows(rows, ctx, columns)``), the columns a selection needs, the to-one objects read
    with the page, the page's other fetches."""

    view: Any
    columns: Callable[[Tree], list[str]]
    prefetch: Callable[[Context, list[Any], Tree], Awaitable[None]]
    joins: tuple[Join, ...] = ()


def _joined(ctx: Context, rows: list[Any], read: list[str], joins: list[Join]) -> None:
    for join in joins:
        at = read.index(join.fk)
        where = [read.index(c) for c in join.related]
        values: dict[Any, Any] = {}
        for row in rows:
            key = row[at]
            if key is not None and key not in values:
                related = [row[i] for i in where]
                # A key with no row behind it (the fact table keeps no FK) answers null.
                values[key] = join.make(key, *related) if related[0] is not None else None
        fill(ctx, join.kind, list(values), values)


async def page_of(
    info: Any, query: Any, shape: Shape, *, first: int, after: str | None, order: Order
) -> Connection:
    """A Connection of a visible queryset: the columns and nested objects its selection asks
    for, in as few statements as the shape allows, views graphql-core reads as plain
    attributes."""
    ctx = info.context
    selected, edges = connection_nodes(info)
    joins = [j for j in shape.joins if not j.fields.isdisjoint(selected)]
    read = shape.columns(selected) + [c for j in joins for c in j.related]

    def build(rows: list[Any]) -> list[Any]:
        _joined(ctx, rows, read, joins)
        return shape.view.from_rows(rows, ctx, read)

    page = await paginate(query, first=first, after=after, order=order, build=build, columns=read)
    await shape.prefetch(ctx, page.items, selected)
    return to_connection(page, lambda view: view, edges=edges)
