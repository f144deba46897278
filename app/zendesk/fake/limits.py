"""The fake Zendesk's rate limits, counted on fixed windows of its clock (a window of N seconds
starts when the clock's epoch seconds are a multiple of N, like the account's minute).

- **account**: requests per minute by plan (``x-rate-limit``, ``x-rate-limit-remaining``,
  ``ratelimit-limit``, ``ratelimit-remaining``, ``ratelimit-reset`` on every API answer), unchanged.
- **endpoint buckets**, each answered as ``zendesk-ratelimit-<name>: total=N; remaining=N;
  resets=S`` on the routes that count into it (zendesk-api.md, "Rate limits"):

  ========================================  =============================================
  ``tickets-update``                        ``PUT /tickets/{id}``: 100/min per account (300
                                            on the High Volume plans). Zendesk's own name:
                                            recorded in 2023 as ``zendesk-rate-limit-tickets-
                                            update``; sent in today's spelling.
  ``ticket-update-by-user-and-ticket``      ``PUT /tickets/{id}``: 30 per 10 min per ticket
                                            (per user and ticket; the fake has one API
                                            user). Name chosen after the recorded
                                            ``ticket-request-create-by-user-and-ip``.
  ``tickets-update-many``                   ``PUT /tickets/update_many``: 100/min. Zendesk
                                            documents no such limit: a chosen value, so a
                                            client sees one more bucket on a job route.
  ``users-create-or-update``                ``POST /users/create_or_update``: 1/s per account.
  ``users-create-or-update-by-user``        the same route, 5/min per user (matched by
                                            e-mail, else external_id, case-insensitive).
  ``inflight-jobs``                         at most 30 queued or working jobs per account;
                                            the header rides on every job-creating answer.
  ========================================  =============================================

- **429**: an endpoint bucket's is ``text/plain`` with ``Retry-After`` (seconds to the end of
  its window) and the bucket's header saying ``remaining=0``; too many jobs in flight is JSON
  ``{"error":"TooManyJobs",...}`` with Retry-After = seconds until the oldest job completes.
- **early requests**: a request sent into a bucket (for a per-ticket or per-user bucket: that
  ticket's or user's) before the Retry-After the fake gave for it has passed. Each such request
  adds one to ``early_requests`` (and to ``early_by_bucket`` for every bucket it was early for).
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.requests import Request

from app.zendesk.fake.state import HIGH_VOLUME, FakeZendesk

ACCOUNT = "account"
INFLIGHT = "inflight-jobs"
MAX_JOBS_IN_FLIGHT = 30
PER_MINUTE = "Number of allowed API requests per minute exceeded"

Key = Callable[[Request], Awaitable[str | None]]


@dataclass(frozen=True)
class Limit:
    """An endpoint bucket: ``total`` requests per ``seconds``; per account, or per whatever
    ``key`` returns for the request (no bucket when it returns None)."""

    name: str
    total: Callable[[FakeZendesk], int]
    seconds: int
    key: Key | None = None
    message: str = PER_MINUTE


async def _ticket(request: Request) -> str | None:
    return str(request.path_params.get("id"))


async def _user(request: Request) -> str | None:
    try:
        user = (json.loads(await request.body() or b"{}") or {}).get("user") or {}
    except (ValueError, AttributeError):
        return None
    if not isinstance(user, dict):
        return None
    found = user.get("email") or user.get("external_id")
    return str(found).lower() if found else None


TICKETS_UPDATE = (
    Limit("tickets-update", lambda f: 300 if f.plan in HIGH_VOLUME else 100, 60),
    Limit("ticket-update-by-user-and-ticket", lambda f: 30, 600, _ticket,
          "You have exceeded the rate limit for updating a single ticket"),
)  # fmt: skip
TICKETS_UPDATE_MANY = (Limit("tickets-update-many", lambda f: 100, 60),)
USERS_CREATE_OR_UPDATE = (
    Limit("users-create-or-update", lambda f: 1, 1,
          message="Number of allowed API requests per second exceeded"),
    Limit("users-create-or-update-by-user", lambda f: 5, 60, _user,
          "You have exceeded the rate limit for updating a single unique user"),
)  # fmt: skip


def _window(now: datetime, seconds: int) -> tuple[int, int]:
    """(index of the window ``now`` is in, whole seconds until it ends)."""
    epoch = int(now.timestamp())
    return epoch // seconds, seconds - epoch % seconds


def header(total: int, remaining: int, resets: int) -> str:
    return f"total={total}; remaining={remaining}; resets={resets}"


def note_early(fake: FakeZendesk, buckets: list[tuple[str, str]]) -> None:
    now = fake.clock.now()
    early = [
        name for name, key in buckets if (until := fake.blocked.get((name, key))) and now < until
    ]
    if early:
        fake.early_requests += 1
        for name in early:
            fake.early_by_bucket[name] = fake.early_by_bucket.get(name, 0) + 1


def refuse(fake: FakeZendesk, name: str, key: str, wait: int) -> None:
    """A 429 for bucket ``name``/``key``, telling the client to wait ``wait`` seconds."""
    fake.blocked[(name, key)] = fake.clock.now() + timedelta(seconds=wait)
    fake.sent_429 += 1
    fake.limited[name] = fake.limited.get(name, 0) + 1


def account(fake: FakeZendesk) -> tuple[dict[str, str], int | None]:
    """Count one API request in the account's minute: its headers, and Retry-After when over."""
    now = fake.clock.now()
    minute, reset = _window(now, 60)
    used = fake.window[1] + 1 if fake.window[0] == minute else 1
    fake.window = (minute, used)
    limit = fake.limit
    remaining = max(0, limit - used)
    headers = {"x-rate-limit": str(limit), "x-rate-limit-remaining": str(remaining),
               "ratelimit-limit": str(limit), "ratelimit-remaining": str(remaining),
               "ratelimit-reset": str(reset)}  # fmt: skip
    if used > limit:
        refuse(fake, ACCOUNT, "", reset)
        return headers, reset
    return headers, None


