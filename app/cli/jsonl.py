"""``deskql import-calls FILE.jsonl``: one call record per line, the GraphQL field names.

Lines are read in batches. Every line is validated exactly like ``importCallRecords``; a bad line
is rejected (with its line number, field and reason) and the rest of its batch is imported, each
batch in one transaction with its domain event. Re-running the same file updates, never
duplicates. A sub record whose main record was rejected is rejected too.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.accounts.principal import Principal
from app.db import is_postgres
from app.telephony.importer import Importer


@dataclass
class Rejected:
    line: int
    field: str
    message: str
    id: str | None = None


@dataclass
class FileOutcome:
    lines: int = 0
    created: int = 0
    updated: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def imported(self) -> int:
        return self.created + self.updated

    @property
    def rate(self) -> float:
        return self.imported / self.seconds if self.seconds else 0.0


class Progress:
    """A progress bar on a terminal; a line every 10 % otherwise (logs, CI)."""

    def __init__(self, total_bytes: int, stream=None) -> None:
        self.total = max(total_bytes, 1)
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.perf_counter()
        self._last_decile = -1

    def update(self, done_bytes: int, records: int, rejected: int) -> None:
        fraction = min(done_bytes / self.total, 1.0)
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        text = (
            f"{fraction * 100:5.1f}%  {records:,} records  {records / elapsed:,.0f}/s  "
            f"{rejected:,} rejected"
        )
        if self.tty:
            width = 30
            bar = "#" * int(fraction * width)
            self.stream.write(f"\r[{bar:<{width}}] {text}")
            self.stream.flush()
        elif int(fraction * 10) > self._last_decile:
            self._last_decile = int(fraction * 10)
            self.stream.write(f"import-calls: {text}\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")


async def import_file(
    path: Path, *, batch_size: int = 5000, progress: Progress | None = None
) -> FileOutcome:
    outcome = FileOutcome()
    importer = Importer(actor=Principal.system("cli"))
    started = time.perf_counter()
    done_bytes = 0
    batch: list[tuple[int, dict]] = []

    # On PostgreSQL batch N is written while batch N+1 is read and validated (the records of
    # the batch in flight count as stored for validation). SQLite has one connection: in turn.
    pipelined = is_postgres()
    in_flight: asyncio.Task | None = None

    async def finish_write() -> None:
        nonlocal in_flight
        if in_flight is not None:
            written = await in_flight
            in_flight = None
            importer.pending.clear()
            outcome.created += written.created
            outcome.updated += written.updated

    async def flush() -> None:
        nonlocal in_flight
        if not batch:
            return
        records = [record for _, record in batch]
        valid, errors, existing = await importer.validate(records)
        for error in errors:
            outcome.rejected.append(
                Rejected(batch[error.index][0], error.field, error.message, error.id)
            )
        await finish_write()
        importer.pending.update(
            {v.values["call_id"]: (v.values["is_main"], v.values["direction"]) for v in valid}
        )
        in_flight = asyncio.create_task(importer.write(valid, existing))
        if not pipelined:
            await finish_write()
        batch.clear()
        if progress:
            progress.update(done_bytes, outcome.imported + len(valid), len(outcome.rejected))

    # Plain blocking reads: a local file read line by line is page-cache fast, and the batch in
    # flight gets the loop at every await below (and every 256 lines).
    with open(path, "rb") as source:  # noqa: ASYNC230
        for number, raw in enumerate(source, start=1):
            done_bytes += len(raw)
            outcome.lines = number
            text = raw.strip()
            if not text:
                continue
            try:
                record = json.loads(text)
            except ValueError as exc:
                outcome.rejected.append(Rejected(number, "line", f"not JSON: {exc}"))
                continue
            if not isinstance(record, dict):
                outcome.rejected.append(Rejected(number, "line", "not a JSON object"))
                continue
            batch.append((number, record))
            if pipelined and number % 256 == 0:
                await asyncio.sleep(0)  # let the batch in flight take its next round trip
            if len(batch) >= batch_size:
                await flush()
        await flush()
        await finish_write()
    if progress:
        progress.finish()
    outcome.seconds = time.perf_counter() - started
    return outcome
