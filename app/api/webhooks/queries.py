"""Reading webhook endpoints and their deliveries (`settings.manage`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from app.accounts.permissions import Permission
from app.api.args import After, First
from app.api.ids import parse_id
from app.api.pagination import Connection, to_connection
from app.api.permissions import requires
from app.api.webhooks import types as t
from app.checks import aware
from app.errors import InvalidInput
from app.pagination import Order, paginate
from app.webhooks import service
from app.webhooks.payloads import EVENT_TYPES, TEST_EVENT

NEWEST_FIRST = Order("NEWEST_FIRST", descending=True)


@strawberry.input(description="Conditions on deliveries.")
class WebhookDeliveryFilter:
    status: t.DeliveryStatus | None = strawberry.field(default=None, description="Only these.")
    event_type: str | None = strawberry.field(default=None, description="e.g. call.ended.")
    created_after: datetime | None = strawberry.field(
        default=None, description="Only deliveries owed at or after this instant."
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="Every webhook endpoint, oldest first. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def webhook_endpoints(self) -> list[t.WebhookEndpoint]:
        return [t.WebhookEndpoint.from_model(e) for e in await service.endpoints()]

    @strawberry.field(
        description="An endpoint's deliveries, newest first, with every attempt. "
        "Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def webhook_deliveries(
        self,
        endpoint_id: Annotated[strawberry.ID, strawberry.argument(description="The endpoint.")],
        filter: Annotated[
            WebhookDeliveryFilter | None, strawberry.argument(description="Optional conditions.")
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[t.WebhookDelivery]:
        endpoint = await service.get(parse_id(endpoint_id, field="endpointId"))
        flt = filter or WebhookDeliveryFilter()
        if flt.event_type is not None and flt.event_type not in (*EVENT_TYPES, TEST_EVENT):
            raise InvalidInput(f"Unknown event type {flt.event_type!r}.", field="filter.eventType")
        query = service.deliveries(
            endpoint_id=endpoint.id,
            status=flt.status,
            event_type=flt.event_type,
            since=aware(flt.created_after, "filter.createdAfter"),
        )
        page = await paginate(query, first=first, after=after, order=NEWEST_FIRST)
        attempts = await service.attempts_by_delivery([d.id for d in page.items])
        return to_connection(page, lambda d: t.WebhookDelivery.of(d, attempts[d.id]))
