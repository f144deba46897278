"""What happens around a call besides its legs and timings, reported by the telephony system so it
can be written to the call's ticket (R-ZD-7):

- ``SMART_ACTION``: a SmartAction (verification, photo, fingerprint …) finished — its result and
  shared files — or failed with an error on the user's side.
- ``VOICEMAIL``: an agent read, closed or called back the call's voicemail (kept on the call).
- ``API_RESPONSE``: an API access point answered during the call (posted as a key-value or JSON
  note when the Zendesk setting asks for it).

Like call events, an activity carries its own id: a replay changes nothing (app/events/ingest.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from tortoise.backends.base.client import BaseDBAsyncClient

from app.accounts.principal import Principal
from app.directory.agents import resolve_one
from app.errors import InvalidInput, NotFound
from app.events import ingest, log
from app.telephony import models

MAX_OUTCOME = 16 * 1024  # bytes of JSON
MAX_FILES = 10


class CallActivityType(StrEnum):
    SMART_ACTION = "SMART_ACTION"
    VOICEMAIL = "VOICEMAIL"
    API_RESPONSE = "API_RESPONSE"


@dataclass
class CallActivity:
    event_id: str
    type: CallActivityType
    call_id: str
    occurred_at: datetime
    agent_account: str | None = None
    action: str | None = None
    succeeded: bool | None = None
    error: str | None = None
    outcome: Any = None
    files: list[str] = field(default_factory=list)
    voicemail_state: models.VoicemailState | None = None


def _text(value: str | None, name: str, limit: int, *, required: bool) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput(f"{name} is required for this activity.", field=name)
        return None
    if len(value) > limit:
        raise InvalidInput(f"{name} is at most {limit} characters.", field=name)
    return value


def _outcome(value: Any, *, required: bool) -> Any:
    if value is None:
        if required:
            raise InvalidInput("outcome is required for this activity.", field="outcome")
        return None
    if len(json.dumps(value, ensure_ascii=False).encode()) > MAX_OUTCOME:
        raise InvalidInput(f"outcome is at most {MAX_OUTCOME} bytes of JSON.", field="outcome")
    return value


def _files(urls: list[str]) -> list[str]:
    if len(urls) > MAX_FILES:
        raise InvalidInput(f"At most {MAX_FILES} files.", field="files")
    checked = []
    for url in urls:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
            raise InvalidInput(f"{url[:80]!r} is not an http(s) URL of at most 500 characters.",
                               field="files")  # fmt: skip
        checked.append(url.strip())
    return checked


def check(activity: CallActivity) -> dict[str, Any]:
    """The activity's details for the event payload; BAD_USER_INPUT naming a wrong field."""
    kind = activity.type
    details: dict[str, Any] = {}
    if kind is CallActivityType.SMART_ACTION:
        details["action"] = _text(activity.action, "action", 100, required=True)
        if activity.succeeded is None:
            raise InvalidInput("succeeded is required for a SmartAction.", field="succeeded")
        details["succeeded"] = activity.succeeded
        error = _text(activity.error, "error", 2000, required=not activity.succeeded)
        if error:
            details["error"] = error
        outcome = _outcome(activity.outcome, required=False)
        if outcome is not None:
            details["outcome"] = outcome
        files = _files(activity.files)
        if files:
            details["files"] = files
    elif kind is CallActivityType.VOICEMAIL:
        if activity.voicemail_state is None:
            raise InvalidInput("voicemailState is required.", field="voicemailState")
        details["voicemailState"] = str(activity.voicemail_state)
    else:
        details["action"] = _text(activity.action, "action", 100, required=True)
        details["outcome"] = _outcome(activity.outcome, required=True)
    return details


async def record_call_activity(
    *, actor: Principal, activity: CallActivity
) -> tuple[bool, models.CallRecord]:
    """Apply one activity. Returns (duplicate, the main record of the call)."""
    at = ingest.check_event(activity.event_id, activity.occurred_at)
    details = check(activity)

    async def current(conn: BaseDBAsyncClient | None) -> models.CallRecord:
        query = models.CallRecord.filter(call_id=activity.call_id)
        record = await (query.using_db(conn) if conn else query).first()
        if record is None:
            raise NotFound("No such call.")
        if record.is_main:
            return record
        main = models.CallRecord.filter(call_id=record.main_call_id)
        return await (main.using_db(conn) if conn else main).first() or record

    async def apply(conn: BaseDBAsyncClient) -> models.CallRecord:
        record = await current(conn)
        agent = await resolve_one(activity.agent_account, conn=conn)
        if activity.type is CallActivityType.VOICEMAIL:
            if not record.voicemail:
                raise InvalidInput("The call has no voicemail.", field="callId")
            state = activity.voicemail_state
            assert state is not None  # check() made sure
            record.voicemail_state = state
            await (
                models.CallRecord.filter(id=record.id).using_db(conn).update(voicemail_state=state)
            )
        await log.append(
            conn,
            "call.activity",
            record.main_call_id,
            {
                "eventId": activity.event_id,
                "type": str(activity.type),
                "callId": activity.call_id,
                "mainCallId": record.main_call_id,
                "agentId": agent.id if agent else None,
                "agentAccount": activity.agent_account if agent else None,
                "occurredAt": at.isoformat(),
                **details,
            },
            actor=actor,
            source="live",
        )
        return record

    return await ingest.apply_once(activity.event_id, "call", apply=apply, current=current)
