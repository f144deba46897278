"""One try at one delivery: signed, posted to the checked address, its outcome described."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import httpx

from app.delivery import outbound
from app.delivery.backoff import retry_after_seconds
from app.webhooks import models, signing

EXCERPT = 500


@dataclass
class Outcome:
    status_code: int | None
    error: str | None
    excerpt: str | None
    duration_ms: int
    retry_after: float | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


async def send(
    http: httpx.AsyncClient,
    answer_within: float,
    endpoint: models.WebhookEndpoint,
    target: outbound.Target,
    delivery: models.WebhookDelivery,
    now: datetime,
) -> Outcome:
    """POST the delivery, signed by the endpoint's secret (and the previous one while a
    rotation overlaps); ``answer_within`` is the client's timeout, for the message."""
    secrets_in_use = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_until
        and endpoint.previous_secret_until > now
    ):
        secrets_in_use.append(endpoint.previous_secret)
    body = delivery.payload.encode()
    headers = signing.headers(secrets_in_use, delivery.message_id, int(now.timestamp()), body)
    started = time.perf_counter()
    try:
        response = await outbound.post(http, target, body, headers)
    except httpx.TimeoutException:
        return Outcome(None, f"No answer within {answer_within:g} s.", None, _ms(started))
    except httpx.HTTPError as exc:
        return Outcome(None, f"Could not connect: {type(exc).__name__}.", None, _ms(started))
    excerpt = _clean(response.text[:EXCERPT]) if response.content else None
    error = None
    if 300 <= response.status_code < 400:
        error = "A redirect: deskql does not follow redirects."
    elif response.status_code >= 400:
        error = f"The endpoint answered {response.status_code}."
    retry_after = (
        retry_after_seconds(response.headers.get("retry-after"), now)
        if response.status_code in (429, 503)
        else None
    )
    return Outcome(response.status_code, error, excerpt, _ms(started), retry_after)


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _clean(text: str) -> str:
    """A response excerpt the database can hold: no NUL, no lone surrogates."""
    return "".join(c for c in text if c != "\x00" and not 0xD800 <= ord(c) <= 0xDFFF)
