"""deskql's Zendesk Support API client (httpx), written to ../shared/spec/zendesk-api.md.

It knows nothing of any fake: configuration alone points it at a real account or at
`deskql zendesk-fake`. Each method is one request. The rules it keeps:

- **Rate limits**: every answer's headers update the buckets (the account's, and endpoint
  buckets named in ``zendesk-ratelimit-<name>`` / ``zendesk-rate-limit-<name>``). A bucket told
  to wait (429 with Retry-After, or ``remaining=0`` until ``resets``) is not sent to before that
  time: :meth:`ZendeskClient.request` raises :class:`RateLimited` without sending. A 429 without
  Retry-After waits a capped, jittered exponential backoff. The waits live in
  :class:`Buckets`, which the sync keeps in the database so every worker process sees them.
- **Errors**: Zendesk's envelopes (``error`` a string or an object, ``errors`` an array) become
  :class:`ZendeskError` with ``retryable`` set for 5xx, timeouts and connection errors.
"""

from __future__ import annotations

import base64
import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx

from app.delivery.backoff import retry_after_seconds
from app.delivery.clock import Clock, SystemClock

TIMEOUT = 30.0
ACCOUNT = "account"  # the account-wide bucket
_BUCKET_HEADER = re.compile(r"^zendesk-rate-?limit-(.+)$", re.IGNORECASE)
_BUCKET_VALUE = re.compile(r"(\w+)\s*=\s*(\d+)")
# A 429 without Retry-After: 2, 4, 8 ... 120 s, jittered.
NO_RETRY_AFTER_BASE = 2.0
NO_RETRY_AFTER_CAP = 120.0


@dataclass(frozen=True)
class Connection:
    """Where and as whom: ``base_url`` like ``https://acme.zendesk.com`` (no /api/v2)."""

    base_url: str
    email: str
    api_token: str

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.email and self.api_token)


class ZendeskError(Exception):
    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        details: Any = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.details = details
        self.retryable = retryable


class RateLimited(ZendeskError):
    """Not sent (or answered 429): the bucket may be used again ``wait`` seconds from now."""

    def __init__(self, bucket: str, wait: float) -> None:
        super().__init__(f"rate limited ({bucket}): wait {wait:.1f}s", status=429, retryable=True)
        self.bucket = bucket
        self.wait = wait


@dataclass
class Buckets:
    """Until when each bucket must not be used, and the 429s in a row without Retry-After."""

    blocked_until: dict[str, datetime] = field(default_factory=dict)
    # The endpoint buckets each route's answers named (learned, so no bucket name is assumed).
    routes: dict[str, set[str]] = field(default_factory=dict)
    streak: int = 0
    changed: bool = False

    def names(self, route: str) -> tuple[str, ...]:
        return (ACCOUNT, *sorted(self.routes.get(route, ())))

    def wait(self, names: tuple[str, ...], now: datetime) -> tuple[str, float] | None:
        for name in names:
            until = self.blocked_until.get(name)
            if until is not None and until > now:
                return name, (until - now).total_seconds()
        return None

    def block(self, name: str, until: datetime) -> None:
        if self.blocked_until.get(name) is None or self.blocked_until[name] < until:
            self.blocked_until[name] = until
            self.changed = True


def error_from(response: httpx.Response) -> ZendeskError:
    """Zendesk's error envelope as an exception."""
    status = response.status_code
    code: str | None = None
    description = response.reason_phrase
    details: Any = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            code = error.get("title") or error.get("code")
            description = error.get("message") or description
        elif isinstance(error, str):
            code = error
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            first = errors[0] if isinstance(errors[0], dict) else {"title": str(errors[0])}
            code = code or first.get("code") or first.get("title")
            description = first.get("detail") or first.get("title") or description
        description = body.get("description") or description
        details = body.get("details")
    elif response.text:
        description = response.text.strip()[:200]
    text = f"Zendesk {status} {code or ''}: {description}".replace("  ", " ")
    if details:
        text += f" {json.dumps(details, ensure_ascii=False)[:300]}"
    return ZendeskError(
        text, status=status, code=code, details=details, retryable=status >= 500 or status == 409
    )


