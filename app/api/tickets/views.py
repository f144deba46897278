"""What graphql-core walks for tickets and their comments: plain objects with the GraphQL types'
attributes (app/api/tickets/types.py declares the types), built from raw rows (lists) or models.

As for calls (app/api/telephony/views.py): a list fetches the nested objects its query selected
for the whole page — requesters, assignees, queues, comments with their authors — one statement
each, and graphql-core reads them synchronously; anything not fetched is served by the request's
loaders as before. Tickets come only through the visibility function of app/tickets/visibility.py
(the page's own query); the nested objects belong to tickets already visible.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from strawberry.utils.str_converters import to_camel_case

from app.api.common import CustomField, gid
from app.api.directory.types import AgentRef, Contact, Queue
from app.api.surveys.types import TicketSatisfaction
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
    fetch_queues,
    found,
    queue_of,
    wanted,
)
from app.api.zendesk.types import TicketZendesk
from app.db import instant, placeholders
from app.tickets import models

if TYPE_CHECKING:
    from app.api.context import Context
    from app.api.selection import Tree


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


_PLAIN = ("subject", "description", "status", "channel", "menu_selection", "requester_id",
          "assignee_id", "queue_id")  # fmt: skip
_INSTANTS = ("solved_at", "created_at", "updated_at")
SPEC: Spec = {
    "id": (("pk", "plain"), ("id", "str")),
    **{c: ((c, "plain"),) for c in _PLAIN},
    **{c: ((c, "instant"),) for c in _INSTANTS},
    "custom_fields": (("_custom", "plain"),),
    "merged_into_id": (("_merged_into", "plain"),),
}
NEEDS: dict[str, tuple[str, ...]] = {
    **{to_camel_case(c): (c,) for c in (*_PLAIN, *_INSTANTS)},
    "id": (),
    "customFields": ("custom_fields",),
    "mergedIntoId": ("merged_into_id",),
    "requester": ("requester_id",),
    "assignee": ("assignee_id",),
    "queue": ("queue_id",),
    "comments": (),
    "satisfaction": (),
    "zendesk": (),
}
ALWAYS = ("id", "created_at", "updated_at")  # the key and the cursors' columns


def columns(selected: Tree) -> list[str]:
    return columns_for(selected, NEEDS, ALWAYS, list(SPEC))


class TicketView:
    __slots__ = (
        "pk", "id", "subject", "description", "status", "channel", "menu_selection",
        "_custom", "solved_at", "created_at", "updated_at", "requester_id", "assignee_id",
        "queue_id", "_merged_into", "_ctx",
    )  # fmt: skip

    pk: int
    id: str
    subject: str
    description: str
    status: str
    channel: str
    menu_selection: str | None
    _custom: Any
    solved_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None
    requester_id: int | None
    assignee_id: int | None
    queue_id: int | None
    _merged_into: int | None
    _ctx: Context

    @classmethod
    def from_rows(cls, rows: list[Any], ctx: Context, columns: list[str]) -> list[TicketView]:
        return build_views(cls, SPEC, rows, columns, ctx)

    @classmethod
    def from_model(cls, row: models.Ticket, ctx: Context) -> TicketView:
        v = cls.__new__(cls)
        v.pk, v.id = row.id, str(row.id)
        v.subject, v.description, v.status, v.channel = (
            row.subject, row.description, row.status, row.channel,
        )  # fmt: skip
        v.menu_selection, v._custom = row.menu_selection, row.custom_fields
        v.solved_at, v.created_at, v.updated_at = row.solved_at, row.created_at, row.updated_at
        v.requester_id, v.assignee_id = row.requester_id, row.assignee_id
        v.queue_id, v._merged_into, v._ctx = row.queue_id, row.merged_into_id, ctx
        return v

    @property
    def custom_fields(self) -> list[CustomField]:
        return [CustomField(name=i["name"], value=i["value"]) for i in _json(self._custom) or []]

    @property
    def merged_into_id(self) -> str | None:
        return gid(self._merged_into) if self._merged_into else None

    @property
    def requester(self) -> Contact | None | Awaitable[Contact | None]:
        return contact_of(self._ctx, self.requester_id)

    @property
    def assignee(self) -> AgentRef | None | Awaitable[AgentRef | None]:
        return agent_of(self._ctx, self.assignee_id)

    @property
    def queue(self) -> Queue | None | Awaitable[Queue | None]:
        return queue_of(self._ctx, self.queue_id)

    @property
    def comments(self) -> list[CommentView] | Awaitable[list[CommentView]]:
        hit = found(self._ctx, "comments", self.pk)
        return _load_comments(self._ctx, self.pk) if hit is MISSING else hit

    @property
    def satisfaction(self) -> Awaitable[TicketSatisfaction | None]:
        return _load_satisfaction(self._ctx, self.pk)

    @property
    def zendesk(self) -> Awaitable[TicketZendesk | None]:
        return _load_zendesk(self._ctx, self.pk)


class CommentView:
    __slots__ = ("author_id", "body", "id", "public", "ticket_id", "_created_at", "_ctx")

    id: str
    author_id: int | None
    ticket_id: int
    body: str
    public: bool
    _created_at: Any  # as the driver gave it: read (parsed) only when selected
    _ctx: Context

    @classmethod
    def of(cls, ctx: Context, pk: int, ticket_id: int, author_id: int | None, body: str,
           public: Any, created_at: Any) -> CommentView:  # fmt: skip
        v = cls.__new__(cls)
        v.id, v.ticket_id, v.author_id, v.body = str(pk), ticket_id, author_id, body
        v.public, v._created_at, v._ctx = bool(public), created_at, ctx
        return v

    @property
    def created_at(self) -> datetime | None:
        return instant(self._created_at)

    @classmethod
    def from_model(cls, row: models.TicketComment, ctx: Context) -> CommentView:
        return cls.of(ctx, row.id, row.ticket_id, row.author_id, row.body, row.public,
                      row.created_at)  # fmt: skip

    @property
    def author(self) -> AgentRef | None | Awaitable[AgentRef | None]:
        return agent_of(self._ctx, self.author_id)


async def _load_comments(ctx: Context, ticket_id: int) -> list[CommentView]:
    return [CommentView.from_model(r, ctx) for r in await ctx.comments_by_ticket.load(ticket_id)]


async def _load_satisfaction(ctx: Context, ticket_id: int) -> TicketSatisfaction | None:
    row = await ctx.surveys_by_ticket.load(ticket_id)
    return TicketSatisfaction.from_model(row) if row else None


async def _load_zendesk(ctx: Context, ticket_id: int) -> TicketZendesk | None:
    link = await ctx.zendesk_by_ticket.load(ticket_id)
    return TicketZendesk.of(link) if link else None


# -- a page's nested objects, one statement per kind -------------------------------------------


async def prefetch(ctx: Context, views: list[TicketView], selected: Tree) -> None:
    if not views:
        return
    agents: set[int | None] = set()
    if "assignee" in selected:
        agents |= {v.assignee_id for v in views}
    if "requester" in selected:
        await fetch_contacts(ctx, {v.requester_id for v in views})
    if "queue" in selected:
        await fetch_queues(ctx, {v.queue_id for v in views})
    if "comments" in selected:
        comments = await _comments(ctx, [v.pk for v in views])
        if "author" in selected["comments"]:
            agents |= {c.author_id for c in comments}
    await fetch_agents(ctx, agents)


async def _comments(ctx: Context, ticket_ids: list[int]) -> list[CommentView]:
    keys = wanted(ctx, "comments", ticket_ids)
    if not keys:
        return []
    return await fetch_children(
        ctx, "comments", keys,
        "SELECT ticket_id, id, ticket_id, author_id, body, public, created_at FROM ticket_comment "
        f"WHERE ticket_id IN ({placeholders(len(keys))}) ORDER BY id",
        lambda *values: CommentView.of(ctx, *values),
    )  # fmt: skip


SHAPE = Shape(
    TicketView,
    columns,
    prefetch,
    (
        contact_join({"requester"}, "requester_id"),
        agent_join({"assignee"}, "assignee_id"),
    ),
)
