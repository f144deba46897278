"""The sign-in lock-out: per login name and client, with a higher ceiling per name from all
clients together, so anonymous guesses cannot lock anyone else out; administrators unlock;
password-change guesses count too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.accounts import models
from tests.support import error_codes, operation

PASSWORD = "correct-horse-battery"


async def _login(gql, account: str, password: str) -> dict:
    return await gql(operation("accounts/Login"), {"account": account, "password": password})


@pytest.fixture
async def elsewhere(app):
    """Another client, at another address, through the same app."""
    transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:

        async def login(account: str, password: str) -> dict:
            response = await other.post(
                "/graphql",
                json={
                    "query": operation("accounts/Login"),
                    "variables": {"account": account, "password": password},
                },
            )
            return response.json()

        yield login


async def test_five_failures_lock_the_account_name_with_a_doubling_wait(gql, make_account):
    await make_account("li.na")
    for _ in range(4):
        assert error_codes(await _login(gql, "li.na", "wrong")) == ["INVALID_CREDENTIALS"]

    fifth = await _login(gql, "li.na", "wrong")
    locked = await _login(gql, "li.na", PASSWORD)

    assert error_codes(fifth) == ["INVALID_CREDENTIALS"]
    assert error_codes(locked) == ["RATE_LIMITED"]
    assert locked["errors"][0]["extensions"]["retryAfterSeconds"] == 30

    # When the lock runs out, the next failure locks for twice as long.
    await models.LoginThrottle.filter(account_name="li.na").update(
        locked_until=datetime.now(UTC) - timedelta(seconds=1)
    )
    assert error_codes(await _login(gql, "li.na", "wrong")) == ["INVALID_CREDENTIALS"]
    again = await _login(gql, "li.na", PASSWORD)
    assert again["errors"][0]["extensions"]["retryAfterSeconds"] == 60


async def test_lockout_wait_is_capped_at_fifteen_minutes(gql, make_account):
    await make_account("li.na")
    await models.LoginThrottle.create(account_name="li.na", client="*", failures=70)

    await _login(gql, "li.na", "wrong")
    locked = await _login(gql, "li.na", PASSWORD)

    assert locked["errors"][0]["extensions"]["retryAfterSeconds"] == 900


async def test_unknown_names_are_locked_out_too(gql):
    """Otherwise the lock-out itself would tell which account names exist."""
    for _ in range(5):
        await _login(gql, "ghost", "wrong")

    assert error_codes(await _login(gql, "ghost", "wrong")) == ["RATE_LIMITED"]


async def test_a_successful_login_resets_the_failure_count(gql, make_account):
    await make_account("li.na")
    for _ in range(4):
        await _login(gql, "li.na", "wrong")

    assert "errors" not in await _login(gql, "li.na", PASSWORD)
    assert await models.LoginThrottle.filter(account_name="li.na").count() == 0


async def test_one_clients_guesses_do_not_lock_anyone_else_out(gql, make_account, elsewhere):
    """Five anonymous failures used to lock the account for everyone, the super admin too."""
    await make_account("root", models.Role.SUPER_ADMIN)
    for _ in range(5):
        await _login(gql, "root", "guess")

    assert error_codes(await _login(gql, "root", PASSWORD)) == ["RATE_LIMITED"]
    assert "errors" not in await elsewhere("root", PASSWORD)


async def test_many_failures_from_all_clients_lock_the_name_for_everyone(
    gql, make_account, elsewhere
):
    await make_account("li.na")
    await models.LoginThrottle.create(account_name="li.na", client="*", failures=49)

    assert error_codes(await elsewhere("li.na", "guess")) == ["INVALID_CREDENTIALS"]  # the 50th

    locked = await _login(gql, "li.na", PASSWORD)
    assert error_codes(locked) == ["RATE_LIMITED"]
    assert locked["errors"][0]["extensions"]["retryAfterSeconds"] == 30


async def test_an_administrator_unlocks_an_account(gql, make_account):
    await make_account("li.na")
    _, admin = await make_account("boss", models.Role.FULL_ADMIN)
    _, agent = await make_account("other")
    for _ in range(5):
        await _login(gql, "li.na", "guess")
    unlock = operation("accounts/UnlockAccount")

    refused = await gql(unlock, {"account": "li.na"}, token=agent)
    done = await gql(unlock, {"account": "LI.NA"}, token=admin)
    again = await gql(unlock, {"account": "li.na"}, token=admin)

    assert error_codes(refused) == ["FORBIDDEN"]
    assert done["data"]["unlockAccount"] is True
    assert again["data"]["unlockAccount"] is False  # nothing left to clear
    assert "errors" not in await _login(gql, "li.na", PASSWORD)


async def test_password_change_guesses_share_the_lock_out(gql, make_account):
    account, token = await make_account("li.na")
    change = operation("accounts/ChangePassword")
    for _ in range(5):
        wrong = await gql(change, {"old": "guess", "new": "a-brand-new-password"}, token=token)
        assert error_codes(wrong) == ["INVALID_CREDENTIALS"]

    right = await gql(change, {"old": PASSWORD, "new": "a-brand-new-password"}, token=token)

    assert error_codes(right) == ["RATE_LIMITED"]
    assert error_codes(await _login(gql, "li.na", PASSWORD)) == ["RATE_LIMITED"]
    assert (await models.Account.get(id=account.id)).password_hash == account.password_hash
