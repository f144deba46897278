"""The fake Zendesk's webhook: changes made through its API posted to ``webhook_url`` the way a
Zendesk webhook subscribed to ticket events posts them (Zendesk's event-webhook format, the one
deskql's ``POST /zendesk/webhook`` reads, app/zendesk/inbound.py).

- **When**: a ticket's status changes through ``PUT /tickets/{id}`` or an update_many job, and
  when a merge job closes a source ticket. A merge sends ``ticket.merged`` then
  ``ticket.status_changed`` (to CLOSED) for each source, in that order, so a receiver that
  closes its copy on the second already merged it on the first.
- **Body**: ``{"account_id", "detail": {"id": "<ticket id>", "status": "OPEN", …},
  "event": {…}, "id": "<uuid>", "subject": "zen:ticket:<id>", "time",
  "type": "zen:event-type:ticket.status_changed" | "zen:event-type:ticket.merged",
  "zendesk_event_version": "2022-11-06"}`` — ids as strings and statuses in capitals as Zendesk
  sends them; ``event`` is ``{"current","previous"}`` for a status change and
  ``{"target_ticket_id"}`` for a merge.
- **Signature**: ``X-Zendesk-Webhook-Signature`` = base64 HMAC-SHA256 keyed with
  ``webhook_secret`` of ``X-Zendesk-Webhook-Signature-Timestamp`` (ISO-8601 UTC on the fake's
  clock, when sent) followed by the body. Without a ``webhook_secret`` both headers are left
  out (a receiver that checks them refuses the request).
- **Delivery**: in the background (an asyncio task on the server's loop, httpx), one request at a
  time in the order the changes happened, one attempt each (no retries), 10 s timeout. Each
  ends in ``webhook_deliveries`` as ``{"id","type","ticket_id","url","body","status","error"}``
  (``status`` the receiver's HTTP status, or None with ``error`` when it could not be reached).
  ``GET /__fake__/webhooks`` answers them once the deliveries under way have ended. With no
  ``webhook_url`` nothing is recorded or sent.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import uuid

import httpx

from app.zendesk.fake.state import FakeZendesk, stamp

ACCOUNT_ID = 10000001
WEBHOOK_ID = "01FAKEZENDESKWEBHOOK00000"
TIMEOUT = 10.0


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _detail(ticket: dict) -> dict:
    def text(value: object) -> str | None:
        return None if value is None else str(value)

    return {
        "id": str(ticket["id"]),
        "status": str(ticket["status"]).upper(),
        "subject": ticket.get("subject"),
        "description": ticket.get("description"),
        "external_id": ticket.get("external_id"),
        "requester_id": text(ticket.get("requester_id")),
        "submitter_id": text(ticket.get("submitter_id")),
        "assignee_id": text(ticket.get("assignee_id")),
        "tags": list(ticket.get("tags") or []),
        "is_public": ticket.get("is_public"),
        "created_at": ticket.get("created_at"),
        "updated_at": ticket.get("updated_at"),
        "via": {"channel": "api"},
    }


def _enqueue(fake: FakeZendesk, ticket: dict, kind: str, event: dict) -> None:
    if not fake.webhook_url:
        return
    body = {
        "account_id": ACCOUNT_ID,
        "detail": _detail(ticket),
        "event": event,
        "id": str(uuid.uuid4()),
        "subject": f"zen:ticket:{ticket['id']}",
        "time": stamp(fake.clock.now()),
        "type": f"zen:event-type:ticket.{kind}",
        "zendesk_event_version": "2022-11-06",
    }
    fake.outbox.append({"id": body["id"], "type": kind, "ticket_id": ticket["id"],
                        "url": fake.webhook_url, "secret": fake.webhook_secret,
                        "body": json.dumps(body).encode()})  # fmt: skip


def status_changed(fake: FakeZendesk, ticket: dict, previous: str) -> None:
    event = {"current": str(ticket["status"]).upper(), "previous": previous.upper()}
    _enqueue(fake, ticket, "status_changed", event)


def merged(fake: FakeZendesk, source: dict, target_id: int) -> None:
    _enqueue(fake, source, "merged", {"target_ticket_id": str(target_id)})


def dispatch(fake: FakeZendesk) -> None:
    """Start delivering what the outbox holds, after the deliveries already under way."""
    if not fake.outbox:
        return
    events, fake.outbox = fake.outbox, []
    fake.delivering = asyncio.get_running_loop().create_task(
        _deliver_all(fake, events, fake.delivering)
    )


async def flush(fake: FakeZendesk) -> None:
    """Wait until every delivery started so far has ended."""
    dispatch(fake)
    while fake.delivering is not None and not fake.delivering.done():
        await asyncio.wait([fake.delivering])


async def _deliver_all(
    fake: FakeZendesk, events: list[dict], previous: asyncio.Task | None
) -> None:
    if previous is not None:
        await asyncio.wait([previous])
    async with httpx.AsyncClient(timeout=TIMEOUT, trust_env=False) as http:
        for event in events:
            await _deliver(fake, http, event)


async def _deliver(fake: FakeZendesk, http: httpx.AsyncClient, event: dict) -> None:
    headers = {
        "content-type": "application/json",
        "user-agent": "Zendesk Webhook",
        "x-zendesk-account-id": str(ACCOUNT_ID),
        "x-zendesk-webhook-id": WEBHOOK_ID,
        "x-zendesk-webhook-invocation-id": event["id"],
    }
    if event["secret"]:
        timestamp = stamp(fake.clock.now())
        headers["x-zendesk-webhook-signature-timestamp"] = timestamp
        headers["x-zendesk-webhook-signature"] = sign(event["secret"], timestamp, event["body"])
    record = {k: event[k] for k in ("id", "type", "ticket_id", "url")}
    record["body"] = json.loads(event["body"])
    try:
        response = await http.post(event["url"], content=event["body"], headers=headers)
    except httpx.HTTPError as exc:
        record.update(status=None, error=repr(exc))
    else:
        record.update(status=response.status_code, error=None)
    fake.webhook_deliveries.append(record)