def endpoint(
    fake: FakeZendesk, limits: list[tuple[Limit, str]]
) -> tuple[dict[str, str], tuple[Limit, str, int] | None]:
    """Count one request into its endpoint buckets (none when one of them is empty): the
    bucket headers, and (limit, key, Retry-After) of the empty bucket that refuses it."""
    now = fake.clock.now()
    state = []
    for limit, key in limits:
        index, resets = _window(now, limit.seconds)
        start, used = fake.buckets.get((limit.name, key), (index, 0))
        state.append((limit, key, index, resets, used if start == index else 0))
    headers: dict[str, str] = {}
    refused = None
    for limit, key, _, resets, used in state:
        total = limit.total(fake)
        if used >= total and refused is None:
            refused = (limit, key, resets)
        headers[f"zendesk-ratelimit-{limit.name}"] = header(total, max(0, total - used), resets)
    if refused is not None:
        refuse(fake, refused[0].name, refused[1], refused[2])
        return headers, refused
    for limit, key, index, resets, used in state:
        total = limit.total(fake)
        fake.buckets[(limit.name, key)] = (index, used + 1)
        headers[f"zendesk-ratelimit-{limit.name}"] = header(total, max(0, total - used - 1), resets)
    return headers, None


def jobs_header(fake: FakeZendesk) -> tuple[str, int, int]:
    """The inflight-jobs header, the jobs that may still be made, and seconds until one ends."""
    running = fake.in_flight()
    remaining = max(0, MAX_JOBS_IN_FLIGHT - len(running))
    resets = 0
    if running:
        ends = running[0].created + timedelta(seconds=fake.job_delay) - fake.clock.now()
        resets = max(1, math.ceil(ends.total_seconds()))
    return header(MAX_JOBS_IN_FLIGHT, remaining, resets), remaining, resets
