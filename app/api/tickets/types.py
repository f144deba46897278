"""GraphQL types of tickets. Nested objects come through the request's loaders."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.api.common import Channel, CustomField, custom_fields, gid
from app.api.directory.types import AgentRef, Contact, Queue, load_agent, load_contact, load_queue
from app.api.surveys.types import TicketSatisfaction
from app.api.zendesk.types import TicketZendesk
from app.tickets import models

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
    _row: strawberry.Private[models.TicketComment]

    @classmethod
    def from_model(cls, row: models.TicketComment) -> TicketComment:
        return cls(
            id=gid(row.id), body=row.body, public=row.public, created_at=row.created_at, _row=row
        )

    @strawberry.field(description="Who wrote it (null for a removed account).")
    async def author(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._row.author_id)


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
    _row: strawberry.Private[models.Ticket]

    @classmethod
    def from_model(cls, row: models.Ticket) -> Ticket:
        return cls(
            id=gid(row.id),
            subject=row.subject,
            description=row.description,
            status=row.status,
            channel=row.channel,
            menu_selection=row.menu_selection,
            custom_fields=custom_fields(row.custom_fields),
            solved_at=row.solved_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            _row=row,
        )

    @strawberry.field(description="The customer who asked.")
    async def requester(self, info: Info) -> Contact | None:
        return await load_contact(info, self._row.requester_id)

    @strawberry.field(description="The agent the ticket is assigned to.")
    async def assignee(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._row.assignee_id)

    @strawberry.field(description="The queue chosen, if any.")
    async def queue(self, info: Info) -> Queue | None:
        return await load_queue(info, self._row.queue_id)

    @strawberry.field(description="The ticket this one was merged into (it is then CLOSED).")
    def merged_into_id(self) -> strawberry.ID | None:
        merged = self._row.merged_into_id
        return gid(merged) if merged else None

    @strawberry.field(description="Comments, oldest first, internal notes included.")
    async def comments(self, info: Info) -> list[TicketComment]:
        rows = await info.context.comments_by_ticket.load(self._row.id)
        return [TicketComment.from_model(r) for r in rows]

    @strawberry.field(description="The satisfaction survey sent when the ticket was solved.")
    async def satisfaction(self, info: Info) -> TicketSatisfaction | None:
        row = await info.context.surveys_by_ticket.load(self._row.id)
        return TicketSatisfaction.from_model(row) if row else None

    @strawberry.field(description="Its Zendesk twin, once the sync has met it.")
    async def zendesk(self, info: Info) -> TicketZendesk | None:
        link = await info.context.zendesk_by_ticket.load(self._row.id)
        return TicketZendesk.of(link) if link else None
