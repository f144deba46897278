"""The fake Zendesk's knobs, for tests and demos, and the faults they inject.

Set at construction (``FakeZendesk(latency=…)``), by the flags of ``deskql zendesk-fake``, or
over HTTP: ``GET /__fake__/knobs`` answers them all as JSON; ``PUT /__fake__/knobs`` with some of
them sets those (all checked first: one bad value → 400 ``{"error":"InvalidKnob",…}`` and none
set) and answers them all. The ``/__fake__/`` routes need no auth (the fake is a local tool,
served on loopback), are never rate limited, slowed or failed, and count as no API request.
``webhook_secret`` is answered only as ``true``/``false`` (set or not), never echoed.

======================  =========================================================================
``latency``             seconds (real time, ``asyncio.sleep``: the only real wait in the fake)
                        added before every API answer; default 0.
``error_rate``          0..1, the share of API requests answered 503 ``{"error":
                        "ServiceUnavailable",…}`` before they are applied (nothing changed). Drawn
                        from ``random.Random(seed)``, so a run is repeatable.
``seed``                the seed of those draws; setting it starts the sequence again.
``storm_until``         until then every API request gets 429 text/plain with ``Retry-After`` =
                        the seconds left (at least 1), a Retry-After for the account bucket:
                        a request sent before it passed is an early request.
``down_until``          until then every API request gets 503 ``text/html`` "Service Unavailable",
                        a load balancer's page (no Zendesk headers): nothing reaches the account.
``search_delay``        seconds before a new user can be found by search.
``job_delay``           seconds of the clock a job takes.
``plan``                the plan whose account-wide limit applies (``state.PLANS``).
``account_limit``       requests per minute instead of the plan's (null: the plan's).
``webhook_url``         where changes are posted (app/zendesk/fake/webhooks.py); null: nowhere.
``webhook_secret``      the webhook's signing secret.
======================  =========================================================================

Instants (``storm_until``, ``down_until``) are ISO-8601 with a time zone, ``+SECONDS`` (that long
from now on the fake's clock), or null (off).

Order in which a request meets them (app/zendesk/fake/app.py): early-request check, latency,
downtime, storm, auth, the account's limit, ``error_rate``, endpoint buckets, the handler.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from app.zendesk.fake import limits
from app.zendesk.fake.responses import body_of, error
from app.zendesk.fake.state import PLANS, FakeZendesk, stamp

DOWN_PAGE = (
    "<html><body><h1>503 Service Unavailable</h1>\n"
    "No server is available to handle this request.\n</body></html>\n"
)
NAMES = ("latency", "error_rate", "seed", "storm_until", "down_until", "search_delay",
         "job_delay", "plan", "account_limit", "webhook_url", "webhook_secret")  # fmt: skip


class KnobError(ValueError):
    pass


def instant(value: object, now: datetime) -> datetime | None:
    """An ISO-8601 instant with a time zone, ``+SECONDS`` from ``now``, or None/"" (off)."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if text.startswith("+"):
        try:
            return now + timedelta(seconds=float(text[1:]))
        except ValueError:
            raise KnobError(f"not a number of seconds: {text!r}") from None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise KnobError(f"not an ISO-8601 instant: {text!r}") from None
    if when.tzinfo is None:
        raise KnobError(f"give the time zone of {text!r} (e.g. Z)")
    return when.astimezone(UTC)


def _number(name: str, value: object, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise KnobError(f"{name} must be a number")
    try:
        number = float(value)
    except ValueError:
        raise KnobError(f"{name} must be a number") from None
    if not math.isfinite(number) or number < low or (high is not None and number > high):
        bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise KnobError(f"{name} must be {bounds}")
    return number


def parse(fake: FakeZendesk, data: dict[str, Any]) -> dict[str, Any]:
    """The knobs ``data`` sets, checked and converted (KnobError on the first bad one)."""
    unknown = sorted(set(data) - set(NAMES))
    if unknown:
        raise KnobError(f"unknown knobs: {', '.join(unknown)} (known: {', '.join(NAMES)})")
    now = fake.clock.now()
    out: dict[str, Any] = {}
    for name, value in data.items():
        if name in ("latency", "search_delay", "job_delay"):
            out[name] = _number(name, value, 0)
        elif name == "error_rate":
            out[name] = _number(name, value, 0, 1)
        elif name == "seed":
            out[name] = int(_number(name, value, -(2**63), 2**63))
        elif name in ("storm_until", "down_until"):
            out[name] = instant(value, now)
        elif name == "plan":
            if value not in PLANS:
                raise KnobError(f"plan must be one of {', '.join(sorted(PLANS))}")
            out[name] = value
        elif name == "account_limit":
            out[name] = None if value is None else int(_number(name, value, 1))
        elif name == "webhook_url":
            if value is not None and urlsplit(str(value)).scheme not in ("http", "https"):
                raise KnobError("webhook_url must be an http(s) URL")
            out[name] = value or None
        else:  # webhook_secret
            if value is not None and not isinstance(value, str):
                raise KnobError("webhook_secret must be a string")
            out[name] = value or None
    return out


def apply(fake: FakeZendesk, data: dict[str, Any]) -> None:
    for name, value in parse(fake, data).items():
        if name == "seed":
            fake.reseed(value)
        else:
            setattr(fake, name, value)


def view(fake: FakeZendesk) -> dict[str, Any]:
    knobs: dict[str, Any] = {name: getattr(fake, name) for name in NAMES}
    for name in ("storm_until", "down_until"):
        knobs[name] = stamp(knobs[name]) if knobs[name] else None
    knobs["webhook_secret"] = bool(fake.webhook_secret)
    return knobs


async def knobs_route(request: Request, fake: FakeZendesk) -> Response:
    if request.method == "PUT":
        try:
            apply(fake, await body_of(request))
        except KnobError as exc:
            return error(400, "InvalidKnob", str(exc))
    return JSONResponse(view(fake))


# -- the faults ---------------------------------------------------------------------------------


def outage(fake: FakeZendesk) -> Response | None:
    """Downtime's 503 page, or the storm's 429, for an API request (None: neither)."""
    now = fake.clock.now()
    if fake.down_until is not None and now < fake.down_until:
        fake.sent_503 += 1
        return HTMLResponse(DOWN_PAGE, status_code=503)
    if fake.storm_until is not None and now < fake.storm_until:
        wait = max(1, math.ceil((fake.storm_until - now).total_seconds()))
        limits.refuse(fake, limits.ACCOUNT, "", wait)
        return PlainTextResponse(limits.PER_MINUTE, status_code=429,
                                 headers={"retry-after": str(wait)})  # fmt: skip
    return None


def failure(fake: FakeZendesk) -> Response | None:
    """The ``error_rate`` share of requests: a 503 before anything is applied."""
    if fake.error_rate > 0 and fake.rng.random() < fake.error_rate:
        fake.sent_503 += 1
        return error(503, "ServiceUnavailable",
                     "Zendesk is temporarily unavailable. Please try again later.")  # fmt: skip
    return None
