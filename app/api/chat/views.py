"""What graphql-core walks for chat sessions and their transfers: plain objects with the GraphQL
types' attributes (app/api/chat/types.py declares them), built from raw rows (lists) or models;
a list fetches the agents, contacts and transfers its query selected for the whole page (see
app/api/views.py). Sessions come only through app/chat/visibility.py (the page's query)."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.api.directory.types import AgentRef, Contact
from app.api.routing.types import RoutingDecision
from app.api.views import (
    MISSING,
    Shape,
    Spec,
    agent_join,
    agent_of,
    build_views,
    columns_for,
    contact_join,
    contact_of,
    fetch_agents,
    fetch_children,
    fetch_contacts,
    found,
    wanted,
)
from app.chat import models
from app.db import instant, placeholders

if TYPE_CHECKING:
    from app.api.context import Context
    from app.api.selection import Tree


SPEC: Spec = {
    "id": (("pk", "plain"),),
    "session_id": (("id", "plain"),),
    "channel": (("channel", "plain"),),
    "started_at": (("started_at", "instant"),),
    "ended_at": (("ended_at", "instant"),),
    "transfer_count": (("transfer_count", "plain"),),
    "agent_id": (("agent_id", "plain"),),
    "contact_id": (("contact_id", "plain"),),
}
NEEDS: dict[str, tuple[str, ...]] = {
    "id": ("session_id",),
    "channel": ("channel",),
    "startedAt": ("started_at",),
    "endedAt": ("ended_at",),
    "transferCount": ("transfer_count",),
    "agent": ("agent_id",),
    "contact": ("contact_id",),
    "transfers": (),
    "routingDecisions": ("session_id",),
}
ALWAYS = ("id", "started_at")  # the key and the cursor's column


def columns(selected: Tree) -> list[str]:
    return columns_for(selected, NEEDS, ALWAYS, list(SPEC))


class SessionView:
    __slots__ = ("pk", "id", "channel", "started_at", "ended_at", "transfer_count",
                 "agent_id", "contact_id", "_ctx")  # fmt: skip

    pk: int
    id: str
    channel: str
    started_at: datetime | None
    ended_at: datetime | None
    transfer_count: int
    agent_id: int | None
    contact_id: int | None
    _ctx: Context

    @classmethod
    def of(cls, ctx: Context, pk: int, session_id: str, channel: str, started_at: Any,
           ended_at: Any, transfer_count: int, agent_id: int | None,
           contact_id: int | None) -> SessionView:  # fmt: skip
        v = cls.__new__(cls)
        v.pk, v.id, v.channel, v.transfer_count = pk, session_id, channel, transfer_count
        v.started_at, v.ended_at = instant(started_at), instant(ended_at)
        v.agent_id, v.contact_id, v._ctx = agent_id, contact_id, ctx
        return v

    @classmethod
    def from_rows(cls, rows: list[Any], ctx: Context, columns: list[str]) -> list[SessionView]:
        return build_views(cls, SPEC, rows, columns, ctx)

    @classmethod
    def from_model(cls, row: models.ChatSession, ctx: Context) -> SessionView:
        return cls.of(ctx, row.id, row.session_id, row.channel, row.started_at, row.ended_at,
                      row.transfer_count, row.agent_id, row.contact_id)  # fmt: skip

    @property
    def agent(self) -> AgentRef | None | Awaitable[AgentRef | None]:
        return agent_of(self._ctx, self.agent_id)

    @property
    def contact(self) -> Contact | None | Awaitable[Contact | None]:
        return contact_of(self._ctx, self.contact_id)

    @property
    def transfers(self) -> list[TransferView] | Awaitable[list[TransferView]]:
        hit = found(self._ctx, "transfers", self.pk)
        return _load_transfers(self._ctx, self.pk) if hit is MISSING else hit

    @property
    def routing_decisions(self) -> Awaitable[list[RoutingDecision]]:
        return _load_decisions(self._ctx, self.id)


async def _load_decisions(ctx: Context, session_id: str) -> list[RoutingDecision]:
    return [RoutingDecision.of(row) for row in await ctx.decisions_by_session.load(session_id)]


class TransferView:
    __slots__ = ("transferred_at", "reason", "from_agent_id", "to_agent_id", "_ctx")

    transferred_at: datetime | None
    reason: str | None
    from_agent_id: int | None
    to_agent_id: int | None
    _ctx: Context

    @classmethod
    def of(cls, ctx: Context, transferred_at: Any, reason: str | None,
           from_agent_id: int | None, to_agent_id: int | None) -> TransferView:  # fmt: skip
        v = cls.__new__(cls)
        v.transferred_at, v.reason = instant(transferred_at), reason
        v.from_agent_id, v.to_agent_id, v._ctx = from_agent_id, to_agent_id, ctx
        return v

    @property
    def from_agent(self) -> AgentRef | None | Awaitable[AgentRef | None]:
        return agent_of(self._ctx, self.from_agent_id)

    @property
    def to_agent(self) -> AgentRef | None | Awaitable[AgentRef | None]:
        return agent_of(self._ctx, self.to_agent_id)


async def _load_transfers(ctx: Context, session_pk: int) -> list[TransferView]:
    rows = await ctx.transfers_by_session.load(session_pk)
    return [TransferView.of(ctx, r.transferred_at, r.reason, r.from_agent_id, r.to_agent_id)
            for r in rows]  # fmt: skip


async def prefetch(ctx: Context, views: list[SessionView], selected: Tree) -> None:
    if not views:
        return
    agents: set[int | None] = set()
    if "agent" in selected:
        agents |= {v.agent_id for v in views}
    if "contact" in selected:
        await fetch_contacts(ctx, {v.contact_id for v in views})
    if "transfers" in selected:
        transfers = await _transfers(ctx, [v.pk for v in views])
        wants = selected["transfers"]
        if "fromAgent" in wants:
            agents |= {t.from_agent_id for t in transfers}
        if "toAgent" in wants:
            agents |= {t.to_agent_id for t in transfers}
    await fetch_agents(ctx, agents)


async def _transfers(ctx: Context, session_pks: list[int]) -> list[TransferView]:
    keys = wanted(ctx, "transfers", session_pks)
    if not keys:
        return []
    return await fetch_children(
        ctx, "transfers", keys,
        "SELECT session_id, transferred_at, reason, from_agent_id, to_agent_id "
        f"FROM session_transfer WHERE session_id IN ({placeholders(len(keys))}) "
        "ORDER BY transferred_at, id",
        lambda *values: TransferView.of(ctx, *values),
    )  # fmt: skip


SHAPE = Shape(
    SessionView,
    columns,
    prefetch,
    (
        agent_join({"agent"}, "agent_id"),
        contact_join({"contact"}, "contact_id"),
    ),
)
