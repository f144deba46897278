"""GraphQL types of satisfaction: levels, ticket surveys and their settings."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.api.common import Channel
from app.channels import Channel as ChannelEnum
from app.surveys import models, ticket_surveys

SatisfactionLevel = models.SatisfactionLevel
strawberry.enum(SatisfactionLevel, description="The five satisfaction levels (R-SAT-1).")


@strawberry.type(description="A ticket's satisfaction survey (R-SAT-2).")
class TicketSatisfaction:
    channel: Channel = strawberry.field(description="Where the invitation was sent.")
    invited_at: datetime = strawberry.field(description="When (UTC).")
    expires_at: datetime = strawberry.field(description="The link stops working then (UTC).")
    score: int | None = strawberry.field(description="1-5, null until answered.")
    comment: str | None = strawberry.field(description="The customer's comment.")
    rated_at: datetime | None = strawberry.field(description="Last answer (UTC).")
    _row: strawberry.Private[models.TicketSatisfactionInvitation]

    @classmethod
    def from_model(cls, row: models.TicketSatisfactionInvitation) -> TicketSatisfaction:
        return cls(
            channel=row.channel,
            invited_at=row.invited_at,
            expires_at=row.expires_at,
            score=row.score,
            comment=row.comment,
            rated_at=row.rated_at,
            _row=row,
        )

    @strawberry.field(description="The H5 survey page for the customer.")
    def survey_url(self, info: Info) -> str:
        settings = info.context.settings
        return ticket_surveys.survey_url(
            self._row.id, public_url=settings.public_url, secret_key=settings.secret_key
        )


@strawberry.type(description="Ticket satisfaction settings (R-SAT-2).")
class TicketSatisfactionSettings:
    enabled: bool = strawberry.field(description="Invitations are sent only when enabled.")
    channels: list[Channel] = strawberry.field(
        description="Tickets from these channels get an invitation when solved."
    )
    question: str = strawberry.field(description="The question the survey page asks.")
    valid_days: int = strawberry.field(description="Days a survey link stays valid.")

    @classmethod
    def from_model(cls, row: models.TicketSatisfactionSettings) -> TicketSatisfactionSettings:
        return cls(
            enabled=row.enabled,
            channels=[ChannelEnum(c) for c in row.channels],
            question=row.question,
            valid_days=row.valid_days,
        )
