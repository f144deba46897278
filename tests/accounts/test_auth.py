"""Sign-in, activation, tokens and the login lock-out (R-AUTH-1, R-AUTH-2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.accounts import models
from app.accounts.secrets import Passwords, token_digest
from tests.support import error_codes, operation, snapshot

PASSWORD = "correct-horse-battery"


async def _login(gql, account: str, password: str) -> dict:
    return await gql(operation("accounts/Login"), {"account": account, "password": password})


async def test_login_returns_a_working_token_and_stores_only_its_hash(gql, make_account):
    account, _ = await make_account("li.na")

    result = await _login(gql, "Li.Na", PASSWORD)

    payload = result["data"]["login"]
    assert payload["account"] == {
        "id": str(account.id),
        "account": "li.na",
        "role": "AGENT",
        "status": "ACTIVE",
    }
    me = await gql(operation("accounts/Me"), token=payload["token"])
    assert me["data"]["me"]["account"] == "li.na"
    stored = await models.AuthToken.filter(account_id=account.id).values_list(
        "token_hash", flat=True
    )
    assert token_digest(payload["token"]) in stored
    assert payload["token"] not in stored
    # 256 random bits, URL-safe base64 after the "dq_" prefix
    assert len(payload["token"]) == 3 + 43


async def test_passwords_are_argon2id_hashes(make_account):
    account, _ = await make_account("hash.check", password="a-password-here")

    assert account.password_hash.startswith("$argon2id$")
    assert "a-password-here" not in account.password_hash


async def test_unknown_account_and_wrong_password_give_the_same_error(gql, make_account):
    await make_account("li.na")

    unknown = await _login(gql, "nobody.here", PASSWORD)
    wrong = await _login(gql, "li.na", "wrong-password")

    assert unknown["errors"][0]["message"] == wrong["errors"][0]["message"]
    assert error_codes(unknown) == error_codes(wrong) == ["INVALID_CREDENTIALS"]


async def test_unknown_account_costs_one_password_verification_like_a_known_one(
    gql, make_account, monkeypatch
):
    """No timing tell: an unknown name, and an account that can never sign in (a generated
    agent's "!" instead of a hash), are checked against a dummy argon2 hash, not skipped."""
    await make_account("li.na")
    generated, _ = await make_account("agent001")
    generated.password_hash = "!"
    await generated.save()
    calls: list[str] = []
    original = Passwords._verify

    def counting(self, password_hash, password):
        calls.append(password_hash)
        return original(self, password_hash, password)

    monkeypatch.setattr(Passwords, "_verify", counting)

    await _login(gql, "nobody.here", PASSWORD)
    await _login(gql, "li.na", "wrong-password")
    refused = await _login(gql, "agent001", "!")

    assert error_codes(refused) == ["INVALID_CREDENTIALS"]
    assert len(calls) == 3
    assert all(h.startswith("$argon2id$") for h in calls)


async def test_disabled_and_inactive_accounts_cannot_sign_in(gql, make_account):
    await make_account("gone", status=models.AccountStatus.DISABLED)
    await make_account("newbie", status=models.AccountStatus.INACTIVE)

    assert error_codes(await _login(gql, "gone", PASSWORD)) == ["ACCOUNT_DISABLED"]
    assert error_codes(await _login(gql, "newbie", PASSWORD)) == ["ACCOUNT_NOT_ACTIVATED"]
    assert error_codes(await _login(gql, "gone", "wrong-password")) == ["INVALID_CREDENTIALS"]


async def test_activation_with_a_different_password_keeps_the_account_inactive(gql, make_account):
    """R-AUTH-2."""
    account, _ = await make_account("newbie", status=models.AccountStatus.INACTIVE)
    before = await snapshot()

    result = await gql(
        operation("accounts/ActivateAccount"), {"account": "newbie", "password": "not-the-password"}
    )

    assert error_codes(result) == ["PASSWORD_MISMATCH"]
    await account.refresh_from_db()
    assert account.status == models.AccountStatus.INACTIVE
    after = await snapshot()
    assert after["account"] == before["account"]
    assert after["auth_token"] == before["auth_token"] == []


async def test_activation_with_the_accounts_password_activates_and_signs_in(gql, make_account):
    """R-AUTH-2."""
    account, _ = await make_account("newbie", status=models.AccountStatus.INACTIVE)

    result = await gql(
        operation("accounts/ActivateAccount"), {"account": "newbie", "password": PASSWORD}
    )

    assert result["data"]["activateAccount"]["account"]["status"] == "ACTIVE"
    await account.refresh_from_db()
    assert account.status == models.AccountStatus.ACTIVE
    again = await gql(
        operation("accounts/ActivateAccount"), {"account": "newbie", "password": PASSWORD}
    )
    assert error_codes(again) == ["CONFLICT"]


async def test_logout_revokes_the_token(gql, make_account):
    _, token = await make_account("li.na")

    assert (await gql(operation("accounts/Logout"), token=token))["data"] == {"logout": True}

    result = await gql(operation("accounts/Me"), token=token)
    assert error_codes(result) == ["UNAUTHENTICATED"]


async def test_changing_the_password_revokes_every_token(gql, make_account, auth):
    account, token = await make_account("li.na")
    other_device = (await auth.issue_token(account)).token

    result = await gql(
        operation("accounts/ChangePassword"),
        {"old": PASSWORD, "new": "a-brand-new-password"},
        token=token,
    )

    fresh = result["data"]["changePassword"]["token"]
    assert error_codes(await gql(operation("accounts/Me"), token=token)) == ["UNAUTHENTICATED"]
    assert error_codes(await gql(operation("accounts/Me"), token=other_device)) == [
        "UNAUTHENTICATED"
    ]
    assert "errors" not in await gql(operation("accounts/Me"), token=fresh)
    assert "errors" not in await _login(gql, "li.na", "a-brand-new-password")


async def test_changing_the_password_needs_the_current_one(gql, make_account):
    _, token = await make_account("li.na")
    before = await snapshot()

    result = await gql(
        operation("accounts/ChangePassword"),
        {"old": "wrong", "new": "a-brand-new-password"},
        token=token,
    )

    assert error_codes(result) == ["INVALID_CREDENTIALS"]
    assert result["errors"][0]["extensions"]["field"] == "old"
    after = await snapshot()
    # the wrong guess counts in the sign-in lock-out (tests/accounts/test_lockout.py); nothing
    # else changed: the password and the tokens are as they were
    assert [dict(row)["failures"] for row in after.pop("login_throttle")] == ["1", "1"]
    before.pop("login_throttle")
    assert after == before


async def test_an_expired_token_is_refused(gql, make_account):
    account, token = await make_account("li.na")
    await models.AuthToken.filter(account_id=account.id).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )

    result = await gql(operation("accounts/Me"), token=token)

    assert error_codes(result) == ["UNAUTHENTICATED"]
    assert "expired" in result["errors"][0]["message"]


async def test_a_token_expires_after_the_configured_lifetime(gql, make_account, settings):
    await make_account("li.na")

    result = await _login(gql, "li.na", PASSWORD)

    expires = datetime.fromisoformat(result["data"]["login"]["expiresAt"])
    lifetime = expires - datetime.now(UTC)
    assert timedelta(seconds=settings.token_ttl_seconds - 60) < lifetime
    assert lifetime <= timedelta(seconds=settings.token_ttl_seconds)


async def test_a_disabled_accounts_tokens_stop_working_at_once(gql, make_account):
    _, admin = await make_account("boss", models.Role.SUPER_ADMIN)
    agent, agent_token = await make_account("li.na")

    await gql(operation("accounts/DisableAccount"), {"id": str(agent.id)}, token=admin)

    assert error_codes(await gql(operation("accounts/Me"), token=agent_token)) == [
        "UNAUTHENTICATED"
    ]
