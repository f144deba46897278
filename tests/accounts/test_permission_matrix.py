"""Role x operation matrix for every guarded operation (R-AUTH-3, R-KC-5).

Roles: anonymous, agent, full admin, full admin with a group granting kc.manage, super admin.
A refused operation answers UNAUTHENTICATED (no token) or FORBIDDEN, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.accounts import models
from tests.support import assert_allowed, error_codes, operation, snapshot

ROLES = ["anonymous", "agent", "full_admin", "full_admin_kc", "super_admin"]
SIGNED_IN = {"agent", "full_admin", "full_admin_kc", "super_admin"}
ACCOUNT_MANAGERS = {"full_admin", "full_admin_kc", "super_admin"}


@dataclass(frozen=True)
class Op:
    name: str
    allowed: set[str]
    variables: object  # callable(world) -> dict
    mutation: bool = True


OPS = [
    Op("accounts/Me", SIGNED_IN, lambda w: {}, mutation=False),
    Op("accounts/Accounts", ACCOUNT_MANAGERS, lambda w: {"first": 10}, mutation=False),
    Op("accounts/Account", ACCOUNT_MANAGERS, lambda w: {"id": w["target"]}, mutation=False),
    Op("accounts/PermissionGroups", ACCOUNT_MANAGERS, lambda w: {}, mutation=False),
    Op(
        "accounts/CreateAccount",
        ACCOUNT_MANAGERS,
        lambda w: {
            "input": {
                "account": "new.agent",
                "displayName": "New Agent",
                "role": "AGENT",
                "password": "initial-password",
            }
        },
    ),
    Op(
        "accounts/UpdateAccount",
        ACCOUNT_MANAGERS,
        lambda w: {"id": w["target"], "input": {"phone": "+8613900000009"}},
    ),
    Op("accounts/DisableAccount", ACCOUNT_MANAGERS, lambda w: {"id": w["target"]}),
    Op(
        "accounts/BindSipExtension",
        ACCOUNT_MANAGERS,
        lambda w: {"accountId": w["target"], "extension": "9001"},
    ),
    Op(
        "accounts/CreatePermissionGroup",
        ACCOUNT_MANAGERS,
        lambda w: {"name": "Reporters", "permissions": ["reports.view"]},
    ),
    Op(
        "accounts/AssignPermissionGroup",
        ACCOUNT_MANAGERS,
        lambda w: {"accountId": w["target"], "groupId": w["group"]},
    ),
    Op(
        "accounts/UnassignPermissionGroup",
        ACCOUNT_MANAGERS,
        lambda w: {"accountId": w["target"], "groupId": w["group"]},
    ),
    Op("accounts/Logout", SIGNED_IN, lambda w: {}),
    Op(
        "accounts/ChangePassword",
        SIGNED_IN,
        lambda w: {"old": "correct-horse-battery", "new": "another-password"},
    ),
]


@pytest.fixture
async def world(make_account):
    tokens = {"anonymous": None}
    _, tokens["agent"] = await make_account("agent.one")
    _, tokens["full_admin"] = await make_account("full.admin", models.Role.FULL_ADMIN)
    _, tokens["full_admin_kc"] = await make_account(
        "full.admin.kc", models.Role.FULL_ADMIN, groups=[["kc.manage"]]
    )
    _, tokens["super_admin"] = await make_account("super.admin", models.Role.SUPER_ADMIN)
    target, _ = await make_account("target.agent")
    group = await models.PermissionGroup.create(name="Reports", permissions=["reports.view"])
    # Linked already, so UnassignPermissionGroup has something to remove.
    await models.AccountPermissionGroup.create(account=target, group=group)
    return {"tokens": tokens, "target": str(target.id), "group": str(group.id)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name.split("/")[-1])
async def test_role_matrix(gql, world, op: Op, role: str):
    before = await snapshot()

    result = await gql(operation(op.name), op.variables(world), token=world["tokens"][role])

    if role in op.allowed:
        await assert_allowed(operation(op.name), result, before)
    else:
        expected = "UNAUTHENTICATED" if role == "anonymous" else "FORBIDDEN"
        assert error_codes(result) == [expected]
        assert await snapshot() == before


@pytest.mark.parametrize(
    ("role", "holds_kc"),
    [("agent", False), ("full_admin", False), ("full_admin_kc", True), ("super_admin", True)],
)
async def test_customer_service_center_permission_by_role(gql, world, role, holds_kc):
    """R-KC-5: super admins by default, full admins only through a group, agents never."""
    result = await gql(operation("accounts/Me"), token=world["tokens"][role])

    assert ("kc.manage" in result["data"]["me"]["permissions"]) is holds_kc
