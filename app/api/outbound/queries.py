"""Reading the outbound-call settings and the form's options."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.ids import parse_optional_id
from app.api.outbound import types as t
from app.api.permissions import requires, signed_in
from app.outbound import service
from app.zendesk.service import get_settings as zendesk_settings


async def phone_field() -> str | None:
    """The custom data key of the Zendesk field that holds a ticket's phone number (R-OUT-3)."""
    row = await zendesk_settings()
    if row.outbound_phone_field_id is None:
        return None
    for key, field_id in (row.field_mapping or {}).items():
        if int(field_id) == row.outbound_phone_field_id:
            return str(key)
    return None


@strawberry.type
class Query:
    @strawberry.field(
        description="The outbound form's settings. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def outbound_settings(self) -> t.OutboundSettings:
        return t.OutboundSettings.of(await service.get_settings(), await service.team_settings())

    @strawberry.field(
        description="What the outbound form shows for a number, a contact or a ticket id "
        "(R-OUT-2). Signed in: the tickets are those the caller sees.",
        extensions=[signed_in()],
    )
    async def outbound_call_options(
        self,
        info: Info,
        phone: Annotated[
            str | None, strawberry.argument(description="A number the agent typed or chose.")
        ] = None,
        contact_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The contact to call.")
        ] = None,
        ticket_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="A ticket id (teams that call by ticket id)."),
        ] = None,
    ) -> t.OutboundCallOptions:
        options = await service.options(
            actor=info.context.actor,
            phone=phone,
            contact_id=parse_optional_id(contact_id, field="contactId"),
            ticket_id=parse_optional_id(ticket_id, field="ticketId"),
            country_code=info.context.settings.phone_country_code,
            phone_field=await phone_field(),
        )
        return t.OutboundCallOptions.of(options, info.context)
