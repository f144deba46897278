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

from strawberry.utils.str_converters import to_camel_case

from app.api.directory.types import AgentRef, Queue, Team
from app.api.views import (
    MISSING,
    Shape,
    Spec,
    agent_join,
    agent_of,
    build_views,
    columns_for,
    fetch_agents,
    fetch_queues,
    fetch_teams,
    fill,
    found,
    queue_of,
    team_of,
    wanted,
)
from app.db import placeholders, raw_rows, select
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
SPEC: Spec = {
    "id": (("pk", "plain"),),
    "call_id": (("id", "plain"),),
    **{c: ((c, "plain"),) for c in _PLAIN},
    **{c: ((c, "instant"),) for c in _INSTANTS},
    **{c: ((c, "flag"),) for c in _FLAGS},
}
COLUMNS = list(SPEC)
# The columns each GraphQL field of CallRecord needs; the key and the cursor's are always read.
NEEDS: dict[str, tuple[str, ...]] = {
    **{to_camel_case(c): (c,) for c in (*_PLAIN, *_INSTANTS, *_FLAGS)},
    "id": ("call_id",),
    "agent": ("agent_id",),
    "agentAccount": ("agent_id",),
    "team": ("team_id",),
    "queue": ("queue_id",),
    "subCalls": ("is_main", "main_call_id"),
    "mainCall": ("is_main", "main_call_id"),
}
ALWAYS = ("id", "call_id", "started_epoch")


def columns(selected: Tree) -> list[str]:
    return columns_for(selected, NEEDS, ALWAYS, COLUMNS)


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
    def from_rows(
        cls, rows: list[Any], ctx: Context, columns: list[str] | None = None
    ) -> list[CallView]:
        """Views of raw ``call_record`` rows holding ``columns`` (default: the rows' own)."""
        if not rows:
            return []
        return build_views(cls, SPEC, rows, columns or list(rows[0].keys()), ctx)

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
        legs = await _legs(ctx, [v.main_call_id for v in views if v.is_main], selected["subCalls"])
        await prefetch(ctx, legs, selected["subCalls"])
    if "mainCall" in selected:
        wanted_mains = {v.main_call_id for v in views if not v.is_main}
        mains = await _mains(ctx, wanted_mains, selected["mainCall"])
        await prefetch(ctx, mains, selected["mainCall"])


async def _legs(ctx: Context, main_ids: list[str], selected: Tree) -> list[CallView]:
    """The visible legs of these calls, in start order (the visibility rule's own condition),
    with the columns their selection needs."""
    keys = wanted(ctx, "legs", main_ids)
    if not keys:
        return []
    visible, params = visible_calls_sql(ctx.actor)
    read = columns_for(selected, NEEDS, (*ALWAYS, "main_call_id"), COLUMNS)
    rows = await select(
        f"SELECT {', '.join(read)} FROM call_record "
        f"WHERE main_call_id IN ({placeholders(len(keys))}) "
        f"AND is_main = ?{visible} ORDER BY started_epoch, id",
        [*keys, False, *params],
    )
    legs = CallView.from_rows(rows, ctx, read)
    grouped: dict[str, list[CallView]] = {}
    for view in legs:
        grouped.setdefault(view.main_call_id, []).append(view)
    fill(ctx, "legs", keys, grouped, list)
    return legs


async def _mains(ctx: Context, call_ids: set[str], selected: Tree) -> list[CallView]:
    keys = wanted(ctx, "calls", call_ids)
    if not keys:
        return []
    read = columns(selected)
    query = visible_calls(ctx.actor).filter(call_id__in=keys).values_list(*read)
    mains = CallView.from_rows(await raw_rows(query), ctx, read)
    fill(ctx, "calls", keys, {view.id: view for view in mains})
    return mains


AGENT = agent_join({"agent", "agentAccount"}, "agent_id")
SHAPE = Shape(CallView, columns, prefetch, (AGENT,))  # for app/api/views.py page_of
