"""Reads of tickets, filtered by who asks."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.api.args import After, First, Id
from app.api.ids import parse_id
from app.api.lists import ORDERS, TicketOrder
from app.api.pagination import Connection
from app.api.permissions import signed_in
from app.api.telephony.inputs import optional_days
from app.api.tickets import types as t
from app.api.tickets.views import SHAPE
from app.api.views import page_of
from app.tickets.visibility import visible_tickets


@strawberry.input(description="Which tickets to list.")
class TicketFilter:
    statuses: list[t.TicketStatus] | None = strawberry.field(default=None, description="Statuses.")
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description="Assignee.")
    requester_id: strawberry.ID | None = strawberry.field(default=None, description="Requester.")
    from_: date | None = strawberry.field(
        name="from",
        default=None,
        description="First day of creation, inclusive, in the business time zone.",
    )
    to: date | None = strawberry.field(default=None, description="Last day, inclusive.")


@strawberry.type
class Query:
    @strawberry.field(
        description="Tickets in `orderBy` order (newest first unless asked otherwise): an "
        "agent sees those assigned to them, `tickets.manage` sees all.",
        extensions=[signed_in()],
    )
    async def tickets(
        self,
        info: Info,
        filter: Annotated[
            TicketFilter | None, strawberry.argument(description="Optional conditions.")
        ] = None,
        first: First = 20,
        after: After = None,
        order_by: Annotated[
            TicketOrder, strawberry.argument(description="The order; cursors keep to it.")
        ] = TicketOrder.CREATED_AT_DESC,
    ) -> Connection[t.Ticket]:
        query = visible_tickets(info.context.actor)
        if filter is not None:
            if filter.statuses is not None:
                query = query.filter(status__in=list(filter.statuses))
            if filter.assignee_id is not None:
                query = query.filter(assignee_id=parse_id(filter.assignee_id, field="assigneeId"))
            if filter.requester_id is not None:
                query = query.filter(
                    requester_id=parse_id(filter.requester_id, field="requesterId")
                )
            rng = optional_days(info, filter.from_, filter.to)
            if rng is not None:
                query = query.filter(created_at__gte=rng.start, created_at__lt=rng.end)
        return await page_of(info, query, SHAPE, first=first, after=after, order=ORDERS[order_by])

    @strawberry.field(description="One visible ticket, or null.", extensions=[signed_in()])
    async def ticket(self, info: Info, id: Id) -> t.Ticket | None:
        row = await visible_tickets(info.context.actor).filter(id=parse_id(id)).first()
        return t.Ticket.from_model(row, info.context) if row else None
