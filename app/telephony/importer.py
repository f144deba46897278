"""Idempotent bulk import of call records (R-CC-3..5): the GraphQL ``importCallRecords`` (all
or nothing) and ``deskql import-calls`` (bad lines rejected, the rest imported).

Validation is two passes: :func:`check_alone` parses every record and checks its rules and
duplicates inside the batch; :meth:`Importer.check_against_store` checks what needs the
database (known agents, a sub record's main record, main/sub consistency with stored records).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.checks import MAX_BATCH
from app.db import connection, dialect, is_postgres
from app.directory.agents import Agent, agents_by_name
from app.directory.teams import queue_ids
from app.errors import InvalidInput
from app.events import log
from app.telephony import fields, rules

# Column order of the bulk upsert.
COLUMNS = (
    "call_id",
    "main_call_id",
    "is_main",
    "call_type",
    "direction",
    "agent_id",
    "team_id",
    "queue_id",
    "customer_phone",
    "customer_name",
    "caller",
    "callee",
    "call_way",
    "started_at",
    "started_epoch",
    "answered_at",
    "ended_at",
    "ring_seconds",
    "talk_seconds",
    "hold_seconds",
    "queue_seconds",
    "hangup_party",
    "result",
    "transfer_flag",
    "consulted",
    "consult_count",
    "voicemail",
    "voicemail_url",
    "recording_url",
    "updated_at",
)
Stored = dict[str, tuple[bool, str]]  # {call_id: (is_main, direction)}


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
class Valid:
    index: int
    values: dict[str, Any]


async def check_alone(records: list[Any]) -> tuple[list[Valid], list[RecordError]]:
    """Pass 1: each record's fields and rules, and duplicates within the batch."""
    valid: list[Valid] = []
    errors: list[RecordError] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        if index % 512 == 511:
            await asyncio.sleep(0)  # a batch being written needs the loop for its I/O
        raw_id = record.get("id") if isinstance(record, dict) else None
        try:
            values = fields.parse(record)
            rules.check(values)
        except fields.Invalid as exc:
            errors.append(RecordError(index, raw_id, exc.field, exc.message))
            continue
        if values["call_id"] in seen:
            errors.append(
                RecordError(index, raw_id, "id", f"Duplicate of record {seen[values['call_id']]}.")
            )
            continue
        seen[values["call_id"]] = index
        valid.append(Valid(index, values))
    return valid, errors


class Importer:
    """Validates and writes batches. Keeps agent and queue look-ups for its lifetime (one
    request, or one CLI run), so a long import does not re-read them for every batch."""

    def __init__(self, *, actor: Principal) -> None:
        self.actor = actor
        self._agents: dict[str, Agent | None] = {}
        self._queues: dict[str, int] = {}
        # Records of a batch being written right now (import-calls pipelines its batches),
        # treated as stored when validating the next batch.
        self.pending: Stored = {}

    async def validate(self, records: list[Any]) -> tuple[list[Valid], list[RecordError], Stored]:
        """Both passes. Returns the valid records, the errors (by record), and what the
        database already holds for the ids involved."""
        valid, errors = await check_alone(records)
        valid, store_errors, existing = await self.check_against_store(valid)
        errors = sorted(errors + store_errors, key=lambda e: e.index)
        return valid, errors, existing

    async def check_against_store(
        self, valid: list[Valid]
    ) -> tuple[list[Valid], list[RecordError], Stored]:
        """Pass 2: agents exist, a leg's main record is stored or in the batch (its direction
        is copied to the leg), and no id changes between main and sub."""
        await self._load_agents({v.values["agent"] for v in valid if v.values["agent"]})
        wanted = {v.values["main_call_id"] for v in valid} | {v.values["call_id"] for v in valid}
        existing = await stored(wanted)
        existing.update((k, v) for k, v in self.pending.items() if k in wanted)
        batch_mains = {
            v.values["call_id"]: v.values["call_type"] for v in valid if v.values["is_main"]
        }
        kept, errors = [], []
        for item in valid:
            try:
                self._check_stored(item.values, existing, batch_mains)
            except fields.Invalid as exc:
                errors.append(
                    RecordError(item.index, item.values["call_id"], exc.field, exc.message)
                )
                continue
            kept.append(item)
        return kept, errors, existing

    def _check_stored(self, values: dict, existing: Stored, batch_mains: dict[str, str]) -> None:
        if values["agent"] and self._agents.get(values["agent"]) is None:
            raise fields.Invalid("agentAccount", f"Unknown agent {values['agent']!r}.")
        known = existing.get(values["call_id"])
        if known and known[0] != values["is_main"]:
            raise fields.Invalid(
                "mainCallId",
                f"This id is already stored as a {'main' if known[0] else 'sub'} record.",
            )
        if values["is_main"]:
            values["direction"] = values["call_type"]
            return
        main = values["main_call_id"]
        if main in batch_mains:
            values["direction"] = batch_mains[main]
        elif main in existing and existing[main][0]:
            values["direction"] = existing[main][1]
        else:
            raise fields.Invalid(
                "mainCallId", f"Main record {main!r} is neither stored nor in this batch."
            )

    async def _load_agents(self, names: set[str]) -> None:
        missing = [n for n in names if n not in self._agents]
        if not missing:
            return
        found = await agents_by_name(missing)
        self._agents.update({name: found.get(name) for name in missing})

    async def write(self, valid: list[Valid], existing: Stored) -> ImportOutcome:
        """Upsert the valid records and log one domain event, all in one transaction."""
        outcome = ImportOutcome()
        if not valid:
            return outcome
        async with in_transaction() as conn:
            names = {v.values["queue"] for v in valid if v.values["queue"]} - set(self._queues)
            self._queues.update(await queue_ids(names, conn))
            rows = [self._row(item.values) for item in valid]
            for item in valid:
                call_id = item.values["call_id"]
                if call_id in existing:
                    outcome.updated += 1
                else:
                    outcome.created += 1
                outcome.call_ids.append(call_id)
            await _upsert(conn, rows)
            # A main record re-imported with the other direction carries its legs with it.
            changed = [
                (item.values["direction"], item.values["call_id"])
                for item in valid
                if item.values["is_main"]
                and item.values["call_id"] in existing
                and existing[item.values["call_id"]][1] != item.values["direction"]
            ]
            if changed:
                await conn.execute_many(
                    dialect("UPDATE call_record SET direction = ? WHERE main_call_id = ?", conn),
                    [[d, m] for d, m in changed],
                )
            await log.append(
                conn,
                "calls.imported",
                None,
                {
                    "callIds": outcome.call_ids,
                    "created": outcome.created,
                    "updated": outcome.updated,
                },
                actor=self.actor,
                source="import",
            )
        return outcome

    def _row(self, values: dict[str, Any]) -> list:
        row = dict(values)
        agent = self._agents.get(row.pop("agent")) if values["agent"] else None
        queue = row.pop("queue")
        row["agent_id"] = agent.id if agent else None
        row["team_id"] = agent.team_id if agent else None
        row["queue_id"] = self._queues[queue[:64]] if queue else None
        return [row[c] for c in COLUMNS]


