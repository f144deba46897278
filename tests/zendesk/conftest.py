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
    switch: _Switch | None = None  # what serves the URL: tests may put a wrapper in front


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
    return Served(url=url, fake=fake, clock=clock, switch=switch)


@pytest.fixture
async def sync(zendesk_fake):
    """The sync worker against the fake, on its manual clock (recordings on loopback allowed)."""
    from app.zendesk.client import Connection
    from app.zendesk.sync import Sync
    from tests.support import DATABASE_URL

    worker = Sync(
        connection=Connection(zendesk_fake.url, zendesk_fake.email, zendesk_fake.token),
        clock=zendesk_fake.clock,
        database_url=DATABASE_URL,
        allow_private=True,
    )
    yield worker
    await worker.close()


@pytest.fixture
async def zd(zendesk_fake):
    """An ordinary HTTP client of the fake's Zendesk API (how a person inspects it)."""
    import httpx

    async with httpx.AsyncClient(
        base_url=zendesk_fake.url + "/api/v2",
        auth=(f"{zendesk_fake.email}/token", zendesk_fake.token),
    ) as client:
        yield client


@pytest.fixture
def connected_gql(app, gql, zendesk_fake, settings):
    """The test app's GraphQL with its configuration pointing at the fake Zendesk for one test
    (for the operations that call Zendesk themselves, like createZendeskCustomFields)."""
    import dataclasses

    from app.api.view import GraphQLView

    views = [
        route.endpoint if isinstance(getattr(route, "endpoint", None), GraphQLView)
        else getattr(route, "app", None)
        for route in app.router.routes
    ]  # fmt: skip
    view = next(v for v in views if isinstance(v, GraphQLView))
    view.settings = dataclasses.replace(
        settings, zendesk_url=zendesk_fake.url, zendesk_email=zendesk_fake.email,
        zendesk_api_token=zendesk_fake.token,
    )  # fmt: skip
    yield gql
    view.settings = settings