class ZendeskClient:
    def __init__(
        self,
        connection: Connection,
        *,
        clock: Clock | None = None,
        buckets: Buckets | None = None,
        rng: random.Random | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.connection = connection
        self.clock = clock or SystemClock()
        self.buckets = buckets or Buckets()
        self.rng = rng or random.Random()
        self.requests_sent = 0
        self.rate_limited = 0
        token = f"{connection.email}/token:{connection.api_token}".encode()
        self._http = httpx.AsyncClient(
            base_url=connection.base_url.rstrip("/") + "/api/v2",
            headers={
                "Authorization": "Basic " + base64.b64encode(token).decode(),
                "Accept": "application/json",
                "User-Agent": "deskql-zendesk-sync",
            },
            timeout=TIMEOUT,
            follow_redirects=False,
            trust_env=False,
            transport=transport,
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ZendeskClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- the one way out ------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        route: str | None = None,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        route = route or f"{method} {path}"
        names = self.buckets.names(route)
        now = self.clock.now()
        blocked = self.buckets.wait(names, now)
        if blocked is not None:
            raise RateLimited(*blocked)
        self.requests_sent += 1
        try:
            response = await self._http.request(
                method, path, json=json_body, params=params, content=content, headers=headers
            )
        except httpx.TimeoutException as exc:
            raise ZendeskError(f"Zendesk timed out: {exc!r}", retryable=True) from None
        except httpx.TransportError as exc:
            raise ZendeskError(f"Zendesk unreachable: {exc!r}", retryable=True) from None
        self._note_limits(response, route)
        if response.status_code == 429:
            self.rate_limited += 1
            return self._limited(response)
        if response.status_code >= 400:
            raise error_from(response)
        self.buckets.streak = 0
        return response

    def _note_limits(self, response: httpx.Response, route: str) -> None:
        now = self.clock.now()
        for header, value in response.headers.items():
            match = _BUCKET_HEADER.match(header)
            if not match:
                continue
            name = match.group(1).lower()
            known = self.buckets.routes.setdefault(route, set())
            if name not in known:
                known.add(name)
                self.buckets.changed = True
            parts = {k.lower(): int(v) for k, v in _BUCKET_VALUE.findall(value)}
            if parts.get("remaining") == 0 and parts.get("resets"):
                self.buckets.block(name, now + timedelta(seconds=parts["resets"]))
        remaining = response.headers.get("x-rate-limit-remaining")
        reset = response.headers.get("ratelimit-reset")
        if remaining == "0":  # the account's minute is used up: wait for the next one
            wait = int(reset) if reset and reset.isdigit() else 60 - now.second
            self.buckets.block(ACCOUNT, now + timedelta(seconds=max(1, wait)))

    def _limited(self, response: httpx.Response) -> httpx.Response:
        now = self.clock.now()
        wait = retry_after_seconds(response.headers.get("retry-after"), now)
        if wait is None:
            self.buckets.streak += 1
            base = min(NO_RETRY_AFTER_CAP, NO_RETRY_AFTER_BASE * 2 ** (self.buckets.streak - 1))
            wait = base * self.rng.uniform(0.8, 1.2)
        # Which bucket ran out: an endpoint bucket the answer says is empty, else the account.
        empty = [
            _BUCKET_HEADER.match(h).group(1).lower()  # type: ignore[union-attr]
            for h, v in response.headers.items()
            if _BUCKET_HEADER.match(h) and re.search(r"remaining\s*=\s*0\b", v)
        ]
        name = empty[0] if empty else ACCOUNT
        self.buckets.block(name, now + timedelta(seconds=wait))
        raise RateLimited(name, wait)

    # -- tickets --------------------------------------------------------------------------------

    async def create_ticket(self, ticket: dict, *, idempotency_key: str) -> dict:
        response = await self.request(
            "POST",
            "/tickets.json",
            route="tickets.create",
            json_body={"ticket": ticket},
            headers={"Idempotency-Key": idempotency_key},
        )
        return response.json()["ticket"]

    async def update_ticket(self, ticket_id: int, ticket: dict) -> dict:
        response = await self.request(
            "PUT", f"/tickets/{int(ticket_id)}.json", route="tickets.update",
            json_body={"ticket": ticket},
        )  # fmt: skip
        return response.json()["ticket"]

    async def show_ticket(self, ticket_id: int) -> dict:
        response = await self.request(
            "GET", f"/tickets/{int(ticket_id)}.json", route="tickets.show"
        )
        return response.json()["ticket"]

    async def show_many(self, ids: list[int]) -> list[dict]:
        if not ids:
            return []
        response = await self.request(
            "GET",
            "/tickets/show_many.json",
            route="tickets.show_many",
            params={"ids": ",".join(str(int(i)) for i in ids)},
        )
        return list(response.json().get("tickets") or [])

    async def update_many(self, items: list[dict]) -> dict:
        """The batch form: one change per ticket (``id`` in each item). Returns the job."""
        response = await self.request(
            "PUT", "/tickets/update_many.json", route="tickets.update_many",
            json_body={"tickets": items},
        )  # fmt: skip
        return response.json()["job_status"]

    async def merge(self, target_id: int, source_ids: list[int]) -> dict:
        response = await self.request(
            "POST",
            f"/tickets/{int(target_id)}/merge.json",
            route="tickets.merge",
            json_body={"ids": [int(i) for i in source_ids], "source_comment_is_public": False,
                       "target_comment_is_public": False},
        )  # fmt: skip
        return response.json()["job_status"]

    async def comments(self, ticket_id: int) -> list[dict]:
        response = await self.request(
            "GET", f"/tickets/{int(ticket_id)}/comments.json", route="tickets.comments"
        )
        return list(response.json().get("comments") or [])

    async def job_status(self, job_id: str) -> dict:
        response = await self.request(
            "GET", f"/job_statuses/{job_id}.json", route="job_statuses.show"
        )
        return response.json()["job_status"]

    # -- users ----------------------------------------------------------------------------------

    async def create_or_update_user(self, user: dict) -> dict:
        response = await self.request(
            "POST", "/users/create_or_update.json", route="users.create_or_update",
            json_body={"user": user},
        )  # fmt: skip
        return response.json()["user"]

    async def search_users(self, query: str) -> list[dict]:
        response = await self.request(
            "GET", "/search.json", route="search", params={"query": query}
        )
        return [r for r in response.json().get("results") or [] if r.get("result_type") == "user"]

    async def users_by_external_id(self, external_id: str) -> list[dict]:
        response = await self.request(
            "GET", "/users/search.json", route="users.search", params={"external_id": external_id}
        )
        return list(response.json().get("users") or [])

    async def add_phone(self, user_id: int, phone: str) -> dict:
        response = await self.request(
            "POST",
            f"/users/{int(user_id)}/identities.json",
            route="identities.create",
            json_body={"identity": {"type": "phone_number", "value": phone}},
        )
        return response.json()["identity"]

    # -- uploads and fields ---------------------------------------------------------------------

    async def upload(self, filename: str, data: bytes, content_type: str) -> str:
        response = await self.request(
            "POST",
            "/uploads.json",
            route="uploads",
            params={"filename": filename},
            content=data,
            headers={"Content-Type": content_type},
        )
        return str(response.json()["upload"]["token"])

    async def create_ticket_field(self, field_type: str, title: str) -> dict:
        response = await self.request(
            "POST",
            "/ticket_fields.json",
            route="ticket_fields.create",
            json_body={"ticket_field": {"type": field_type, "title": title}},
        )
        return response.json()["ticket_field"]

    async def ticket_fields(self) -> list[dict]:
        response = await self.request("GET", "/ticket_fields.json")
        return list(response.json().get("ticket_fields") or [])
