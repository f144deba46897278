"""Parsing one call record's fields (R-CC-5): each field alone, its type, enum, length and
time zone. Records arrive as dicts with the GraphQL/JSONL field names (``id``, ``mainCallId``,
``callType``, ``agentAccount`` ...); datetimes may be ISO-8601 strings (a zone is required) or
aware datetimes. The rules between fields are in app/telephony/rules.py."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from app.telephony.models import CallResult, CallType, CallWay, HangupParty, TransferFlag

MAX_SECONDS = 7 * 24 * 3600

_ENUMS: dict[str, type[StrEnum]] = {
    "callType": CallType,
    "hangupParty": HangupParty,
    "result": CallResult,
    "callWay": CallWay,
    "transferFlag": TransferFlag,
}
_ALLOWED = {name: frozenset(member.value for member in enum) for name, enum in _ENUMS.items()}
SECONDS = ("ringSeconds", "talkSeconds", "holdSeconds", "queueSeconds")
_TEXT = {
    "customerPhone": 32,
    "customerName": 128,
    "caller": 32,
    "callee": 32,
    "voicemailUrl": 500,
    "recordingUrl": 500,
    "queue": 64,
    "agentAccount": 64,
}
KNOWN_FIELDS = frozenset(
    {
        "id",
        "mainCallId",
        "startedAt",
        "answeredAt",
        "endedAt",
        "consulted",
        "consultCount",
        "voicemail",
        *_ENUMS,
        *SECONDS,
        *_TEXT,
    }
)


class Invalid(Exception):
    """One record's problem: the field and what is wrong with it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def datetime_field(record: dict, name: str, *, required: bool = False) -> datetime | None:
    value = record.get(name)
    if value is None or value == "":
        if required:
            raise Invalid(name, f"{name} is required.")
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise Invalid(name, f"{name} is not an ISO-8601 date-time.") from None
    if not isinstance(value, datetime):
        raise Invalid(name, f"{name} is not a date-time.")
    if value.tzinfo is None:
        raise Invalid(name, f"{name} needs a time zone (e.g. Z or +08:00).")
    return value.astimezone(UTC)


def enum_field(record: dict, name: str, *, default: str | None = None) -> str | None:
    """The value as a plain string (StrEnum members compare and hash equal to it)."""
    value = record.get(name)
    if value is None:
        return default
    value = getattr(value, "value", value)
    if value not in _ALLOWED[name]:
        raise Invalid(name, f"{name} must be one of {', '.join(_ALLOWED_ORDER[name])}.")
    return str(value)


_ALLOWED_ORDER = {name: [member.value for member in enum] for name, enum in _ENUMS.items()}


def seconds_field(record: dict, name: str) -> int:
    value = record.get(name)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(name, f"{name} must be a whole number of seconds.")
    if not 0 <= value <= MAX_SECONDS:
        raise Invalid(name, f"{name} must be between 0 and {MAX_SECONDS}.")
    return value


def text_field(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid(name, f"{name} must be a string.")
    value = value.strip()
    if len(value) > _TEXT[name]:
        raise Invalid(name, f"{name} is longer than {_TEXT[name]} characters.")
    return value or None


def bool_field(record: dict, name: str) -> bool:
    value = record.get(name, False)
    if value in (0, 1):  # the telephony system's 0/1 flags
        return bool(value)
    if not isinstance(value, bool):
        raise Invalid(name, f"{name} must be true or false.")
    return value


def url_field(record: dict, name: str) -> str | None:
    url = text_field(record, name)
    if url and not url.startswith(("https://", "http://")):
        raise Invalid(name, f"{name} must be an http(s) URL.")
    return url


def _id(record: dict, name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise Invalid(name, f"{name} is required (1-64 characters).")
    return value.strip()


def parse(record: Any) -> dict[str, Any]:
    """Every field of one record, parsed: the column values of a call_record row (plus the
    agent's and queue's names, resolved later). Raises Invalid."""
    if not isinstance(record, dict):
        raise Invalid("record", "Each record must be an object.")
    unknown = sorted(set(record) - KNOWN_FIELDS)
    if unknown:
        raise Invalid(unknown[0], f"Unknown field {unknown[0]}.")
    call_id, main_id = _id(record, "id"), _id(record, "mainCallId")
    call_type = enum_field(record, "callType")
    if call_type is None:
        raise Invalid("callType", "callType is required.")
    started = datetime_field(record, "startedAt", required=True)
    assert started is not None
    consult_count = record.get("consultCount", 0) or 0
    if (
        isinstance(consult_count, bool)
        or not isinstance(consult_count, int)
        or not 0 <= consult_count <= 1000
    ):
        raise Invalid("consultCount", "consultCount must be a whole number 0-1000.")
    seconds = {name: seconds_field(record, name) for name in SECONDS}
    return {
        "call_id": call_id,
        "main_call_id": main_id,
        "is_main": call_id == main_id,
        "call_type": call_type,
        "agent": text_field(record, "agentAccount"),
        "queue": text_field(record, "queue"),
        "customer_phone": text_field(record, "customerPhone"),
        "customer_name": text_field(record, "customerName"),
        "caller": text_field(record, "caller"),
        "callee": text_field(record, "callee"),
        "call_way": enum_field(record, "callWay"),
        "started_at": started,
        "started_epoch": int(started.timestamp()),
        "answered_at": datetime_field(record, "answeredAt"),
        "ended_at": datetime_field(record, "endedAt"),
        "ring_seconds": seconds["ringSeconds"],
        "talk_seconds": seconds["talkSeconds"],
        "hold_seconds": seconds["holdSeconds"],
        "queue_seconds": seconds["queueSeconds"],
        "hangup_party": enum_field(record, "hangupParty"),
        "result": enum_field(record, "result"),
        "transfer_flag": enum_field(record, "transferFlag", default=TransferFlag.NONE.value),
        "consulted": bool_field(record, "consulted"),
        "consult_count": consult_count,
        "voicemail": bool_field(record, "voicemail"),
        "voicemail_url": url_field(record, "voicemailUrl"),
        "recording_url": url_field(record, "recordingUrl"),
        "updated_at": datetime.now(UTC),
    }
