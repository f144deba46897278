"""GraphQL types of webhook endpoints, deliveries and attempts. The signing secret is never a
field: it is shown once, in the answer of the mutation that made it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from app.webhooks import models

DeliveryStatus = models.DeliveryStatus
strawberry.enum(
    DeliveryStatus,
    description="PENDING: due at nextAttemptAt (first try or a retry). DELIVERED: a 2xx answer. "
    "FAILED: given up (retries used up, or the endpoint answered 410).",
)


@strawberry.type(description="A customer system that receives call events, signed.")
class WebhookEndpoint:
    id: strawberry.ID = strawberry.field(description="The endpoint's id.")
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    description: str = strawberry.field(description="What it is for.")
    events: list[str] = strawberry.field(
        description="The event types it receives: call.incoming, call.ringing, call.answered, "
        "call.ended, call.ended_all."
    )
    enabled: bool = strawberry.field(description="False: nothing is sent to it.")
    disabled_reason: str | None = strawberry.field(
        description="Why deskql switched it off (410 Gone, or 5 days of failures)."
    )
    failing_since: datetime | None = strawberry.field(
        description="The first failed attempt since its last success (UTC)."
    )
    paused_until: datetime | None = strawberry.field(
        description="While it fails: when deskql tries it again (one delivery; the others "
        "wait for a success). sendTestWebhook and redeliverWebhook try it now."
    )
    previous_secret_expires_at: datetime | None = strawberry.field(
        description="After a rotation: until when the previous secret still signs too (UTC)."
    )
    created_at: datetime = strawberry.field(description="When it was registered (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_model(cls, row: models.WebhookEndpoint) -> WebhookEndpoint:
        return cls(
            id=strawberry.ID(str(row.id)),
            url=row.url,
            description=row.description,
            events=list(row.events),
            enabled=row.enabled,
            disabled_reason=row.disabled_reason,
            failing_since=row.failing_since,
            paused_until=row.paused_until,
            previous_secret_expires_at=row.previous_secret_until,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type(description="An endpoint with its signing secret: shown this once only.")
class WebhookEndpointWithSecret:
    endpoint: WebhookEndpoint = strawberry.field(description="The endpoint.")
    secret: str = strawberry.field(
        description="The whsec_ signing secret. Store it now: it is never shown again."
    )


@strawberry.type(description="One try at a delivery.")
class WebhookAttempt:
    attempted_at: datetime = strawberry.field(description="When (UTC).")
    status_code: int | None = strawberry.field(description="The HTTP answer; null: none came.")
    error: str | None = strawberry.field(description="What went wrong, if anything.")
    response_excerpt: str | None = strawberry.field(
        description="The first 500 characters of the answer's body."
    )
    duration_ms: int = strawberry.field(description="How long the try took.")
    next_attempt_at: datetime | None = strawberry.field(
        description="When the next try was scheduled; null when none was."
    )

    @classmethod
    def from_model(cls, row: models.WebhookAttempt) -> WebhookAttempt:
        return cls(
            attempted_at=row.attempted_at,
            status_code=row.status_code,
            error=row.error,
            response_excerpt=row.response_excerpt,
            duration_ms=row.duration_ms,
            next_attempt_at=row.next_attempt_at,
        )


@strawberry.type(description="One message owed to one endpoint, and every try at it.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="The delivery's id (for redeliverWebhook).")
    message_id: str = strawberry.field(
        description="The webhook-id header: the same on every try and every endpoint."
    )
    event_type: str = strawberry.field(description="e.g. call.answered, or webhook.test.")
    status: DeliveryStatus = strawberry.field(description="Where it stands.")
    attempt_count: int = strawberry.field(description="Tries so far (since the last redeliver).")
    next_attempt_at: datetime | None = strawberry.field(description="The next try (UTC).")
    last_status_code: int | None = strawberry.field(description="The last HTTP answer.")
    last_error: str | None = strawberry.field(description="What went wrong last, if anything.")
    created_at: datetime = strawberry.field(description="When it was owed (UTC).")
    delivered_at: datetime | None = strawberry.field(description="When a 2xx came (UTC).")
    payload: JSON = strawberry.field(description="The JSON body sent.")
    attempts: list[WebhookAttempt] = strawberry.field(description="Every try, oldest first.")

    @classmethod
    def of(
        cls, row: models.WebhookDelivery, attempts: list[models.WebhookAttempt]
    ) -> WebhookDelivery:
        return cls(
            id=strawberry.ID(str(row.id)),
            message_id=row.message_id,
            event_type=row.event_type,
            status=row.status,
            attempt_count=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_status_code=row.last_status_code,
            last_error=row.last_error,
            created_at=row.created_at,
            delivered_at=row.delivered_at,
            payload=cast(JSON, json.loads(row.payload)),
            attempts=[WebhookAttempt.from_model(a) for a in attempts],
        )
