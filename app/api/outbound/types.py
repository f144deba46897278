"""Types of the outbound-call flows."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import strawberry

from app.api.directory.types import Contact
from app.api.tickets.types import Ticket
from app.outbound import models, service

if TYPE_CHECKING:
    from app.api.context import Context


@strawberry.enum(description="What the call is logged on.")
class OutboundTicketChoice(Enum):
    EXISTING_TICKET = "EXISTING_TICKET"
    NEW_TICKET = "NEW_TICKET"
    NO_TICKET = "NO_TICKET"


@strawberry.type(description="A team's ticket-id entry (R-OUT-3).")
class OutboundTeamSettings:
    team_id: strawberry.ID = strawberry.field(description="The team.")
    ticket_id_enabled: bool = strawberry.field(description="Agents enter a ticket id to call.")
    ticket_id_required: bool = strawberry.field(description="A call needs a ticket id.")

    @classmethod
    def of(cls, row: models.OutboundTeam) -> OutboundTeamSettings:
        return cls(
            team_id=strawberry.ID(str(row.team_id)),
            ticket_id_enabled=row.ticket_id_enabled,
            ticket_id_required=row.ticket_id_required,
        )


@strawberry.type(description="The outbound form's operations settings (R-OUT-1).")
class OutboundSettings:
    prompt_ticket_choice: bool = strawberry.field(
        description="Agents choose among open tickets (off: the newest open one is used)."
    )
    allow_new_ticket: bool = strawberry.field(description="'Create new ticket' (when prompting).")
    allow_no_ticket: bool = strawberry.field(description="'No ticket' (no recording retrieval).")
    allow_entered_number: bool = strawberry.field(
        description="Calling a typed-in number (saved in a ticket note, not on the contact)."
    )
    teams: list[OutboundTeamSettings] = strawberry.field(
        description="The teams with a ticket-id setting."
    )

    @classmethod
    def of(cls, row: models.OutboundSettings, teams: list[models.OutboundTeam]) -> OutboundSettings:
        return cls(
            prompt_ticket_choice=row.prompt_ticket_choice,
            allow_new_ticket=row.allow_new_ticket,
            allow_no_ticket=row.allow_no_ticket,
            allow_entered_number=row.allow_entered_number,
            teams=[OutboundTeamSettings.of(t) for t in teams],
        )


@strawberry.type(description="What the agent adapter's outbound form shows (R-OUT-2).")
class OutboundCallOptions:
    contacts: list[Contact] = strawberry.field(description="Contacts with the number (0/1/many).")
    open_tickets: list[Ticket] = strawberry.field(
        description="The contact's new/open/pending/on-hold tickets the agent sees, newest first."
    )
    choices: list[OutboundTicketChoice] = strawberry.field(description="What may be chosen.")
    prompt: bool = strawberry.field(description="Whether the agent is asked to choose a ticket.")
    default_ticket: Ticket | None = strawberry.field(
        description="The ticket used when not prompting (the newest open one)."
    )
    number: str | None = strawberry.field(description="The number to dial, E.164; null: none.")
    placeholder: str = strawberry.field(description="Shown when there is no number.")
    allow_entered_number: bool = strawberry.field(
        description="Whether the agent may type in a number to call."
    )
    ticket_id_enabled: bool = strawberry.field(description="The agent's team enters ticket ids.")
    ticket_id_required: bool = strawberry.field(description="The agent's team must enter one.")
    warning: str | None = strawberry.field(description="Shown next to 'No ticket'.")

    @classmethod
    def of(cls, o: service.Options, ctx: Context) -> OutboundCallOptions:
        default = next((t for t in o.open_tickets if t.id == o.default_ticket_id), None)
        return cls(
            contacts=[Contact.from_model(c) for c in o.contacts],
            open_tickets=[Ticket.from_model(t, ctx) for t in o.open_tickets],
            choices=[OutboundTicketChoice(c.value) for c in o.choices],
            prompt=o.prompt,
            default_ticket=Ticket.from_model(default, ctx) if default else None,
            number=o.number,
            placeholder=o.placeholder,
            allow_entered_number=o.allow_entered_number,
            ticket_id_enabled=o.ticket_id_enabled,
            ticket_id_required=o.ticket_id_required,
            warning=o.warning,
        )


@strawberry.type(description="An outbound call the agent started.")
class OutboundCall:
    id: strawberry.ID = strawberry.field(description="The outbound call's id in deskql.")
    number: str = strawberry.field(description="The number dialled, E.164.")
    call_id: str | None = strawberry.field(description="The telephony system's id, when given.")
    contact_id: strawberry.ID | None = strawberry.field(description="The contact called, if any.")
    ticket_id: strawberry.ID | None = strawberry.field(description="Null: logged on no ticket.")
    entered_number: bool = strawberry.field(description="The agent typed the number in.")

    @classmethod
    def of(cls, row: models.OutboundCall) -> OutboundCall:
        def opt(value: int | None) -> strawberry.ID | None:
            return strawberry.ID(str(value)) if value is not None else None

        return cls(
            id=strawberry.ID(str(row.id)),
            number=row.phone,
            call_id=row.call_id,
            contact_id=opt(row.contact_id),
            ticket_id=opt(row.ticket_id),
            entered_number=row.entered_number,
        )
