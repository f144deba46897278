"""The domain event log: consumers with their own cursors, a failing handler loses nothing,
a rolled-back change logs nothing, and the topic catalogue is enforced."""

from __future__ import annotations

import pytest
from tortoise.transactions import in_transaction

from app.events import consumers, log
from app.events.models import DomainEvent
from tests.support import SYSTEM


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
    with pytest.raises(ZeroDivisionError):
        async with in_transaction() as conn:
            await log.append(conn, "agent_status.imported", None, {"count": 0}, actor=SYSTEM)
            1 / 0
    assert await DomainEvent.all().count() == 0
