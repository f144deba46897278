"""Registering and looking after webhook endpoints (`settings.manage`)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.args import Id
from app.api.ids import parse_id
from app.api.permissions import requires
from app.api.webhooks import types as t
from app.checks import UNCHANGED
from app.parsing import MAX_BIG_ID
from app.webhooks import service


@strawberry.input(description="A new webhook endpoint.")
class WebhookEndpointInput:
    url: str = strawberry.field(
        description="http or https; must resolve to public addresses only (loopback and "
        "private ones need DESKQL_WEBHOOK_ALLOW_PRIVATE)."
    )
    events: list[str] = strawberry.field(
        description="Event types: call.incoming, call.ringing, call.answered, call.ended, "
        "call.ended_all."
    )
    description: str = strawberry.field(default="", description="Up to 500 characters.")
    enabled: bool = strawberry.field(default=True, description="False: registered, not sent.")


@strawberry.input(description="Changes to an endpoint: omitted fields stay as they are.")
class WebhookEndpointChanges:
    url: str | None = strawberry.field(default=None, description="A new URL.")
    events: list[str] | None = strawberry.field(default=None, description="New event types.")
    description: str | None = strawberry.field(default=None, description="A new description.")
    enabled: bool | None = strawberry.field(
        default=None,
        description="Switch on (a fresh start: the failure record is cleared) or off.",
    )


EndpointId = Annotated[strawberry.ID, strawberry.argument(description="The endpoint's id.")]


def _private(info: Info) -> bool:
    return info.context.settings.webhook_allow_private


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Register an endpoint for call events. The answer holds its signing "
        "secret, shown this once. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def create_webhook_endpoint(
        self,
        info: Info,
        input: Annotated[
            WebhookEndpointInput, strawberry.argument(description="The endpoint's fields.")
        ],
    ) -> t.WebhookEndpointWithSecret:
        endpoint = await service.create(
            actor=info.context.actor,
            url=input.url,
            events=input.events,
            description=input.description,
            enabled=input.enabled,
            allow_private=_private(info),
        )
        return t.WebhookEndpointWithSecret(
            endpoint=t.WebhookEndpoint.from_model(endpoint), secret=endpoint.secret
        )

    @strawberry.mutation(
        description="Change an endpoint. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def update_webhook_endpoint(
        self,
        info: Info,
        id: EndpointId,
        changes: Annotated[
            WebhookEndpointChanges, strawberry.argument(description="What to change.")
        ],
    ) -> t.WebhookEndpoint:
        def given(value):
            return UNCHANGED if value is None else value

        endpoint = await service.update(
            actor=info.context.actor,
            endpoint_id=parse_id(id),
            changes=service.EndpointChanges(
                url=given(changes.url),
                events=given(changes.events),
                description=given(changes.description),
                enabled=given(changes.enabled),
            ),
            allow_private=_private(info),
        )
        return t.WebhookEndpoint.from_model(endpoint)

    @strawberry.mutation(
        description="A new signing secret (shown this once). For 24 hours deliveries carry "
        "signatures by both the old and the new secret, so receivers can switch without losing "
        "any. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def rotate_webhook_secret(
        self, info: Info, id: EndpointId
    ) -> t.WebhookEndpointWithSecret:
        endpoint = await service.rotate_secret(
            actor=info.context.actor, endpoint_id=parse_id(id), clock=info.context.clock
        )
        return t.WebhookEndpointWithSecret(
            endpoint=t.WebhookEndpoint.from_model(endpoint), secret=endpoint.secret
        )

    @strawberry.mutation(
        description="Delete an endpoint with its deliveries. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def delete_webhook_endpoint(self, info: Info, id: EndpointId) -> bool:
        await service.delete(actor=info.context.actor, endpoint_id=parse_id(id))
        return True

    @strawberry.mutation(
        description="Send a `webhook.test` message to the endpoint now (CONFLICT when it is "
        "switched off). Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def send_test_webhook(self, info: Info, id: EndpointId) -> t.WebhookDelivery:
        delivery = await service.send_test(
            actor=info.context.actor, endpoint_id=parse_id(id), clock=info.context.clock
        )
        return t.WebhookDelivery.of(delivery, [])

    @strawberry.mutation(
        description="Send a delivery again, now, with a new round of retries (the same "
        "webhook-id). Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def redeliver_webhook(self, info: Info, delivery_id: Id) -> t.WebhookDelivery:
        delivery = await service.redeliver(
            actor=info.context.actor,
            delivery_id=parse_id(delivery_id, field="deliveryId", highest=MAX_BIG_ID),
            clock=info.context.clock,
        )
        attempts = await service.attempts_by_delivery([delivery.id])
        return t.WebhookDelivery.of(delivery, attempts[delivery.id])
