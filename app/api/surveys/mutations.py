"""Satisfaction writes: survey settings (admins), the customer's survey answer (public: the
token is the permission), and rating imports (integrations)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.accounts.principal import Principal
from app.api.common import Channel, ImportResult
from app.api.permissions import requires
from app.api.surveys.types import SatisfactionLevel, TicketSatisfactionSettings
from app.surveys import ratings, ticket_surveys


@strawberry.input(description="A five-level rating (R-SAT-1) of a session or a call.")
class SatisfactionRatingInput:
    session_id: str | None = strawberry.field(default=None, description="The rated session.")
    main_call_id: str | None = strawberry.field(default=None, description="The rated call.")
    channel: Channel = strawberry.field(description="Where it was given.")
    level: SatisfactionLevel = strawberry.field(description="The rating.")
    comment: str | None = strawberry.field(default=None, description="Up to 1000 characters.")
    rated_at: datetime = strawberry.field(description="When, with a time zone.")
    agent_account: str | None = strawberry.field(default=None, description="Rated agent.")

    def to_domain(self) -> ratings.RatingInput:
        return ratings.RatingInput(
            session_id=self.session_id,
            main_call_id=self.main_call_id,
            channel=self.channel,
            level=self.level,
            comment=self.comment,
            rated_at=self.rated_at,
            agent_account=self.agent_account,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Set up ticket satisfaction. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def update_ticket_satisfaction_settings(
        self,
        info: Info,
        enabled: Annotated[bool, strawberry.argument(description="Send invitations.")],
        channels: Annotated[
            list[Channel], strawberry.argument(description="Ticket channels that get invitations.")
        ],
        question: Annotated[str, strawberry.argument(description="1-500 characters.")],
        valid_days: Annotated[
            int, strawberry.argument(description="Days a link stays valid, 1-365.")
        ] = 30,
    ) -> TicketSatisfactionSettings:
        row = await ticket_surveys.update_settings(
            actor=info.context.actor,
            enabled=enabled,
            channels=list(channels),
            question=question,
            valid_days=valid_days,
        )
        return TicketSatisfactionSettings.from_model(row)

    @strawberry.mutation(
        description="The customer's answer to a ticket survey. Public: the "
        "token is the permission. Answering again replaces the "
        "answer; unknown or expired tokens are SURVEY_UNAVAILABLE."
    )
    async def submit_ticket_satisfaction(
        self,
        info: Info,
        token: Annotated[str, strawberry.argument(description="From the survey link.")],
        score: Annotated[int, strawberry.argument(description="1-5.")],
        comment: Annotated[
            str | None, strawberry.argument(description="Up to 1000 characters.")
        ] = None,
    ) -> bool:
        await ticket_surveys.submit(
            actor=info.context.principal or Principal.customer(),
            token=token,
            score=score,
            comment=comment,
            secret_key=info.context.settings.secret_key,
        )
        return True


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        description="Import session/call ratings (one per session or call; a "
        "new one replaces the old). Requires `integration.write`.",
        extensions=[requires(Permission.INTEGRATION_WRITE)],
    )
    async def import_satisfaction_ratings(
        self,
        info: Info,
        ratings_: Annotated[
            list[SatisfactionRatingInput],
            strawberry.argument(name="ratings", description="The ratings."),
        ],
    ) -> ImportResult:
        return ImportResult.of(
            await ratings.import_ratings(
                actor=info.context.actor, items=[r.to_domain() for r in ratings_]
            )
        )
