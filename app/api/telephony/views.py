"""What graphql-core walks for a call record: a plain object with the GraphQL type's attributes
(app/api/telephony/types.py declares the type; every field is a plain attribute), built from a
raw row (lists) or a model (one record, mutations, subscriptions).

Nested objects are attributes too. A list fetches those its query selected for the whole page
first (:func:`prefetch`: one statement per kind, legs through the visibility function), so
graphql-core reads them synchronously — no task or DataLoader future per item. A record whose
nested objects were not fetched (a single record, a mutation's answer) hands graphql-core an
awaitable instead, served by the request's loaders as before.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from app.api.directory.types import AgentRef, Queue, Team
from app.api.views import (
    MISSING,
    agent_of,
    fetch_agents,
    fetch_queues,
    fetch_teams,
    found,
    queue_of,
    team_of,
    wanted,
)
from app.db import instant, placeholders, raw_rows, select
from app.telephony import models
from app.telephony.visibility import visible_calls, visible_calls_sql

if TYPE_CHECKING:
    from app.api.context import Context
    from app.api.selection import Tree

_PLAIN = (
    "main_call_id", "call_type", "direction", "agent_id", "team_id", "queue_id",
    "customer_phone", "customer_name", "caller", "callee", "call_way", "started_epoch",
    "ring_seconds", "talk_seconds", "hold_seconds", "queue_seconds", "hangup_party", "result",
    "transfer_flag", "consult_count", "voicemail_url", "voicemail_state", "recording_url",
)  # fmt: skip
_INSTANTS = ("started_at", "answered_at", "ended_at")
_FLAGS = ("is_main", "consulted", "voicemail")


class CallView:
    __slots__ = ("pk", "id", *_PLAIN, *_INSTANTS, *_FLAGS, "_ctx")

    pk: int
    id: str
    main_call_id: str
    is_main: bool
    agent_id: int | None
    team_id: int | None
    queue_id: int | None
    _ctx: Context

    @classmethod
    def from_row(cls, row: Any, ctx: Context, build: Any = None) -> CallView:
        """A view of a raw ``call_record`` row (``build``: the rows' builder, when known)."""
        return (build or _builder(row))(cls, row, ctx, instant)

    @classmethod
    def from_rows(cls, rows: list[Any], ctx: Context) -> list[CallView]:
        if not rows:
            return []
        build = _builder(rows[0])
        return [build(cls, row, ctx, instant) for row in rows]

    @classmethod
    def from_model(cls, record: models.CallRecord, ctx: Context) -> CallView:
        view = cls.__new__(cls)
        view.pk, view.id, view._ctx = record.id, record.call_id, ctx
        for name in (*_PLAIN, *_INSTANTS, *_FLAGS):
            setattr(view, name, getattr(record, name))
        return view

    # -- nested objects: fetched for the page, else loaded ------------------------------------

    @property
    def agent(self) -> AgentRef | None | Awaitable[AgentRef | None]:
        return agent_of(self._ctx, self.agent_id)

    @property
    def agent_account(self) -> str | None | Awaitable[str | None]:
        if self.agent_id is None:
            return None
        hit = found(self._ctx, "agents", self.agent_id)
        if hit is MISSING:  # nothing made before it is awaited (the short path may drop it)
            return _account_of(self._ctx, self.agent_id)
        return hit.account if hit else None

    @property
    def team(self) -> Team | None | Awaitable[Team | None]:
        return team_of(self._ctx, self.team_id)

    @property
    def queue(self) -> Queue | None | Awaitable[Queue | None]:
        return queue_of(self._ctx, self.queue_id)

    @property
    def sub_calls(self) -> list[CallView] | Awaitable[list[CallView]]:
        if not self.is_main:
            return []
        hit = found(self._ctx, "legs", self.main_call_id)
        return _load_legs(self._ctx, self.main_call_id) if hit is MISSING else hit

    @property
    def main_call(self) -> CallView | None | Awaitable[CallView | None]:
        if self.is_main:
            return self
        hit = found(self._ctx, "calls", self.main_call_id)
        return _load_call(self._ctx, self.main_call_id) if hit is MISSING else hit


def _row_builder(columns: tuple[str, ...]) -> Any:
    """``(cls, row, ctx, instant) -> view`` for rows with these columns, as straight-line code
    reading them by position (no loop, no setattr, no lookup by name): it runs for every row
    of every list page."""
    at = {name: i for i, name in enumerate(columns)}
    lines = ["def build(cls, row, ctx, instant):", "    v = cls.__new__(cls)",
             f"    v.pk = row[{at['id']}]", f"    v.id = row[{at['call_id']}]",
             "    v._ctx = ctx"]  # fmt: skip
    lines += [f"    v.{n} = row[{at[n]}]" for n in _PLAIN]
    lines += [f"    v.{n} = instant(row[{at[n]}])" for n in _INSTANTS]
    lines += [f"    v.{n} = bool(row[{at[n]}])" for n in _FLAGS]
    lines.append("    return v")
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), namespace)  # noqa: S102 - column names of the table, no input
    return namespace["build"]


