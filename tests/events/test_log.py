"""The domain event log: consumers with their own cursors, a failing handler loses nothing,
a rolled-back change logs nothing, and the topic catalogue is enforced."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from app.events import consumers, log
from app.events.models import DomainEvent
from tests.support import ON_POSTGRES, SYSTEM


async def test_domain_event_consumers_have_their_own_cursors():
    async with in_transaction() as conn:
        for n in range(5):
            await log.append(conn, "agent_status.imported", str(n), {"count": n}, actor=SYSTEM)
    seen: dict[str, list[int]] = {"zendesk": [], "webhooks": []}

    def handler(name):
        async def handle(batch):
            seen[name].extend(e.payload["count"] for e in batch)

        return handle

    assert await consumers.consume("zendesk", handler("zendesk"), limit=3) == 3
    assert await consumers.consume("webhooks", handler("webhooks"), limit=10) == 5
    assert await consumers.consume("zendesk", handler("zendesk"), limit=3) == 2
    assert await consumers.consume("zendesk", handler("zendesk")) == 0
    assert seen == {"zendesk": [0, 1, 2, 3, 4], "webhooks": [0, 1, 2, 3, 4]}

    async def failing(batch):
        raise RuntimeError("target down")

    async with in_transaction() as conn:
        await log.append(conn, "agent_status.imported", "5", {"count": 5}, actor=SYSTEM)
    position = await consumers.cursor("webhooks")
    with pytest.raises(RuntimeError):
        await consumers.consume("webhooks", failing)
    assert await consumers.cursor("webhooks") == position  # not moved: the event is not lost
    assert await consumers.consume("webhooks", handler("webhooks")) == 1


async def test_a_rolled_back_change_logs_no_event():
    with pytest.raises(RuntimeError):
        async with in_transaction() as conn:
            await log.append(conn, "agent_status.imported", None, {"count": 0}, actor=SYSTEM)
            raise RuntimeError("the change fails after its event was appended")
    assert await DomainEvent.all().count() == 0


async def _append(conn, count: int) -> None:
    await log.append(conn, "agent_status.imported", None, {"count": count}, actor=SYSTEM)


async def _read_all() -> list[int]:
    seen: list[int] = []

    async def handle(batch):
        seen.extend(e.payload["count"] for e in batch)

    while await consumers.consume("reader", handle):
        pass
    return seen


async def test_a_reader_never_passes_an_event_that_commits_later():
    """Commit order without serialised writers. On PostgreSQL, (1) an event with a lower id
    commits after one with a higher id, and (2) a transaction that began writing first appends
    last: a reader never moves past an event still to commit, and in the end has every event
    once. SQLite has one writer: ids are the order."""
    if not ON_POSTGRES:
        for n in (1, 2, 3):
            async with in_transaction() as conn:
                await _append(conn, n)
        assert await _read_all() == [1, 2, 3]
        assert {e.tx for e in await DomainEvent.all()} == {0}
        return
    # (1) A appends id 1 and stays open while B appends id 2 and commits.
    a_appended, release_a = asyncio.Event(), asyncio.Event()

    async def slow_a():
        async with in_transaction() as conn:
            await _append(conn, 1)
            a_appended.set()
            await release_a.wait()

    a = asyncio.create_task(slow_a())
    await a_appended.wait()
    async with in_transaction() as conn:
        await _append(conn, 2)
    assert await _read_all() == []  # reading by id would hand out 2 and pass 1 for good
    release_a.set()
    await a
    assert await _read_all() == [1, 2]

    # (2) D starts writing first (the lower transaction id), C appends and commits, D appends.
    d_started, c_done = asyncio.Event(), asyncio.Event()

    async def early_d():
        async with in_transaction() as conn:
            await conn.execute_query("SELECT pg_current_xact_id()")  # takes its id now
            d_started.set()
            await c_done.wait()
            await _append(conn, 4)

    d = asyncio.create_task(early_d())
    await d_started.wait()
    async with in_transaction() as conn:
        await _append(conn, 3)
    assert await _read_all() == []  # C's event waits behind D, still running
    c_done.set()
    await d
    assert await _read_all() == [4, 3]  # in commit order by transaction: D's, then C's
    assert await _read_all() == []
