"""Ticket edits: create, update, change status, comment, merge."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.api.args import Id
from app.api.common import Channel, CustomFieldInput, custom_pairs
from app.api.ids import parse_id, parse_optional_id
from app.api.permissions import signed_in
from app.api.tickets import types as t
from app.channels import Channel as ChannelEnum
from app.tickets import service


@strawberry.input(description="A new ticket.")
class CreateTicketInput:
    subject: str = strawberry.field(description="1-200 characters.")
    description: str = strawberry.field(default="", description="The request, plain text.")
    channel: Channel = strawberry.field(default=ChannelEnum.WEB, description="Origin.")
    requester_id: strawberry.ID | None = strawberry.field(default=None, description="A contact.")
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None,
        description=(
            "Defaults to the caller for agents; others than yourself need `tickets.manage`."
        ),
    )
    queue_id: strawberry.ID | None = strawberry.field(default=None, description="A queue.")
    menu_selection: str | None = strawberry.field(default=None, description="IVR/menu choice.")
    custom_fields: list[CustomFieldInput] | None = strawberry.field(
        default=None, description="Custom field values."
    )

    def to_domain(self) -> service.TicketInput:
        return service.TicketInput(
            subject=self.subject,
            description=self.description,
            channel=self.channel,
            requester_id=parse_optional_id(self.requester_id, field="requesterId"),
            assignee_id=parse_optional_id(self.assignee_id, field="assigneeId"),
            queue_id=parse_optional_id(self.queue_id, field="queueId"),
            menu_selection=self.menu_selection,
            custom_fields=custom_pairs(self.custom_fields),
        )


@strawberry.input(description="Changes to a ticket; omitted fields stay as they are.")
class UpdateTicketInput:
    subject: str | None = strawberry.field(default=None, description="1-200 characters.")
    description: str | None = strawberry.field(default=None, description="The request.")
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None, description=("New assignee (`tickets.manage`).")
    )
    unassign: bool = strawberry.field(default=False, description="Remove the assignee.")
    custom_fields: list[CustomFieldInput] | None = strawberry.field(
        default=None, description="Replaces all custom field values."
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create a ticket. Signed in; an agent's ticket is assigned to them.",
        extensions=[signed_in()],
    )
    async def create_ticket(
        self,
        info: Info,
        input: Annotated[CreateTicketInput, strawberry.argument(description="The ticket.")],
    ) -> t.Ticket:
        row = await service.create_ticket(actor=info.context.actor, data=input.to_domain())
        return t.Ticket.from_model(row, info.context)

    @strawberry.mutation(
        description="Change a visible ticket. Reassigning needs "
        "`tickets.manage`; a CLOSED ticket cannot change.",
        extensions=[signed_in()],
    )
    async def update_ticket(
        self,
        info: Info,
        id: Id,
        input: Annotated[UpdateTicketInput, strawberry.argument(description="The changes.")],
    ) -> t.Ticket:
        row = await service.update_ticket(
            actor=info.context.actor,
            ticket_id=parse_id(id),
            subject=input.subject,
            description=input.description,
            assignee_id=parse_optional_id(input.assignee_id, field="assigneeId"),
            unassign=input.unassign,
            custom_fields=custom_pairs(input.custom_fields),
        )
        return t.Ticket.from_model(row, info.context)

    @strawberry.mutation(
        description="Move a visible ticket to another status, following the "
        "transition table (INVALID_TRANSITION otherwise). Solving "
        "sends the satisfaction invitation when enabled.",
        extensions=[signed_in()],
    )
    async def change_ticket_status(
        self,
        info: Info,
        id: Id,
        status: Annotated[t.TicketStatus, strawberry.argument(description="The new status.")],
    ) -> t.Ticket:
        settings = info.context.settings
        row = await service.change_status(
            actor=info.context.actor,
            ticket_id=parse_id(id),
            status=status,
            public_url=settings.public_url,
            secret_key=settings.secret_key,
        )
        return t.Ticket.from_model(row, info.context)

    @strawberry.mutation(description="Comment on a visible ticket.", extensions=[signed_in()])
    async def add_ticket_comment(
        self,
        info: Info,
        id: Id,
        body: Annotated[str, strawberry.argument(description="1-20000 characters.")],
        public: Annotated[
            bool, strawberry.argument(description="False for an internal note.")
        ] = False,
    ) -> t.TicketComment:
        row = await service.add_comment(
            actor=info.context.actor, ticket_id=parse_id(id), body=body, public=public
        )
        return t.TicketComment.from_model(row, info.context)

    @strawberry.mutation(
        description="Merge a ticket into another: the source is CLOSED with "
        "`mergedIntoId`, its comments copied as internal notes.",
        extensions=[signed_in()],
    )
    async def merge_tickets(
        self,
        info: Info,
        source_id: Annotated[
            strawberry.ID, strawberry.argument(description="The ticket to close.")
        ],
        target_id: Annotated[
            strawberry.ID, strawberry.argument(description="The ticket that remains.")
        ],
    ) -> t.Ticket:
        row = await service.merge(
            actor=info.context.actor,
            source_id=parse_id(source_id, field="sourceId"),
            target_id=parse_id(target_id, field="targetId"),
        )
        return t.Ticket.from_model(row, info.context)
