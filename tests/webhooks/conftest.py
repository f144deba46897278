"""Webhook fixtures: agents with e-mail and extensions, a telephony integration's token, an
administrator's, a delivery worker driven by hand on a manual clock, and the way to register a
real local receiver."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.accounts.models import Account, PhoneLine, Role
from app.delivery.clock import ManualClock
from app.webhooks.worker import WebhookWorker
from tests.support import DATABASE_URL


@pytest.fixture
async def hooks(make_account, gql):
    """Tokens (admin: settings.manage, pbx: integration.write) and agents a, b, c."""
    ids = {}
    for name, extension in (("a", "8001"), ("b", "8002"), ("c", None)):
        account, _ = await make_account(name, Role.AGENT, phone=f"+86138000000{ord(name)}")
        ids[name] = str(account.id)
        await Account.filter(id=account.id).update(email=f"{name}@example.com")
        await PhoneLine.filter(account_id=account.id).update(sip_extension=extension)
    _, admin = await make_account("admin", Role.FULL_ADMIN)
    _, pbx = await make_account("pbx", Role.AGENT, groups=[["integration.write"]])
    return {"admin": admin, "pbx": pbx, "ids": ids}


@pytest.fixture
def clock(app):
    """A manual clock, for the worker and for the API's own "now" (a test message is due at
    the time the worker sees)."""
    manual = ManualClock(datetime.now(UTC))
    view = app.state.graphql
    real, view.clock = view.clock, manual
    yield manual
    view.clock = real


@pytest.fixture
async def worker(clock):
    worker = WebhookWorker(
        clock=clock,
        database_url=DATABASE_URL,
        company_id="acme-cn",
        allow_private=True,
        timeout=0.5,
    )
    yield worker
    await worker.close()