_UPDATES = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "call_id")
_STAGE = "deskql_call_stage"


async def _upsert(conn: BaseDBAsyncClient, rows: list[list]) -> None:
    """INSERT ... ON CONFLICT (call_id) DO UPDATE. On PostgreSQL the rows are first COPYed
    into a temporary table (several times faster than row-by-row INSERTs for big batches)."""
    if is_postgres(conn) and len(rows) > 50:
        raw = conn._connection  # the transaction's asyncpg connection
        await raw.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} ON COMMIT DELETE ROWS AS "
            f"SELECT {', '.join(COLUMNS)} FROM call_record WITH NO DATA"
        )
        await raw.copy_records_to_table(_STAGE, records=rows, columns=list(COLUMNS))
        await raw.execute(
            f"INSERT INTO call_record ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} "
            f"FROM {_STAGE} ON CONFLICT (call_id) DO UPDATE SET {_UPDATES}"
        )
        return
    await conn.execute_many(
        dialect(
            f"INSERT INTO call_record ({', '.join(COLUMNS)}) VALUES "
            f"({', '.join('?' * len(COLUMNS))}) ON CONFLICT (call_id) DO UPDATE "
            f"SET {_UPDATES}",
            conn,
        ),
        rows,
    )


async def stored(call_ids: set[str]) -> Stored:
    """What is stored for these ids: {call_id: (is_main, direction)}. Raw SQL: the ORM's
    per-parameter query building costs more than the query itself for 10 000 ids."""
    conn = connection()
    ids = list(call_ids)
    if is_postgres(conn):
        rows = await conn.execute_query_dict(
            "SELECT call_id, is_main, direction FROM call_record WHERE call_id = ANY($1::text[])",
            [ids],
        )
    else:
        rows = []
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            rows += await conn.execute_query_dict(
                "SELECT call_id, is_main, direction FROM call_record WHERE call_id IN "
                f"({', '.join('?' * len(chunk))})",
                chunk,
            )
    return {row["call_id"]: (bool(row["is_main"]), row["direction"]) for row in rows}


async def import_call_records(*, actor: Principal, records: list[Any]) -> ImportOutcome:
    """The GraphQL import: all or nothing, at most MAX_BATCH records."""
    if len(records) > MAX_BATCH:
        raise InvalidInput(f"At most {MAX_BATCH} records per call.", field="records")
    if not records:
        raise InvalidInput("No records.", field="records")
    importer = Importer(actor=actor)
    valid, errors, existing = await importer.validate(records)
    if errors:
        raise InvalidInput(
            f"{len(errors)} of {len(records)} records are invalid, nothing was written. "
            f"First: record {errors[0].index}, {errors[0].field}: {errors[0].message}",
            field=f"records[{errors[0].index}].{errors[0].field}",
            recordErrors=[e.as_dict() for e in errors[:100]],
        )
    return await importer.write(valid, existing)
