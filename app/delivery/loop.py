"""A background loop: run a step until it finds nothing to do, then wait to be woken (or the
interval), and never let one failure stop it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from app.events.signals import LogSignal

log = logging.getLogger("deskql.delivery")


class Loop:
    def __init__(self, name: str, step: Callable[[], Awaitable[int]], signal: LogSignal) -> None:
        self.name = name
        self.step = step
        self.signal = signal
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._wake: asyncio.Event | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self, grace: float = 10.0) -> None:
        """Let the step under way finish (up to ``grace`` seconds: what it sent is recorded),
        then stop. A step cut short is harmless: what was not recorded is sent again."""
        if self._task is None:
            return
        self._stopping = True
        if self._wake is not None:
            self._wake.set()
        with contextlib.suppress(TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(asyncio.shield(self._task), timeout=grace)
        if not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        wake = self._wake = self.signal.waiter()
        try:
            failures = 0
            while not self._stopping:
                try:
                    busy = await self.step()
                    failures = 0
                except asyncio.CancelledError:
                    raise
                except Exception:  # the database may be away: try again, less and less often
                    failures += 1
                    pause = min(30.0, 0.5 * 2**failures)
                    log.exception("%s: step failed; trying again in %.0f s", self.name, pause)
                    await asyncio.sleep(pause)
                    busy = 0
                if not busy and not self._stopping:
                    await self.signal.wait(wake)
        finally:
            self.signal.forget(wake)
