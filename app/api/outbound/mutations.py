"""Changing the outbound settings and starting an outbound call."""

from __future__ import annotations

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
    prompt_ticket_choice: bool | None = None
    allow_new_ticket: bool | None = None
    allow_no_ticket: bool | None = None
    allow_entered_number: bool | None = None


@strawberry.input(description="The agent's choice on the outbound form.")
class StartOutboundCallInput:
    choice: t.OutboundTicketChoice = strawberry.field(description="What to log the call on.")
    phone: str | None = strawberry.field(default=None, description="The number to dial.")
    contact_id: strawberry.ID | None = None
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
    async def update_outbound_settings(self, input: OutboundSettingsInput) -> t.OutboundSettings:
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
        self, team_id: strawberry.ID, ticket_id_enabled: bool, ticket_id_required: bool = False
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
        self, info: Info, input: StartOutboundCallInput
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
