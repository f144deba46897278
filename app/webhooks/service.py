"""Webhook endpoints as administrators keep them (``settings.manage``): register, change,
rotate the secret, delete, send a test, look at deliveries and send one again."""

from __future__ import annotations

import secrets as random
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.checks import UNCHANGED, Unchanged
from app.delivery import outbound
from app.delivery.clock import Clock
from app.errors import Conflict, InvalidInput, NotFound
from app.webhooks import fanout, models, payloads, signing

ROTATION_OVERLAP = timedelta(hours=24)
MAX_ENDPOINTS = 50


@dataclass(frozen=True)
class EndpointChanges:
    url: str | Unchanged = UNCHANGED
    events: list[str] | Unchanged = UNCHANGED
    description: str | Unchanged = UNCHANGED
    enabled: bool | Unchanged = UNCHANGED


def _events(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(payloads.EVENT_TYPES))
    if unknown:
        raise InvalidInput(
            f"Unknown event {unknown[0]!r}: the events are {', '.join(payloads.EVENT_TYPES)}.",
            field="events",
        )
    if not events:
        raise InvalidInput("Choose at least one event.", field="events")
    return sorted(set(events), key=payloads.EVENT_TYPES.index)


def _description(text: str) -> str:
    text = (text or "").strip()
    if len(text) > 500:
        raise InvalidInput("A description is at most 500 characters.", field="description")
    return text


async def _url(url: str, allow_private: bool) -> str:
    try:
        await outbound.check(url, allow_private=allow_private)
    except outbound.UnsafeTarget as exc:
        raise InvalidInput(str(exc), field="url") from None
    return url.strip()


async def endpoints() -> list[models.WebhookEndpoint]:
    return await models.WebhookEndpoint.all().order_by("id")


async def get(endpoint_id: int) -> models.WebhookEndpoint:
    endpoint = await models.WebhookEndpoint.get_or_none(id=endpoint_id)
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


async def create(
    *,
    actor: Principal,
    url: str,
    events: list[str],
    description: str,
    enabled: bool,
    allow_private: bool,
) -> models.WebhookEndpoint:
    """The endpoint, with its signing secret (shown to the caller this once)."""
    chosen, text = _events(events), _description(description)
    checked = await _url(url, allow_private)
    if await models.WebhookEndpoint.all().count() >= MAX_ENDPOINTS:
        raise InvalidInput(f"At most {MAX_ENDPOINTS} endpoints.", field="url")
    return await models.WebhookEndpoint.create(
        url=checked,
        events=chosen,
        description=text,
        enabled=enabled,
        secret=signing.new_secret(),
    )


async def update(
    *, actor: Principal, endpoint_id: int, changes: EndpointChanges, allow_private: bool
) -> models.WebhookEndpoint:
    endpoint = await get(endpoint_id)
    values: dict = {}
    if not isinstance(changes.url, Unchanged):
        values["url"] = await _url(changes.url, allow_private)
    if not isinstance(changes.events, Unchanged):
        values["events"] = _events(changes.events)
    if not isinstance(changes.description, Unchanged):
        values["description"] = _description(changes.description)
    if not isinstance(changes.enabled, Unchanged):
        values["enabled"] = changes.enabled
        if changes.enabled:  # switched on again: a fresh start
            values.update(disabled_reason=None, failing_since=None, paused_until=None)
    endpoint.update_from_dict(values)
    await endpoint.save()
    return endpoint


async def rotate_secret(
    *, actor: Principal, endpoint_id: int, clock: Clock
) -> models.WebhookEndpoint:
    """A new secret; the old one still signs (beside it) for 24 h."""
    endpoint = await get(endpoint_id)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = clock.now() + ROTATION_OVERLAP
    endpoint.secret = signing.new_secret()
    await endpoint.save()
    return endpoint


async def delete(*, actor: Principal, endpoint_id: int) -> None:
    endpoint = await get(endpoint_id)
    await endpoint.delete()  # its deliveries and attempts go with it


async def send_test(*, actor: Principal, endpoint_id: int, clock: Clock) -> models.WebhookDelivery:
    endpoint = await get(endpoint_id)
    if not endpoint.enabled:
        raise Conflict("The endpoint is switched off: switch it on to send it anything.")
    now = clock.now()
    message = payloads.test_message(endpoint.id, now, random.token_hex(8))
    async with in_transaction():
        await fanout.owe(message, [endpoint], now)
        await models.WebhookEndpoint.filter(id=endpoint.id).update(paused_until=None)
    return await models.WebhookDelivery.get(endpoint_id=endpoint.id, message_id=message.message_id)


async def redeliver(*, actor: Principal, delivery_id: int, clock: Clock) -> models.WebhookDelivery:
    """Owe it again, now: a failed delivery gets a new round of retries (same webhook-id)."""
    delivery = await models.WebhookDelivery.get_or_none(id=delivery_id)
    if delivery is None:
        raise NotFound("No such delivery.")
    delivery.status = models.DeliveryStatus.PENDING
    delivery.next_attempt_at = clock.now()
    delivery.attempts = 0
    async with in_transaction():
        await delivery.save()
        # Asked for now: a paused (failing) endpoint is tried again now too.
        await models.WebhookEndpoint.filter(id=delivery.endpoint_id).update(paused_until=None)
    return delivery


def deliveries(
    *,
    endpoint_id: int,
    status: models.DeliveryStatus | None,
    event_type: str | None,
    since: datetime | None,
) -> QuerySet[models.WebhookDelivery]:
    query = models.WebhookDelivery.filter(endpoint_id=endpoint_id)
    if status is not None:
        query = query.filter(status=status)
    if event_type is not None:
        query = query.filter(event_type=event_type)
    if since is not None:
        query = query.filter(created_at__gte=since)
    return query


async def attempts_by_delivery(ids: list[int]) -> dict[int, list[models.WebhookAttempt]]:
    found: dict[int, list[models.WebhookAttempt]] = {i: [] for i in ids}
    for attempt in await models.WebhookAttempt.filter(delivery_id__in=ids).order_by("id"):
        found[attempt.delivery_id].append(attempt)
    return found