_builders: dict[tuple[str, ...], Any] = {}


def _builder(row: Any) -> Any:
    columns = tuple(row.keys())
    found = _builders.get(columns)
    if found is None:
        found = _builders[columns] = _row_builder(columns)
    return found


async def _account_of(ctx: Context, account_id: int) -> str | None:
    agent = await agent_of(ctx, account_id)
    return agent.account if agent else None


async def _load_legs(ctx: Context, main_call_id: str) -> list[CallView]:
    return [CallView.from_model(r, ctx) for r in await ctx.sub_calls_by_main.load(main_call_id)]


async def _load_call(ctx: Context, call_id: str) -> CallView | None:
    row = await ctx.calls_by_id.load(call_id)
    return CallView.from_model(row, ctx) if row else None


# -- a page's nested objects, one statement per kind -------------------------------------------


async def prefetch(ctx: Context, views: list[CallView], selected: Tree) -> None:
    """Fetch what ``selected`` asks of these records for all of them at once (recursively for
    legs and main records), into the request's ``found`` store the views read."""
    if not views:
        return
    if "agent" in selected or "agentAccount" in selected:
        await fetch_agents(ctx, {v.agent_id for v in views})
    if "team" in selected:
        await fetch_teams(ctx, {v.team_id for v in views})
    if "queue" in selected:
        await fetch_queues(ctx, {v.queue_id for v in views})
    if "subCalls" in selected:
        legs = await _legs(ctx, [v.main_call_id for v in views if v.is_main])
        await prefetch(ctx, legs, selected["subCalls"])
    if "mainCall" in selected:
        mains = await _mains(ctx, {v.main_call_id for v in views if not v.is_main})
        await prefetch(ctx, mains, selected["mainCall"])


async def _legs(ctx: Context, main_ids: list[str]) -> list[CallView]:
    """The visible legs of these calls, in start order (the visibility rule's own condition)."""
    store, keys = wanted(ctx, "legs", main_ids)
    if not keys:
        return []
    for key in keys:
        store[key] = []
    visible, params = visible_calls_sql(ctx.actor)
    rows = await select(
        f"SELECT * FROM call_record WHERE main_call_id IN ({placeholders(len(keys))}) "
        f"AND is_main = ?{visible} ORDER BY started_epoch, id",
        [*keys, False, *params],
    )
    legs = CallView.from_rows(rows, ctx)
    for view in legs:
        store[view.main_call_id].append(view)
    return legs


async def _mains(ctx: Context, call_ids: set[str]) -> list[CallView]:
    store, keys = wanted(ctx, "calls", call_ids)
    if not keys:
        return []
    mains = CallView.from_rows(
        await raw_rows(visible_calls(ctx.actor).filter(call_id__in=keys)), ctx
    )
    for view in mains:
        store[view.id] = view
    return mains
