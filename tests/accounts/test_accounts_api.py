"""Account administration over GraphQL: lists, rules that stop privilege escalation (R-AUTH-3/4,
R-KC-5)."""

from __future__ import annotations

from app.accounts import models
from tests.support import error_codes, operation, snapshot


async def _admin(make_account, role=models.Role.SUPER_ADMIN, **kw):
    return (await make_account("boss", role, **kw))[1]


async def test_accounts_are_paginated_by_cursor_with_a_total(gql, make_account):
    token = await _admin(make_account)
    for i in range(4):
        await make_account(f"agent.{i}")

    first = await gql(operation("accounts/Accounts"), {"first": 2}, token=token)
    page1 = first["data"]["accounts"]
    second = await gql(
        operation("accounts/Accounts"),
        {"first": 2, "after": page1["pageInfo"]["endCursor"]},
        token=token,
    )
    page2 = second["data"]["accounts"]
    last = await gql(
        operation("accounts/Accounts"),
        {"first": 2, "after": page2["pageInfo"]["endCursor"]},
        token=token,
    )
    page3 = last["data"]["accounts"]

    assert [n["account"] for n in page1["nodes"]] == ["boss", "agent.0"]
    assert [n["account"] for n in page2["nodes"]] == ["agent.1", "agent.2"]
    assert [n["account"] for n in page3["nodes"]] == ["agent.3"]
    assert page1["totalCount"] == page3["totalCount"] == 5
    assert (page1["pageInfo"]["hasNextPage"], page3["pageInfo"]["hasNextPage"]) == (True, False)


async def test_account_filters(gql, make_account):
    token = await _admin(make_account)
    await make_account("li.na")
    await make_account("wang.wei", status=models.AccountStatus.INACTIVE)

    inactive = await gql(
        operation("accounts/Accounts"), {"filter": {"status": "INACTIVE"}}, token=token
    )
    agents = await gql(operation("accounts/Accounts"), {"filter": {"role": "AGENT"}}, token=token)
    search = await gql(operation("accounts/Accounts"), {"filter": {"search": "WANG"}}, token=token)

    assert [n["account"] for n in inactive["data"]["accounts"]["nodes"]] == ["wang.wei"]
    assert [n["account"] for n in agents["data"]["accounts"]["nodes"]] == ["li.na", "wang.wei"]
    assert [n["account"] for n in search["data"]["accounts"]["nodes"]] == ["wang.wei"]


async def test_a_cursor_from_elsewhere_is_refused(gql, make_account):
    token = await _admin(make_account)

    result = await gql(operation("accounts/Accounts"), {"after": "bm90LWEtY3Vyc29y"}, token=token)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result["errors"][0]["extensions"]["field"] == "after"


async def test_created_accounts_start_inactive_and_can_be_activated(gql, make_account):
    token = await _admin(make_account)

    created = await gql(
        operation("accounts/CreateAccount"),
        {
            "input": {
                "account": "Zhao.Lei",
                "displayName": "Zhao Lei",
                "role": "AGENT",
                "password": "first-password",
                "phone": "+86 138 0000 0004",
            }
        },
        token=token,
    )
    activated = await gql(
        operation("accounts/ActivateAccount"), {"account": "zhao.lei", "password": "first-password"}
    )

    assert created["data"]["createAccount"]["status"] == "INACTIVE"
    assert created["data"]["createAccount"]["account"] == "zhao.lei"
    assert activated["data"]["activateAccount"]["account"]["status"] == "ACTIVE"
    line = await models.PhoneLine.get(account__account="zhao.lei")
    assert line.phone == "+86 138 0000 0004"


async def test_changing_the_phone_changes_the_phone_line_too(gql, make_account):
    """R-AUTH-4."""
    token = await _admin(make_account)
    agent, _ = await make_account("li.na", phone="+8613800000001")

    result = await gql(
        operation("accounts/UpdateAccount"),
        {"id": str(agent.id), "input": {"phone": "+8613911112222"}},
        token=token,
    )

    assert result["data"]["updateAccount"]["phone"] == "+8613911112222"
    line = await models.PhoneLine.get(account_id=agent.id)
    assert line.phone == "+8613911112222"


async def test_update_leaves_omitted_fields_alone_and_null_clears(gql, make_account):
    token = await _admin(make_account)
    agent, _ = await make_account("li.na", phone="+8613800000001")
    await models.Account.filter(id=agent.id).update(email="li@example.com")

    result = await gql(
        operation("accounts/UpdateAccount"),
        {"id": str(agent.id), "input": {"displayName": "Li Na", "email": None}},
        token=token,
    )

    assert result["data"]["updateAccount"] == {
        "id": str(agent.id),
        "displayName": "Li Na",
        "email": None,
        "phone": "+8613800000001",
        "role": "AGENT",
    }


async def test_binding_an_extension_to_an_inactive_account_fails(gql, make_account):
    """R-AUTH-4: 'agent account not activated'."""
    token = await _admin(make_account)
    agent, _ = await make_account("newbie", status=models.AccountStatus.INACTIVE)
    before = await snapshot()

    result = await gql(
        operation("accounts/BindSipExtension"),
        {"accountId": str(agent.id), "extension": "8001"},
        token=token,
    )

    assert result["errors"][0]["message"] == "agent account not activated"
    assert error_codes(result) == ["ACCOUNT_NOT_ACTIVATED"]
    assert await snapshot() == before


