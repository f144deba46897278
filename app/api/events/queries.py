"""The domain event log and its consumers, for administrators (`settings.manage`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, cast

import strawberry
from strawberry.scalars import JSON

from app.accounts.permissions import Permission
from app.api.args import First
from app.api.ids import parse_id
from app.api.permissions import requires
from app.checks import aware
from app.events import consumers, log
from app.pagination import check_page_size
from app.parsing import MAX_BIG_ID


@strawberry.type(description="One entry of the domain event log.")
class DomainEvent:
    id: strawberry.ID = strawberry.field(description="Position in the log (increasing).")
    topic: str = strawberry.field(description="What happened, e.g. `call.answered`.")
    subject_id: str | None = strawberry.field(description="The main call, ticket or session.")
    payload: JSON = strawberry.field(description="The event's data.")
    occurred_at: datetime = strawberry.field(description="When it was logged (UTC).")
    actor: str = strawberry.field(
        description=(
            "Who caused it: `account:<id>`, or the part of deskql or the integration that acted "
            "(e.g. `zendesk`, `cli`, `customer`)."
        )
    )
    source: str = strawberry.field(
        description=(
            "Through what it arrived: graphql, import, live, zendesk, webhook, public or system."
        )
    )


@strawberry.type(description="A consumer of the domain event log and how far behind it is.")
class EventConsumer:
    name: str = strawberry.field(description="The consumer, e.g. `zendesk`.")
    position: strawberry.ID = strawberry.field(description="The last event id it handled.")
    lag: int = strawberry.field(description="Events logged after its position.")
    updated_at: datetime = strawberry.field(description="When its cursor last moved (UTC).")


@strawberry.type
class Query:
    @strawberry.field(
        description="The domain event log after `after` (an event id) and after the instant "
        "`occurredAfter`, oldest first, at most 100. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def domain_events(
        self,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="An event id; omit to start at the beginning."),
        ] = None,
        first: First = 50,
        occurred_after: Annotated[
            datetime | None,
            strawberry.argument(
                description="Only events logged after this instant (any offset, e.g. "
                "2026-03-02T18:00:00+08:00)."
            ),
        ] = None,
    ) -> list[DomainEvent]:
        check_page_size(first)
        start = 0 if after is None else parse_id(after, field="after", highest=MAX_BIG_ID)
        since = aware(occurred_after, "occurredAfter")
        rows = await log.read(after=start, limit=first, since=since)
        return [
            DomainEvent(
                id=strawberry.ID(str(r.id)),
                topic=r.topic,
                subject_id=r.subject_id,
                payload=cast(JSON, r.payload),
                occurred_at=r.occurred_at,
                actor=r.actor,
                source=r.source,
            )
            for r in rows
        ]

    @strawberry.field(
        description="Every consumer of the event log with its lag. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def event_consumers(self) -> list[EventConsumer]:
        return [
            EventConsumer(
                name=c.name,
                position=strawberry.ID(str(c.position)),
                lag=c.lag,
                updated_at=c.updated_at,
            )
            for c in await consumers.states()
        ]
