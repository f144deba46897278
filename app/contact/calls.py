"""Call records: validation and idempotent bulk import (R-CC-3..5), and who may see which.

Records arrive as dicts with the GraphQL/JSONL field names (``id``, ``mainCallId``, ``callType``,
``agentAccount`` ...). Datetimes may be ISO-8601 strings (a zone is required) or aware datetimes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from tortoise.transactions import in_transaction

from app.accounts.models import Account
from app.accounts.permissions import Permission
from app.accounts.principal import Principal
from app.contact import events, models
from app.contact.models import (
    MAIN_CALL_TYPES,
    THIRD_PARTY_CALL_TYPES,
    THIRD_PARTY_RESULTS,
    CallResult,
    CallType,
    CallWay,
    HangupParty,
    TransferFlag,
)
from app.contact.sql import connection, db_datetime, dialect, is_postgres
from app.errors import InvalidInput

MAX_BATCH = 1000
MAX_SECONDS = 7 * 24 * 3600

_ENUMS = {
    "callType": CallType, "hangupParty": HangupParty, "result": CallResult,
    "callWay": CallWay, "transferFlag": TransferFlag,
}
_SECONDS = ("ringSeconds", "talkSeconds", "holdSeconds", "queueSeconds")
_TEXT = {"customerPhone": 32, "customerName": 128, "caller": 32, "callee": 32,
         "voicemailUrl": 500, "recordingUrl": 500, "queue": 64, "agentAccount": 64}
KNOWN_FIELDS = frozenset({"id", "mainCallId", "startedAt", "answeredAt", "endedAt", "consulted",
                          "consultCount", "voicemail", *_ENUMS, *_SECONDS, *_TEXT})

# Column order of the bulk upsert.
COLUMNS = (
    "call_id", "main_call_id", "is_main", "call_type", "direction", "agent_id", "team_id",
    "queue_id", "customer_phone", "customer_name", "caller", "callee", "call_way", "started_at",
    "started_epoch", "answered_at", "ended_at", "ring_seconds", "talk_seconds", "hold_seconds",
    "queue_seconds", "hangup_party", "result", "transfer_flag", "consulted", "consult_count",
    "voicemail", "voicemail_url", "recording_url", "updated_at",
)


@dataclass
class RecordError:
    index: int
    id: str | None
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"record": self.index, "id": self.id, "field": self.field, "message": self.message}


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    call_ids: list[str] = field(default_factory=list)


@dataclass
class _Valid:
    index: int
    values: dict[str, Any]


class _Invalid(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message


def _datetime(record: dict, name: str, *, required: bool = False) -> datetime | None:
    value = record.get(name)
    if value is None or value == "":
        if required:
            raise _Invalid(name, f"{name} is required.")
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise _Invalid(name, f"{name} is not an ISO-8601 date-time.") from None
    if not isinstance(value, datetime):
        raise _Invalid(name, f"{name} is not a date-time.")
    if value.tzinfo is None:
        raise _Invalid(name, f"{name} needs a time zone (e.g. Z or +08:00).")
    return value.astimezone(timezone.utc)


_ALLOWED = {name: frozenset(member.value for member in enum) for name, enum in _ENUMS.items()}


def _enum(record: dict, name: str, *, default=None):
    """The value as a plain string (StrEnum members compare and hash equal to it)."""
    value = record.get(name)
    if value is None:
        return default
    value = getattr(value, "value", value)
    if value not in _ALLOWED[name]:
        raise _Invalid(name, f"{name} must be one of {', '.join(_ENUMS[name])}.")
    return value


def _int(record: dict, name: str) -> int:
    value = record.get(name)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(name, f"{name} must be a whole number of seconds.")
    if not 0 <= value <= MAX_SECONDS:
        raise _Invalid(name, f"{name} must be between 0 and {MAX_SECONDS}.")
    return value


def _text(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(name, f"{name} must be a string.")
    value = value.strip()
    if len(value) > _TEXT[name]:
        raise _Invalid(name, f"{name} is longer than {_TEXT[name]} characters.")
    return value or None


def _bool(record: dict, name: str) -> bool:
    value = record.get(name, False)
    if value in (0, 1):  # the telephony system's 0/1 flags
        return bool(value)
    if not isinstance(value, bool):
        raise _Invalid(name, f"{name} must be true or false.")
    return value


def _check_one(record: Any) -> dict[str, Any]:
    """Everything that can be checked on one record alone. Raises _Invalid."""
    if not isinstance(record, dict):
        raise _Invalid("record", "Each record must be an object.")
    unknown = sorted(set(record) - KNOWN_FIELDS)
    if unknown:
        raise _Invalid(unknown[0], f"Unknown field {unknown[0]}.")
    call_id, main_id = record.get("id"), record.get("mainCallId")
    for name, value in (("id", call_id), ("mainCallId", main_id)):
        if not isinstance(value, str) or not value.strip() or len(value) > 64:
            raise _Invalid(name, f"{name} is required (1-64 characters).")
    call_id, main_id = call_id.strip(), main_id.strip()
    call_type = _enum(record, "callType")
    if call_type is None:
        raise _Invalid("callType", "callType is required.")
    is_main = call_id == main_id
    if is_main and call_type not in MAIN_CALL_TYPES:
        raise _Invalid("callType", "A main record (id = mainCallId) must be INBOUND or OUTBOUND.")
    if not is_main and call_type in MAIN_CALL_TYPES:
        raise _Invalid("callType", "A sub record (id != mainCallId) cannot be INBOUND or OUTBOUND.")
    started = _datetime(record, "startedAt", required=True)
    answered = _datetime(record, "answeredAt")
    ended = _datetime(record, "endedAt")
    if ended is not None and ended < started:
        raise _Invalid("endedAt", "endedAt is before startedAt.")
    if answered is not None and answered < started:
        raise _Invalid("answeredAt", "answeredAt is before startedAt.")
    if answered is not None and ended is not None and ended < answered:
        raise _Invalid("endedAt", "endedAt is before answeredAt.")
    seconds = {name: _int(record, name) for name in _SECONDS}
    if seconds["talkSeconds"]:
        if answered is None:
            raise _Invalid("talkSeconds", "talkSeconds without answeredAt.")
        if ended is not None and seconds["talkSeconds"] > (ended - answered).total_seconds():
            raise _Invalid("talkSeconds", "talkSeconds is longer than answeredAt to endedAt.")
    result = _enum(record, "result")
    if result in THIRD_PARTY_RESULTS and call_type not in THIRD_PARTY_CALL_TYPES:
        raise _Invalid("result", f"{result} is only for third-party legs.")
    if result == CallResult.ANSWERED and answered is None:
        raise _Invalid("answeredAt", "An ANSWERED record needs answeredAt.")
    agent = _text(record, "agentAccount")
    if agent is None and call_type not in THIRD_PARTY_CALL_TYPES and call_type in (
            CallType.OUTBOUND, CallType.TRANSFER_AGENT, CallType.TRANSFER_CONSULT,
            CallType.CONSULT_AGENT, CallType.MONITOR, CallType.BARGE_IN):
        raise _Invalid("agentAccount", f"A {call_type} record needs agentAccount.")
    consult_count = record.get("consultCount", 0) or 0
    if isinstance(consult_count, bool) or not isinstance(consult_count, int) or not \
            0 <= consult_count <= 1000:
        raise _Invalid("consultCount", "consultCount must be a whole number 0-1000.")
    voicemail = _bool(record, "voicemail")
    voicemail_url = _text(record, "voicemailUrl")
    if voicemail_url and not voicemail:
        raise _Invalid("voicemailUrl", "voicemailUrl is set but voicemail is false.")
    for name in ("voicemailUrl", "recordingUrl"):
        url = _text(record, name)
        if url and not url.startswith(("https://", "http://")):
            raise _Invalid(name, f"{name} must be an http(s) URL.")
    now = datetime.now(timezone.utc)
    return {
        "call_id": call_id, "main_call_id": main_id, "is_main": is_main, "call_type": call_type,
        "agent": agent, "queue": _text(record, "queue"),
        "customer_phone": _text(record, "customerPhone"),
        "customer_name": _text(record, "customerName"), "caller": _text(record, "caller"),
        "callee": _text(record, "callee"), "call_way": _enum(record, "callWay"),
        "started_at": started, "started_epoch": int(started.timestamp()),
        "answered_at": answered, "ended_at": ended,
        "ring_seconds": seconds["ringSeconds"], "talk_seconds": seconds["talkSeconds"],
        "hold_seconds": seconds["holdSeconds"], "queue_seconds": seconds["queueSeconds"],
        "hangup_party": _enum(record, "hangupParty"), "result": result,
        "transfer_flag": _enum(record, "transferFlag", default=TransferFlag.NONE.value),
        "consulted": _bool(record, "consulted"), "consult_count": consult_count,
        "voicemail": voicemail, "voicemail_url": voicemail_url,
        "recording_url": _text(record, "recordingUrl"), "updated_at": now,
    }


class Importer:
    """Validates and writes batches. Keeps agent and queue look-ups for its lifetime (one
    request, or one CLI run), so a long import does not re-read them for every batch."""

    def __init__(self) -> None:
        self._agents: dict[str, tuple[int, int | None] | None] = {}
        self._queues: dict[str, int] = {}
        # Records of a batch being written right now (import-calls pipelines its batches):
        # {call_id: (is_main, direction)}, treated as stored when validating the next batch.
        self.pending: dict[str, tuple[bool, str]] = {}

    async def _agents_for(self, names: set[str]) -> None:
        missing = [n for n in names if n not in self._agents]
        if not missing:
            return
        rows = await Account.filter(account__in=missing).values("id", "account",
                                                                 "team_membership__team_id")
        for name in missing:
            self._agents[name] = None
        for row in rows:
            self._agents[row["account"]] = (row["id"], row["team_membership__team_id"])

    async def validate(self, records: list[Any]) -> tuple[list[_Valid], list[RecordError],
                                                           dict[str, tuple[bool, str]]]:
        """Check every record. Returns the valid ones, the errors, and what the database
        already holds for the ids involved: {call_id: (is_main, direction)}."""
        valid: list[_Valid] = []
        errors: list[RecordError] = []
        seen: dict[str, int] = {}
        for index, record in enumerate(records):
            if index % 512 == 511:
                await asyncio.sleep(0)  # a batch being written needs the loop for its I/O
            raw_id = record.get("id") if isinstance(record, dict) else None
            try:
                values = _check_one(record)
            except _Invalid as exc:
                errors.append(RecordError(index, raw_id, exc.field, exc.message))
                continue
            if values["call_id"] in seen:
                errors.append(RecordError(index, raw_id, "id",
                                          f"Duplicate of record {seen[values['call_id']]}."))
                continue
            seen[values["call_id"]] = index
            valid.append(_Valid(index, values))
        await self._agents_for({v.values["agent"] for v in valid if v.values["agent"]})
        wanted = {v.values["main_call_id"] for v in valid} | {v.values["call_id"] for v in valid}
        existing = await _existing(wanted)
        existing.update((k, v) for k, v in self.pending.items() if k in wanted)
        batch_mains = {v.values["call_id"]: v.values["call_type"]
                       for v in valid if v.values["is_main"]}
        still_valid = []
        for item in valid:
            values = item.values
            try:
                if values["agent"] and self._agents.get(values["agent"]) is None:
                    raise _Invalid("agentAccount", f"Unknown agent {values['agent']!r}.")
                known = existing.get(values["call_id"])
                if known and known[0] != values["is_main"]:
                    raise _Invalid("mainCallId", "This id is already stored as a "
                                   f"{'main' if known[0] else 'sub'} record.")
                if values["is_main"]:
                    values["direction"] = values["call_type"]
                else:
                    main = values["main_call_id"]
                    if main in batch_mains:
                        values["direction"] = batch_mains[main]
                    elif main in existing and existing[main][0]:
                        values["direction"] = existing[main][1]
                    else:
                        raise _Invalid("mainCallId",
                                       f"Main record {main!r} is neither stored nor in this batch.")
            except _Invalid as exc:
                errors.append(RecordError(item.index, values["call_id"], exc.field, exc.message))
                continue
            still_valid.append(item)
        errors.sort(key=lambda e: e.index)
        return still_valid, errors, existing

    async def _queue_ids(self, names: set[str], conn) -> None:
        missing = sorted(n for n in names if n not in self._queues)
        if not missing:
            return
        now = db_datetime(datetime.now(timezone.utc), conn)
        await conn.execute_many(
            dialect("INSERT INTO call_queue (name, created_at) VALUES (?, ?) "
                    "ON CONFLICT (name) DO NOTHING", conn),
            [[name, now] for name in missing],
        )
        rows = await models.Queue.filter(name__in=missing).using_db(conn).values("id", "name")
        self._queues.update({row["name"]: row["id"] for row in rows})

    async def write(self, valid: list[_Valid], existing: dict[str, tuple[bool, str]]) -> ImportOutcome:
        """Upsert the valid records and log one domain event, all in one transaction."""
        outcome = ImportOutcome()
        if not valid:
            return outcome
        async with in_transaction() as conn:
            await self._queue_ids({v.values["queue"] for v in valid if v.values["queue"]}, conn)
            rows = []
            postgres = is_postgres(conn)
            for item in valid:
                values = dict(item.values)
                agent = self._agents.get(values.pop("agent")) if values["agent"] else None
                queue = values.pop("queue")
                values["agent_id"] = agent[0] if agent else None
                values["team_id"] = agent[1] if agent else None
                values["queue_id"] = self._queues[queue] if queue else None
                if postgres:
                    rows.append([values[c] for c in COLUMNS])
                else:
                    rows.append([_sqlite(values[c]) for c in COLUMNS])
                if values["call_id"] in existing:
                    outcome.updated += 1
                else:
                    outcome.created += 1
                outcome.call_ids.append(values["call_id"])
            await _upsert(conn, rows)
            # A main record re-imported with the other direction carries its legs with it.
            changed = [(item.values["direction"], item.values["call_id"]) for item in valid
                       if item.values["is_main"] and item.values["call_id"] in existing
                       and existing[item.values["call_id"]][1] != item.values["direction"]]
            if changed:
                await conn.execute_many(
                    dialect("UPDATE call_record SET direction = ? WHERE main_call_id = ?", conn),
                    [[d, m] for d, m in changed])
            await events.append(conn, "calls.imported", None, {
                "callIds": outcome.call_ids, "created": outcome.created,
                "updated": outcome.updated})
        return outcome


_UPDATES = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "call_id")
_STAGE = "deskql_call_stage"


async def _upsert(conn, rows: list[list]) -> None:
    """INSERT ... ON CONFLICT (call_id) DO UPDATE. On PostgreSQL the rows are first COPYed
    into a temporary table (several times faster than row-by-row INSERTs for big batches)."""
    if is_postgres(conn) and len(rows) > 50:
        raw = conn._connection  # the transaction's asyncpg connection
        await raw.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} ON COMMIT DELETE ROWS AS "
            f"SELECT {', '.join(COLUMNS)} FROM call_record WITH NO DATA")
        await raw.copy_records_to_table(_STAGE, records=rows, columns=list(COLUMNS))
        await raw.execute(
            f"INSERT INTO call_record ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} "
            f"FROM {_STAGE} ON CONFLICT (call_id) DO UPDATE SET {_UPDATES}")
        return
    await conn.execute_many(
        dialect(f"INSERT INTO call_record ({', '.join(COLUMNS)}) VALUES "
                f"({', '.join('?' * len(COLUMNS))}) ON CONFLICT (call_id) DO UPDATE "
                f"SET {_UPDATES}", conn),
        rows,
    )


def _sqlite(value):
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")  # already UTC: the text Tortoise writes
    return value


async def _existing(call_ids: set[str]) -> dict[str, tuple[bool, str]]:
    """What is stored for these ids: {call_id: (is_main, direction)}. Raw SQL: the ORM's
    per-parameter query building costs more than the query itself for 10 000 ids."""
    conn = connection()
    ids = list(call_ids)
    if is_postgres(conn):
        rows = await conn.execute_query_dict(
            "SELECT call_id, is_main, direction FROM call_record WHERE call_id = ANY($1::text[])",
            [ids])
    else:
        rows = []
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            rows += await conn.execute_query_dict(
                "SELECT call_id, is_main, direction FROM call_record WHERE call_id IN "
                f"({', '.join('?' * len(chunk))})", chunk)
    return {row["call_id"]: (bool(row["is_main"]), row["direction"]) for row in rows}


async def import_call_records(records: list[Any]) -> ImportOutcome:
    """The GraphQL import: all or nothing, at most MAX_BATCH records."""
    if len(records) > MAX_BATCH:
        raise InvalidInput(f"At most {MAX_BATCH} records per call.", field="records")
    if not records:
        raise InvalidInput("No records.", field="records")
    importer = Importer()
    valid, errors, existing = await importer.validate(records)
    if errors:
        raise InvalidInput(
            f"{len(errors)} of {len(records)} records are invalid, nothing was written. "
            f"First: record {errors[0].index}, {errors[0].field}: {errors[0].message}",
            field=f"records[{errors[0].index}].{errors[0].field}",
            recordErrors=[e.as_dict() for e in errors[:100]],
        )
    return await importer.write(valid, existing)


# --- visibility (R-AUTH-3) ---

def sees_all_calls(principal: Principal) -> bool:
    return principal.has(Permission.CALLS_VIEW_ALL)


def visible_calls(principal: Principal):
    """Agents see the records where they are the agent: their own main records and every leg
    they were consulted, transfer-consulted or transferred on. ``calls.view_all`` sees all."""
    query = models.CallRecord.all()
    if not sees_all_calls(principal):
        query = query.filter(agent_id=principal.id)
    return query
