"""Changing the outbound settings and starting an outbound call."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.ids import parse_id, parse_optional_id
from app.api.outbound import types as t
from app.api.outbound.queries import phone_field
from app.api.permissions import requires, signed_in
from app.outbound import service


@strawberry.input(description="Changes to the outbound settings: omitted fields stay.")
class OutboundSettingsInput:
    prompt_ticket_choice: bool | None = strawberry.field(
        default=None, description="Let agents choose among open tickets."
    )
    allow_new_ticket: bool | None = strawberry.field(
        default=None, description="Offer 'create new ticket' (when prompting)."
    )
    allow_no_ticket: bool | None = strawberry.field(default=None, description="Offer 'no ticket'.")
    allow_entered_number: bool | None = strawberry.field(
        default=None, description="Let agents call a typed-in number."
    )


@strawberry.input(description="The agent's choice on the outbound form.")
class StartOutboundCallInput:
    choice: t.OutboundTicketChoice = strawberry.field(description="What to log the call on.")
    phone: str | None = strawberry.field(default=None, description="The number to dial.")
    contact_id: strawberry.ID | None = strawberry.field(
        default=None, description="The contact to call."
    )
    ticket_id: strawberry.ID | None = strawberry.field(
        default=None, description="The ticket to log on (EXISTING_TICKET), or a team's ticket id."
    )
    entered_number: bool = strawberry.field(
        default=False, description="The agent typed a new number (not saved on the contact)."
    )
    from_contact: bool = strawberry.field(
        default=False, description="Click-to-dial from a contact's page."
    )
    call_id: str | None = strawberry.field(
        default=None, description="The telephony system's call id, when the adapter has it."
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Change the outbound form's settings. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def update_outbound_settings(
        self,
        input: Annotated[OutboundSettingsInput, strawberry.argument(description="The changes.")],
    ) -> t.OutboundSettings:
        row = await service.update_settings(
            prompt_ticket_choice=input.prompt_ticket_choice,
            allow_new_ticket=input.allow_new_ticket,
            allow_no_ticket=input.allow_no_ticket,
            allow_entered_number=input.allow_entered_number,
        )
        return t.OutboundSettings.of(row, await service.team_settings())

    @strawberry.mutation(
        description="A team's ticket-id entry (R-OUT-3). Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def set_team_outbound_settings(
        self,
        team_id: Annotated[strawberry.ID, strawberry.argument(description="The team.")],
        ticket_id_enabled: Annotated[
            bool, strawberry.argument(description="Its agents call by ticket id.")
        ],
        ticket_id_required: Annotated[
            bool, strawberry.argument(description="A ticket id is required.")
        ] = False,
    ) -> t.OutboundTeamSettings:
        row = await service.set_team(
            parse_id(team_id, field="teamId"),
            enabled=ticket_id_enabled,
            required=ticket_id_required,
        )
        return t.OutboundTeamSettings.of(row)

    @strawberry.mutation(
        description="Start an outbound call: the choice is checked against the settings and the "
        "data, the ticket made or linked (set open) and the call noted on it. Signed in.",
        extensions=[signed_in()],
    )
    async def start_outbound_call(
        self,
        info: Info,
        input: Annotated[StartOutboundCallInput, strawberry.argument(description="The choice.")],
    ) -> t.OutboundCall:
        row = await service.start(
            actor=info.context.actor,
            data=service.StartInput(
                choice=service.Choice(input.choice.value),
                phone=input.phone,
                contact_id=parse_optional_id(input.contact_id, field="contactId"),
                ticket_id=parse_optional_id(input.ticket_id, field="ticketId"),
                entered_number=input.entered_number,
                from_contact=input.from_contact,
                call_id=input.call_id,
            ),
            country_code=info.context.settings.phone_country_code,
            now=info.context.clock.now(),
            phone_field=await phone_field(),
        )
        return t.OutboundCall.of(row)
