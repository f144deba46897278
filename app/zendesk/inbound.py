"""Changes made in Zendesk, told to deskql by Zendesk's webhook (``POST /zendesk/webhook``).

The request is verified as Zendesk signs it: ``X-Zendesk-Webhook-Signature`` is the base64
HMAC-SHA256, keyed with the webhook's signing secret, of the
``X-Zendesk-Webhook-Signature-Timestamp`` header followed by the raw body. A timestamp more than
5 minutes from now is refused (a replayed request).

Handled event types (Zendesk's event-webhook format): ``zen:event-type:ticket.status_changed``
(``detail.id``, ``event.current``) and ``zen:event-type:ticket.merged`` (``detail.id``,
``event.target_ticket_id``). The link's Zendesk status is recorded (reuse decisions read it),
and deskql's ticket follows with source ``zendesk``, so the sync does not send it back. Other
types, and tickets deskql does not know, are acknowledged and ignored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime, timedelta

from app.accounts.principal import Principal
from app.errors import DomainError, InvalidInput
from app.settings import Settings
from app.tickets import service
from app.tickets.models import Ticket, TicketStatus
from app.zendesk import models

log = logging.getLogger("deskql.zendesk")
TOLERANCE = timedelta(minutes=5)
ACTOR = Principal.system("zendesk", source="zendesk")


class BadSignature(Exception):
    """The request is not from Zendesk (or is too old): answered 401."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify(secret: str, signature: str, timestamp: str, body: bytes, now: datetime) -> None:
    if not secret:
        raise BadSignature("DESKQL_ZENDESK_WEBHOOK_SECRET is not set")
    try:
        when = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        raise BadSignature("bad timestamp") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if abs(now - when) > TOLERANCE:
        raise BadSignature("timestamp too far from now")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature or ""):
        raise BadSignature("signature mismatch")


async def handle(body: bytes, settings: Settings) -> str:
    """Apply one verified event; what was done, for the log and the answer."""
    try:
        event = json.loads(body)
        kind = str(event.get("type") or "")
        detail = event.get("detail") or {}
        zendesk_id = int(str(detail.get("id")))
    except (ValueError, TypeError, AttributeError):
        raise InvalidInput("Not a Zendesk ticket event.", field="body") from None
    link = await models.ZendeskTicket.get_or_none(zendesk_ticket_id=zendesk_id)
    if link is None:
        return "ignored: unknown ticket"
    change = event.get("event") or {}
    if kind.endswith("ticket.status_changed"):
        status = str(change.get("current") or detail.get("status") or "").upper()
        if status not in TicketStatus.__members__:
            raise InvalidInput(f"Unknown ticket status {status!r}.", field="event.current")
        await models.ZendeskTicket.filter(id=link.id).update(status=status.lower())
        await _follow_status(link.ticket_id, TicketStatus(status), settings)
        return f"ticket {link.ticket_id}: {status}"
    if kind.endswith("ticket.merged"):
        target = int(change.get("target_ticket_id") or 0)
        await models.ZendeskTicket.filter(id=link.id).update(status="closed")
        into = await models.ZendeskTicket.get_or_none(zendesk_ticket_id=target)
        await follow_merge(link.ticket_id, into.ticket_id if into else None)
        return f"ticket {link.ticket_id}: merged into Zendesk #{target}"
    return f"ignored: {kind}"


async def _follow_status(ticket_id: int, status: TicketStatus, settings: Settings | None) -> None:
    ticket = await Ticket.get_or_none(id=ticket_id)
    if ticket is None or ticket.status is status:
        return
    try:
        await service.change_status(
            actor=ACTOR,
            ticket_id=ticket_id,
            status=status,
            public_url=settings.public_url if settings else "",
            secret_key=settings.secret_key if settings else "",
        )
    except DomainError as exc:
        log.info(
            "zendesk: ticket %s %s -> %s not followed: %s", ticket_id, ticket.status, status, exc
        )


async def follow_merge(ticket_id: int, into: int | None) -> None:
    ticket = await Ticket.get_or_none(id=ticket_id)
    if ticket is None or ticket.status is TicketStatus.CLOSED:
        return
    try:
        if into is not None:
            await service.merge(actor=ACTOR, source_id=ticket_id, target_id=into)
        else:  # merged into a ticket deskql does not know: closed here too
            await _follow_status(ticket_id, TicketStatus.CLOSED, None)
    except DomainError as exc:
        log.info("zendesk: merge of ticket %s not followed: %s", ticket_id, exc)
