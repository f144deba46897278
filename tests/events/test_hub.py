"""The subscription hub: one reader of the log for every subscriber of a process. It hands each
committed event out once, does not hold subscribers back behind a transaction still running
(PostgreSQL), and drops a subscriber that stops reading instead of buffering for it."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from app.events import hub as hub_module
from app.events import log
from app.events.hub import Hub, SubscriberTooSlow
from app.events.signals import LogSignal
from tests.support import DATABASE_URL, ON_POSTGRES, SYSTEM


async def _append(count: int, conn=None) -> None:
    if conn is not None:
        await log.append(conn, "agent_status.imported", None, {"count": count}, actor=SYSTEM)
        return
    async with in_transaction() as own:
        await log.append(own, "agent_status.imported", None, {"count": count}, actor=SYSTEM)


@pytest.fixture
async def hub():
    """A hub whose reads the test drives (no background task)."""
    return Hub(LogSignal(DATABASE_URL))


async def _take(events, n: int) -> list[int]:
    return [(await asyncio.wait_for(anext(events), 2)).payload["count"] for _ in range(n)]


async def test_each_subscriber_gets_what_it_accepts_from_the_moment_it_subscribed(hub):
    await _append(0)  # before anyone subscribed: not handed out
    async with (
        hub.subscribe(lambda e: True) as everything,
        hub.subscribe(lambda e: e.payload["count"] % 2 == 0) as even,
    ):
        for n in range(1, 7):
            await _append(n)
        assert await hub.read() == 6
        assert await hub.read() == 0  # nothing handed out twice
        assert await _take(everything, 6) == [1, 2, 3, 4, 5, 6]
        assert await _take(even, 3) == [2, 4, 6]
    assert len(hub) == 0


async def test_a_transaction_still_running_holds_nobody_back(hub):
    """PostgreSQL: an event of a transaction that began first and commits last is handed out
    when it commits; those committed meanwhile go out at once. Each exactly once. (SQLite has
    one writer: events commit in id order, and go out in it.)"""
    async with hub.subscribe(lambda e: True) as events:
        if not ON_POSTGRES:
            for n in (1, 2, 3):
                await _append(n)
            assert await hub.read() == 3
            assert await _take(events, 3) == [1, 2, 3]
            return
        appended, release = asyncio.Event(), asyncio.Event()

        async def slow() -> None:  # its own task: its own connection and transaction
            async with in_transaction() as conn:
                await _append(1, conn)
                appended.set()
                await release.wait()

        task = asyncio.create_task(slow())
        await appended.wait()
        await _append(2)
        await _append(3)
        assert await hub.read() == 2
        assert await _take(events, 2) == [2, 3]
        assert set(hub._seen)  # remembered: the stable cursor is held back
        release.set()
        await task
        assert await hub.read() == 1
        assert await _take(events, 1) == [1]
        await _append(4)
        assert await hub.read() == 1
        assert await _take(events, 1) == [4]
        assert hub._seen == {}  # the stable cursor passed everything: nothing remembered


async def test_a_subscriber_that_stops_reading_is_dropped(hub, monkeypatch):
    monkeypatch.setattr(hub_module, "QUEUE_LIMIT", 5)
    async with hub.subscribe(lambda e: True) as stuck, hub.subscribe(lambda e: True) as fine:
        for n in range(8):
            await _append(n)
            await hub.read()
            assert (await anext(fine)).payload["count"] == n
        with pytest.raises(SubscriberTooSlow):
            async for _ in stuck:
                pass


async def test_the_running_hub_is_woken_by_new_events():
    """Started as in a server: an event appended here reaches the subscriber within the
    polling interval (or at once on PostgreSQL's NOTIFY)."""
    signal = LogSignal(DATABASE_URL, interval=0.2)
    await signal.start()
    hub = Hub(signal)
    hub.start()
    try:
        async with hub.subscribe(lambda e: True) as events:
            await _append(42)
            assert await _take(events, 1) == [42]
    finally:
        await hub.stop()
        await signal.stop()
