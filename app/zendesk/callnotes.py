"""What the call rules (app/zendesk/calls.py) write: the notes' text, the R-ZD-10 field values
and tags for the next update, files to attach, and following merges (R-ZD-6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.accounts.principal import Principal
from app.directory import contacts as directory
from app.directory.models import Contact, ContactPhone
from app.tickets.models import Ticket
from app.zendesk import models

ACTOR = Principal.system("zendesk")  # source "system": what it changes is synced
DEFAULT_USER = "deskql-crm-default-user"  # the CRM default user's external id


@dataclass
class Call:
    """What the rules read of one call event (the task's payload)."""

    call_id: str
    direction: str
    phone: str | None
    agent_id: int | None
    queue: str | None
    queue_id: int | None
    language: str | None
    record: dict[str, Any]

    @property
    def inbound(self) -> bool:
        return self.direction == "INBOUND"


# -- writing --------------------------------------------------------------------------------------


async def follow(ticket_id: int) -> Ticket | None:
    """The ticket, or the ticket it was merged into (R-ZD-6), following a chain."""
    ticket = await Ticket.get_or_none(id=ticket_id)
    seen = set()
    while ticket is not None and ticket.merged_into_id is not None and ticket.id not in seen:
        seen.add(ticket.id)
        ticket = await Ticket.get_or_none(id=ticket.merged_into_id)
    return ticket


async def set_fields(
    settings: models.ZendeskSettings, ticket_id: int, values: dict, *, tag: str | None = None
) -> None:
    """R-ZD-10 values (for the fields createZendeskCustomFields made) and tags for the next
    update of the ticket in Zendesk."""
    link, _ = await models.ZendeskTicket.get_or_create(ticket_id=ticket_id)
    ids = settings.session_fields or {}
    extra = dict(link.extra_fields or {})
    for kind, value in values.items():
        if kind in ids:
            extra[str(ids[kind])] = value
    tags = list(link.tags or [])
    if tag and tag not in tags:
        tags.append(tag)
    await models.ZendeskTicket.filter(id=link.id).update(extra_fields=extra, tags=tags)


async def attach_file(
    comment_id: int, url: str, name: str, *, content_type: str | None = "audio/mpeg"
) -> None:
    """A file to upload with the comment when it is sent (items.py): a recording (an MP3
    unless the server says otherwise) or, with ``content_type`` None, whatever it serves."""
    if content_type == "audio/mpeg" and not name.endswith(".mp3"):
        name += ".mp3"
    await models.ZendeskAttachment.get_or_create(
        comment_id=comment_id,
        url=url[:500],
        defaults={
            "file_name": name[:200],
            "content_type": content_type or "application/octet-stream",
        },
    )


def describe(call: Call, kind: str) -> str:
    started = call.record.get("startedAt") or ""
    what = {"voicemail": "Voicemail", "abandoned": "Abandoned call"}.get(
        kind, "Inbound call" if call.inbound else "Outbound call"
    )
    parts = [f"{what} {call.call_id} {'from' if call.inbound else 'to'} {call.phone or '-'}"]
    parts.append(f"started {started}")
    if call.queue:
        parts.append(f"menu/queue {call.queue}")
    if kind == "voicemail" and call.record.get("voicemailUrl"):
        parts.append(f"voicemail {call.record['voicemailUrl']}")
    return ", ".join(parts) + "."


def standard_data(call: Call, kind: str) -> str:
    """R-ZD-5: the standard data note."""
    return "\n".join(
        [
            f"Call id: {call.call_id}",
            f"Direction: {call.direction.lower()}" + (f" ({kind})" if kind != "call" else ""),
            f"Number: {call.phone or '-'}",
            f"Language: {call.language or '-'}",
            f"Menu/queue: {call.queue or '-'}",
        ]
    )


def _seconds(record: dict, name: str) -> int:
    return int(record.get(name) or 0)


def completion_fields(call: Call) -> dict[str, Any]:
    r = call.record
    duration = None
    if r.get("startedAt") and r.get("endedAt"):
        start, end = (datetime.fromisoformat(r[k]) for k in ("startedAt", "endedAt"))
        duration = max(0, int((end - start).total_seconds()))
    return {
        "callDuration": duration,
        "waitTime": _seconds(r, "queueSeconds") + _seconds(r, "ringSeconds"),
        "queueName": call.queue,
        "sessionId": call.call_id,
        "holdDuration": _seconds(r, "holdSeconds"),
    }


def end_note(call: Call) -> str:
    r = call.record
    fields = completion_fields(call)
    lines = [
        f"Call {call.call_id} finished ({call.direction.lower()}).",
        f"Duration: {fields['callDuration'] if fields['callDuration'] is not None else '-'} s, "
        f"talk {_seconds(r, 'talkSeconds')} s, wait {fields['waitTime']} s, "
        f"hold {fields['holdDuration']} s.",
        f"Result: {(r.get('result') or '-').lower()}, hung up by "
        f"{(r.get('hangupParty') or '-').lower()}.",
    ]
    if r.get("recordingUrl"):
        lines.append(f"Recording: {r['recordingUrl']}")
    return "\n".join(lines)


async def customer_by_phone(
    phone: str | None, *, create: bool, country_code: str
) -> Contact | None:
    """R-ZD-1/R-ZD-9: the newest contact with the number; a new one when asked."""
    if phone is None:
        return None
    ids = await ContactPhone.filter(e164=phone).values_list("contact_id", flat=True)
    if ids:
        return await Contact.filter(id__in=ids).order_by("-created_at", "-id").first()
    if not create:
        return None
    return await directory.create_contact(
        actor=ACTOR,
        data=directory.ContactInput(name=phone, phones=[phone]),
        country_code=country_code,
    )


async def default_user(country_code: str) -> Contact:
    """The CRM default user voicemail tickets go to (R-ZD-4), made on first use."""
    found = await Contact.get_or_none(external_id=DEFAULT_USER)
    if found is not None:
        return found
    return await directory.create_contact(
        actor=ACTOR,
        data=directory.ContactInput(name="CRM default user", phones=[], external_id=DEFAULT_USER),
        country_code=country_code,
    )
