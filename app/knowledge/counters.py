"""View counts and the content-version check: the two bits of per-process bookkeeping.

Neither is state processes could disagree on: views are a write buffer flushed to the
database every second (a crash loses at most a second of counts), and the version is re-read
from the database at most every half second (an edit is seen everywhere within that)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter

from tortoise.expressions import F

from app.knowledge import models, service

log = logging.getLogger("deskql.knowledge")


class ViewCounter:
    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._pending: Counter[int] = Counter()
        self._task: asyncio.Task | None = None

    def add(self, question_id: int) -> None:
        self._pending[question_id] += 1

    async def flush(self) -> None:
        pending, self._pending = self._pending, Counter()
        while pending:
            question_id, count = pending.popitem()
            try:
                await models.HelpQuestion.filter(id=question_id).update(
                    view_count=F("view_count") + count
                )
            except Exception:
                self._pending.update(pending)  # keep what was not written for the next flush
                self._pending[question_id] += count
                raise

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="deskql-view-counter")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.flush()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.flush()
            except Exception:
                log.exception("flushing view counts failed; retrying next interval")


class ContentVersion:
    """The help-center content version, re-read from the database at most every `interval`."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self._version: int | None = None
        self._checked = 0.0
        self._lock = asyncio.Lock()

    async def current(self) -> int:
        if self._version is not None and time.monotonic() - self._checked < self.interval:
            return self._version
        async with self._lock:  # one query however many requests arrive at once
            if self._version is None or time.monotonic() - self._checked >= self.interval:
                self._version = await service.current_version()
                self._checked = time.monotonic()
        return self._version

    def mark_stale(self) -> None:
        """This process just edited: read the version again on the next request."""
        self._version = None
