"""This process's subscribers to the event log (GraphQL subscriptions): one reader of the log per
process, however many subscribers, handing each new event to the subscribers that want it.

An event committed by any process is read once :class:`app.events.signals.LogSignal` says the
log grew (``LISTEN/NOTIFY`` on PostgreSQL) or after at most its polling interval — the catch-up
read that finds what a lost notification did not announce.

Reading in commit order (:func:`app.events.log.read_stable`) would hold every subscriber back
behind the slowest writing transaction anywhere (a long import). Subscribers want events as soon
as they are committed, so the hub reads everything after its *stable* cursor (below which every
event has been handed out), hands out the events it has not handed out yet, and remembers their
ids until the stable cursor passes them. Nothing committed is missed and nothing is handed out
twice; events of concurrent transactions may come in the order they became visible.

A subscriber whose queue overflows (a socket that stopped reading) is dropped with
:class:`SubscriberTooSlow` rather than holding memory for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from app.db import connection, is_postgres
from app.errors import DomainError
from app.events import log
from app.events.models import DomainEvent
from app.events.signals import LogSignal

logger = logging.getLogger("deskql.events.hub")

PAGE = 500
QUEUE_LIMIT = 1000


class SubscriberTooSlow(DomainError):
    """The subscriber fell more than QUEUE_LIMIT events behind."""

    code = "SUBSCRIBER_TOO_SLOW"

    def __init__(self) -> None:
        super().__init__(
            f"This subscription fell more than {QUEUE_LIMIT} events behind and was ended: "
            "subscribe again (and read what was missed from the lists)."
        )


class _Subscriber:
    def __init__(self, accepts: Callable[[DomainEvent], bool]) -> None:
        self.accepts = accepts
        self.queue: asyncio.Queue[DomainEvent | None] = asyncio.Queue(QUEUE_LIMIT)
        self.overflowed = False

    def offer(self, event: DomainEvent) -> None:
        if self.overflowed:
            return
        try:
            if self.accepts(event):
                self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
            self.queue.put_nowait(None)
        except Exception:  # one subscriber's filter must not stop the others
            logger.exception("a subscriber's filter failed")


class Hub:
    def __init__(self, signal: LogSignal) -> None:
        self.signal = signal
        self._subscribers: set[_Subscriber] = set()
        self._stable = log.Cursor()
        self._seen: dict[int, int] = {}  # handed out above the stable cursor: id -> tx
        self._task: asyncio.Task | None = None
        self._wake: asyncio.Event | None = None
        self._started = asyncio.Event()  # set once the cursor is where new subscribers begin

    def __len__(self) -> int:
        return len(self._subscribers)

    def start(self) -> None:
        self._wake = self.signal.waiter()
        self._task = asyncio.create_task(self._run(), name="event-hub")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._wake is not None:
            self.signal.forget(self._wake)
        for subscriber in self._subscribers:
            with contextlib.suppress(asyncio.QueueFull):
                subscriber.queue.put_nowait(None)

    @contextlib.asynccontextmanager
    async def subscribe(
        self, accepts: Callable[[DomainEvent], bool]
    ) -> AsyncIterator[AsyncIterator[DomainEvent]]:
        """The events committed from now on that ``accepts`` takes, as an async iterator."""
        if not self._subscribers:
            # Nobody was listening: begin at the head (the log may even have been emptied).
            self._stable, self._seen = await log.head_cursor(), {}
        subscriber = _Subscriber(accepts)
        self._subscribers.add(subscriber)
        try:
            yield self._events(subscriber)
        finally:
            self._subscribers.discard(subscriber)

    async def _events(self, subscriber: _Subscriber) -> AsyncIterator[DomainEvent]:
        while True:
            event = await subscriber.queue.get()
            if event is None:
                if subscriber.overflowed:
                    raise SubscriberTooSlow
                return
            yield event

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            try:
                if self._subscribers:
                    await self.read()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be away for a moment
                logger.exception("reading the event log failed; retrying")
            await self.signal.wait(self._wake)

    async def read(self) -> int:
        """Hand out what was committed since the last read; how many events were new."""
        conn = connection()
        barrier = None
        if is_postgres(conn):
            found = await conn.execute_query_dict(
                "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin"
            )
            barrier = int(found[0]["xmin"])
        after, stable, handed = self._stable, self._stable, 0
        still_stable = True
        while True:
            events = await log.read_after(after, limit=PAGE, conn=conn)
            for event in events:
                if barrier is not None and event.tx >= barrier:
                    # A transaction still running may commit an event before this one.
                    still_stable = False
                if event.id not in self._seen:
                    self._seen[event.id] = event.tx
                    handed += 1
                    for subscriber in list(self._subscribers):
                        subscriber.offer(event)
                if still_stable:
                    stable = log.cursor_of(event)
            if len(events) < PAGE:
                break
            after = log.cursor_of(events[-1])
        if stable != self._stable:
            self._stable = stable
            self._seen = {i: tx for i, tx in self._seen.items() if (tx, i) > (stable.tx, stable.id)}
        return handed
