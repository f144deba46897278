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
from typing import TextIO

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
    """On a terminal, a bar redrawn at most ten times a second; otherwise (logs, CI) one line
    at every tenth of the file read, 10 % to 90 %, and the 100 % line once everything is
    written. ``records`` counts what is written or being written, never twice."""

    def __init__(self, total_bytes: int, stream: TextIO | None = None) -> None:
        self.total = max(total_bytes, 1)
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.perf_counter()
        self._drawn = 0.0
        self._decile = 0  # the last tenth reported

    def update(self, done_bytes: int, lines: int, records: int, rejected: int) -> None:
        if self.tty:
            now = time.perf_counter()
            if now - self._drawn >= 0.1:
                self._drawn = now
                self._bar(done_bytes / self.total, lines, records, rejected)
            return
        while self._decile < 9 and done_bytes * 10 >= (self._decile + 1) * self.total:
            self._decile += 1
            self._line(self._decile * 10, lines, records, rejected)

    def finish(self, lines: int, records: int, rejected: int) -> None:
        if self.tty:
            self._bar(1.0, lines, records, rejected)
            self.stream.write("\n")
        else:
            self._line(100, lines, records, rejected)
        self.stream.flush()

    def _text(self, lines: int, records: int, rejected: int) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        return (
            f"{lines:,} lines read  {records:,} records imported  "
            f"{records / elapsed:,.0f}/s  {rejected:,} rejected"
        )

    def _bar(self, fraction: float, lines: int, records: int, rejected: int) -> None:
        width = 30
        bar = "#" * int(min(fraction, 1.0) * width)
        self.stream.write(
            f"\r[{bar:<{width}}] {min(fraction, 1.0) * 100:5.1f}%  "
            f"{self._text(lines, records, rejected)}"
        )
        self.stream.flush()

    def _line(self, percent: int, lines: int, records: int, rejected: int) -> None:
        self.stream.write(f"import-calls: {percent:3d}%  {self._text(lines, records, rejected)}\n")
        self.stream.flush()


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
    writing = 0  # records of the batch in flight

    def report() -> None:
        if progress:
            progress.update(
                done_bytes, outcome.lines, outcome.imported + writing, len(outcome.rejected)
            )

    async def finish_write() -> None:
        nonlocal in_flight, writing
        if in_flight is not None:
            written = await in_flight
            in_flight, writing = None, 0
            importer.pending.clear()
            outcome.created += written.created
            outcome.updated += written.updated

    async def flush() -> None:
        nonlocal in_flight, writing
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
        in_flight, writing = asyncio.create_task(importer.write(valid, existing)), len(valid)
        if not pipelined:
            await finish_write()
        batch.clear()
        report()

    # Plain blocking reads: a local file read line by line is page-cache fast, and the batch in
    # flight gets the loop at every await below (and every 256 lines).
    with open(path, "rb") as source:  # noqa: ASYNC230
        for number, raw in enumerate(source, start=1):
            done_bytes += len(raw)
            outcome.lines = number
            report()
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
        progress.finish(outcome.lines, outcome.imported, len(outcome.rejected))
    outcome.seconds = time.perf_counter() - started
    return outcome