async def test_binding_an_extension_to_a_disabled_account_fails(gql, make_account):
    """R-AUTH-4: 'agent account disabled'."""
    token = await _admin(make_account)
    agent, _ = await make_account("gone", status=models.AccountStatus.DISABLED)

    result = await gql(
        operation("accounts/BindSipExtension"),
        {"accountId": str(agent.id), "extension": "8001"},
        token=token,
    )

    assert result["errors"][0]["message"] == "agent account disabled"
    assert error_codes(result) == ["ACCOUNT_DISABLED"]


async def test_an_extension_binds_to_one_account_only(gql, make_account):
    token = await _admin(make_account)
    first, _ = await make_account("li.na")
    second, _ = await make_account("wang.wei")

    ok = await gql(
        operation("accounts/BindSipExtension"),
        {"accountId": str(first.id), "extension": "8001"},
        token=token,
    )
    taken = await gql(
        operation("accounts/BindSipExtension"),
        {"accountId": str(second.id), "extension": "8001"},
        token=token,
    )

    assert ok["data"]["bindSipExtension"]["sipExtension"] == "8001"
    assert error_codes(taken) == ["CONFLICT"]
    assert (await models.PhoneLine.get(account_id=second.id)).sip_extension is None


async def test_a_group_with_kc_manage_cannot_go_to_an_agent(gql, make_account):
    """R-KC-5: no other role than the admins can hold the customer-service-center permission."""
    token = await _admin(make_account)
    agent, _ = await make_account("li.na")
    group = await models.PermissionGroup.create(name="Editors", permissions=["kc.manage"])
    before = await snapshot()

    result = await gql(
        operation("accounts/AssignPermissionGroup"),
        {"accountId": str(agent.id), "groupId": str(group.id)},
        token=token,
    )

    assert error_codes(result) == ["PERMISSION_NOT_ALLOWED_FOR_ROLE"]
    assert "kc.manage" in result["errors"][0]["message"]
    assert await snapshot() == before


async def test_a_full_admin_gains_kc_manage_through_a_group(gql, make_account):
    """R-KC-5."""
    token = await _admin(make_account)
    full, full_token = await make_account("full.admin", models.Role.FULL_ADMIN)
    created = await gql(
        operation("accounts/CreatePermissionGroup"),
        {"name": "Editors", "permissions": ["kc.manage"]},
        token=token,
    )
    group_id = created["data"]["createPermissionGroup"]["id"]

    before = await gql(operation("accounts/Me"), token=full_token)
    await gql(
        operation("accounts/AssignPermissionGroup"),
        {"accountId": str(full.id), "groupId": group_id},
        token=token,
    )
    after = await gql(operation("accounts/Me"), token=full_token)

    assert "kc.manage" not in before["data"]["me"]["permissions"]
    assert "kc.manage" in after["data"]["me"]["permissions"]


async def test_nobody_grants_a_permission_they_do_not_hold(gql, make_account):
    full_token = await _admin(make_account, models.Role.FULL_ADMIN)
    before = await snapshot()

    result = await gql(
        operation("accounts/CreatePermissionGroup"),
        {"name": "Sneaky", "permissions": ["kc.manage"]},
        token=full_token,
    )

    assert error_codes(result) == ["FORBIDDEN"]
    assert await snapshot() == before


async def test_unknown_permissions_are_refused(gql, make_account):
    token = await _admin(make_account)

    result = await gql(
        operation("accounts/CreatePermissionGroup"),
        {"name": "Typo", "permissions": ["kc.mange"]},
        token=token,
    )

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result["errors"][0]["extensions"]["field"] == "permissions"


async def test_only_a_super_admin_creates_super_admins(gql, make_account):
    full_token = await _admin(make_account, models.Role.FULL_ADMIN)

    result = await gql(
        operation("accounts/CreateAccount"),
        {
            "input": {
                "account": "new.root",
                "displayName": "Root",
                "role": "SUPER_ADMIN",
                "password": "long-enough-pw",
            }
        },
        token=full_token,
    )

    assert error_codes(result) == ["FORBIDDEN"]
    assert await models.Account.filter(account="new.root").count() == 0


async def test_demoting_an_editor_to_agent_is_refused_while_the_group_grants_kc(gql, make_account):
    token = await _admin(make_account)
    editor, _ = await make_account("editor", models.Role.FULL_ADMIN, groups=[["kc.manage"]])

    result = await gql(
        operation("accounts/UpdateAccount"),
        {"id": str(editor.id), "input": {"role": "AGENT"}},
        token=token,
    )

    assert error_codes(result) == ["PERMISSION_NOT_ALLOWED_FOR_ROLE"]
    await editor.refresh_from_db()
    assert editor.role == models.Role.FULL_ADMIN


async def test_you_cannot_disable_yourself(gql, make_account):
    me, token = await make_account("boss", models.Role.SUPER_ADMIN)

    result = await gql(operation("accounts/DisableAccount"), {"id": str(me.id)}, token=token)

    assert error_codes(result) == ["CONFLICT"]
    await me.refresh_from_db()
    assert me.status == models.AccountStatus.ACTIVE
