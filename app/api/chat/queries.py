"""Reads of chat sessions and service summaries, filtered by who asks."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.api.args import After, First, Id
from app.api.chat import types as t
from app.api.chat.views import SHAPE
from app.api.common import Channel
from app.api.lists import ORDERS, SessionOrder
from app.api.pagination import Connection
from app.api.permissions import signed_in
from app.api.telephony.inputs import optional_days
from app.api.views import page_of
from app.chat import summaries
from app.chat.visibility import visible_sessions


@strawberry.input(description="Which chat sessions to list.")
class SessionFilter:
    from_: date | None = strawberry.field(
        name="from", default=None, description="First day of the start, inclusive."
    )
    to: date | None = strawberry.field(default=None, description="Last day, inclusive.")
    channel: Channel | None = strawberry.field(default=None, description="Only this channel.")
    transferred_only: bool = strawberry.field(
        default=False, description="Only sessions that were transferred."
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="Chat sessions in `orderBy` order (newest start first unless asked "
        "otherwise). An agent sees those they served "
        "or that were transferred to or from them; `reports.view`, "
        "`calls.view_all` or `sessions.manage` sees all.",
        extensions=[signed_in()],
    )
    async def chat_sessions(
        self,
        info: Info,
        filter: Annotated[
            SessionFilter | None, strawberry.argument(description="Optional conditions.")
        ] = None,
        first: First = 20,
        after: After = None,
        order_by: Annotated[
            SessionOrder, strawberry.argument(description="The order; cursors keep to it.")
        ] = SessionOrder.STARTED_AT_DESC,
    ) -> Connection[t.ChatSession]:
        query = visible_sessions(info.context.actor)
        if filter is not None:
            rng = optional_days(info, filter.from_, filter.to)
            if rng is not None:
                query = query.filter(started_at__gte=rng.start, started_at__lt=rng.end)
            if filter.channel is not None:
                query = query.filter(channel=filter.channel)
            if filter.transferred_only:
                query = query.filter(transfer_count__gt=0)
        return await page_of(info, query, SHAPE, first=first, after=after, order=ORDERS[order_by])

    @strawberry.field(description="One visible chat session, or null.", extensions=[signed_in()])
    async def chat_session(self, info: Info, id: Id) -> t.ChatSession | None:
        row = await visible_sessions(info.context.actor).filter(session_id=str(id)).first()
        return t.ChatSession.from_model(row, info.context) if row else None

    @strawberry.field(
        description="A session's service summary (`summarized: false` when none "
        "was written). NOT_FOUND for an unknown or hidden session.",
        extensions=[signed_in()],
    )
    async def service_summary(
        self,
        info: Info,
        session_id: Annotated[
            strawberry.ID, strawberry.argument(description="The chat session's id.")
        ],
    ) -> t.ServiceSummary:
        session, row = await summaries.summary_of(
            actor=info.context.actor, session_id=str(session_id)
        )
        return t.ServiceSummary.of(session, row)
