"""R-ZD-7: what happened around a call (``recordCallActivity``, app/telephony/activity.py) as
private notes on the call's ticket — a SmartAction's result with its shared files attached, or
its error; an agent reading, closing or calling back the voicemail; an API access point's
response as key-value lines or JSON when the setting ``apiResponseNotes`` asks for it.

A note is kept (:class:`~app.zendesk.models.ZendeskCallNote`) until the call has a ticket: a
SmartAction in the IVR comes before the answer that makes the ticket, and :func:`flush` writes
the waiting notes as soon as the call rules (calls.py) have it. Notes follow merges (R-ZD-6);
a closed ticket takes no note."""

from __future__ import annotations

import json
from datetime import datetime
from posixpath import basename
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from tortoise.transactions import in_transaction

from app.tickets import service as tickets
from app.tickets.models import TicketStatus
from app.zendesk import models
from app.zendesk.callnotes import ACTOR, attach_file, follow

MAX_BODY = 20000  # a ticket comment's limit
STATES = {"READ": "read", "CLOSED": "closed", "CALLED_BACK": "called back"}


class _Rules(Protocol):
    settings: models.ZendeskSettings
    now: datetime


def key_values(value: Any, prefix: str = "") -> list[str]:
    """Nested JSON as ``a.b: value`` lines (lists by index), keys sorted: PostgreSQL's jsonb
    keeps no key order, so sorting is what makes the note the same on both databases."""
    if isinstance(value, dict):
        if not value and prefix:
            return [f"{prefix[:-1]}: {{}}"]
        return [line for k in sorted(value) for line in key_values(value[k], f"{prefix}{k}.")]
    if isinstance(value, list):
        if not value and prefix:
            return [f"{prefix[:-1]}: []"]
        return [line for i, v in enumerate(value) for line in key_values(v, f"{prefix}{i}.")]
    shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return [f"{prefix[:-1]}: {shown}" if prefix else shown]


def note(payload: dict[str, Any], api_format: str) -> str | None:
    """The note's text, or None when nothing is to be written."""
    kind, call = payload["type"], payload["callId"]
    agent = payload.get("agentAccount")
    if kind == "SMART_ACTION":
        if payload.get("succeeded"):
            lines = [f"SmartAction {payload['action']} completed on call {call}."]
            if payload.get("outcome") is not None:
                lines += ["Result:", *key_values(payload["outcome"])]
            if payload.get("files"):
                lines += ["Shared files:", *payload["files"]]
        else:
            lines = [f"SmartAction {payload['action']} failed on call {call}.",
                     f"Error: {payload.get('error') or '-'}"]  # fmt: skip
    elif kind == "VOICEMAIL":
        state = STATES.get(payload.get("voicemailState") or "", "updated")
        lines = [f"Voicemail of call {call} {state}" + (f" by {agent}." if agent else ".")]
    elif kind == "API_RESPONSE" and api_format in ("KEY_VALUE", "JSON"):
        lines = [f"API access point {payload['action']} responded on call {call}:"]
        outcome = payload.get("outcome")
        if api_format == "JSON":
            lines.append(json.dumps(outcome, ensure_ascii=False, indent=2, sort_keys=True))
        else:
            lines += key_values(outcome)
    else:
        return None
    body = "\n".join(lines)
    return body if len(body) <= MAX_BODY else body[: MAX_BODY - 12] + "\n(truncated)"


def file_name(url: str, n: int) -> str:
    name = basename(unquote(urlsplit(url).path)).strip()
    cleaned = "".join(c for c in name if c.isalnum() or c in "._- ")[:150].strip()
    return cleaned or f"file-{n}"


async def noted(rules: _Rules, payload: dict[str, Any]) -> None:
    """The rule of a ``call.activity`` task: keep the note, then write it if the call has its
    ticket."""
    body = note(payload, rules.settings.api_response_notes)
    if body is None:
        return
    async with in_transaction():
        await models.ZendeskCallNote.get_or_create(
            event_id=str(payload["eventId"])[:128],
            defaults={
                "call_id": str(payload["mainCallId"]),
                "body": body,
                "files": list(payload.get("files") or []),
                "created_at": rules.now,
            },
        )
        await flush(str(payload["mainCallId"]))


async def flush(call_id: str) -> None:
    """Write the call's waiting notes to its ticket (inside the caller's transaction)."""
    waiting = await models.ZendeskCallNote.filter(call_id=call_id, comment_id=None).order_by("id")
    if not waiting:
        return
    row = await models.ZendeskCall.get_or_none(call_id=call_id)
    if row is None or row.ticket_id is None:
        return
    ticket = await follow(row.ticket_id)
    if ticket is None or ticket.status is TicketStatus.CLOSED:
        return
    for item in waiting:
        comment = await tickets.add_comment(
            actor=ACTOR, ticket_id=ticket.id, body=item.body, public=False
        )
        for n, url in enumerate(item.files or [], start=1):
            await attach_file(comment.id, url, file_name(url, n), content_type=None)
        await models.ZendeskCallNote.filter(id=item.id).update(comment_id=comment.id)
