"""Reads of the ticket satisfaction settings."""

from __future__ import annotations

import strawberry

from app.accounts.permissions import Permission
from app.api.permissions import requires
from app.api.surveys.types import TicketSatisfactionSettings
from app.surveys import ticket_surveys


@strawberry.type
class Query:
    @strawberry.field(
        description="Ticket satisfaction settings. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def ticket_satisfaction_settings(self) -> TicketSatisfactionSettings:
        return TicketSatisfactionSettings.from_model(await ticket_surveys.settings())
