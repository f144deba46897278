"""The fake Zendesk, served over real HTTP for the tests of this package.

Fixture ``zendesk_fake`` (the name and attributes are what the tests use): one uvicorn server in
a thread for the whole session, with a fresh account per test; yields an object with ``.url``
(``http://127.0.0.1:PORT``), ``.fake`` (the FakeZendesk, to read its counters), ``.clock`` (a
ManualClock shared by the fake and the test's worker), ``.email`` and ``.token``."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import uvicorn

from app.delivery.clock import ManualClock
from app.zendesk.fake import FakeZendesk, create_app
from tests.support import free_port


@dataclass
class Served:
    url: str
    fake: FakeZendesk
    clock: ManualClock
    email: str = "agent@example.com"
    token: str = "fake-token"


class _Switch:
    """An ASGI app that forwards to the current test's fake."""

    def __init__(self) -> None:
        self.app = None

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def _fake_server():
    switch = _Switch()
    port = free_port()
    config = uvicorn.Config(
        switch, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the fake Zendesk did not start")
        time.sleep(0.02)
    yield switch, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def zendesk_fake(_fake_server):
    switch, url = _fake_server
    clock = ManualClock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    fake = FakeZendesk(clock=clock, base_url=url, job_delay=0.5)
    switch.app = create_app(fake)
    return Served(url=url, fake=fake, clock=clock)
