"""GraphQL types of tickets: declarations. graphql-core walks the plain views of
app/api/tickets/views.py, whose nested objects a list fetched for its page or the request's
loaders serve."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

import strawberry

from app.api.common import Channel, CustomField
from app.api.directory.types import AgentRef, Contact, Queue
from app.api.surveys.types import TicketSatisfaction
from app.api.tickets.views import CommentView, TicketView
from app.api.zendesk.types import TicketZendesk
from app.tickets import models

if TYPE_CHECKING:
    from app.api.context import Context

TicketStatus = models.TicketStatus
strawberry.enum(
    TicketStatus,
    description=(
        "Ticket status. Allowed moves: NEW -> any but NEW, OPEN/PENDING/HOLD -> each other, SOLVED "
        "or CLOSED, SOLVED -> OPEN or CLOSED. CLOSED is final."
    ),
)


@strawberry.type(description="A ticket comment: public (the customer sees it) or internal.")
class TicketComment:
    id: strawberry.ID = strawberry.field(description="The comment's id.")
    body: str = strawberry.field(description="Plain text.")
    public: bool = strawberry.field(description="False for an internal note.")
    created_at: datetime = strawberry.field(description="When it was written (UTC).")
    author: AgentRef | None = strawberry.field(
        description="Who wrote it (null for a removed account)."
    )

    @staticmethod
    def from_model(row: models.TicketComment, ctx: Context) -> TicketComment:
        """What graphql-core walks for this comment (app/api/tickets/views.py)."""
        return cast(TicketComment, CommentView.from_model(row, ctx))


@strawberry.type(description="A ticket (R-CC-2).")
class Ticket:
    id: strawberry.ID = strawberry.field(description="The ticket's id.")
    subject: str = strawberry.field(description="1-200 characters.")
    description: str = strawberry.field(description="The customer's request.")
    status: TicketStatus = strawberry.field(description="Where the ticket stands.")
    channel: Channel = strawberry.field(description="Where the ticket came from.")
    menu_selection: str | None = strawberry.field(description="The IVR or menu choice, if any.")
    custom_fields: list[CustomField] = strawberry.field(description="Custom field values.")
    solved_at: datetime | None = strawberry.field(description="When it was last solved (UTC).")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="Last change (UTC).")
    requester: Contact | None = strawberry.field(description="The customer who asked.")
    assignee: AgentRef | None = strawberry.field(description="The agent the ticket is assigned to.")
    queue: Queue | None = strawberry.field(description="The queue chosen, if any.")
    merged_into_id: strawberry.ID | None = strawberry.field(
        description="The ticket this one was merged into (it is then CLOSED)."
    )
    comments: list[TicketComment] = strawberry.field(
        description="Comments, oldest first, internal notes included."
    )
    satisfaction: TicketSatisfaction | None = strawberry.field(
        description="The satisfaction survey sent when the ticket was solved."
    )
    zendesk: TicketZendesk | None = strawberry.field(
        description="Its Zendesk twin, once the sync has met it."
    )

    @staticmethod
    def from_model(row: models.Ticket, ctx: Context) -> Ticket:
        """What graphql-core walks for this ticket (app/api/tickets/views.py)."""
        return cast(Ticket, TicketView.from_model(row, ctx))
