"""The real app on a real database: SQLite by default, PostgreSQL when
DESKQL_TEST_DATABASE_URL names one (scripts/test.sh runs the suite on both).

The schema is built by the real migrations, once per session; each test starts from empty
tables. HTTP goes through the real ASGI app (httpx ASGITransport, lifespan entered once).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from tortoise import Tortoise, connections

from app.accounts import models
from app.accounts.auth import Auth
from app.accounts.principals import PrincipalCache
from app.db import APP_LABEL, migrate
from app.main import create_app
from app.settings import Settings
from tests.support import DATABASE_URL, ON_POSTGRES, TMP

# Cheap argon2id parameters: the tests check behaviour, not the cost of guessing.
TEST_SETTINGS = Settings(
    env="development",
    database_url=DATABASE_URL,
    public_url="http://testserver",
    secret_key="test-secret-key-that-is-long-enough-0123456789",
    argon2_time_cost=1,
    argon2_memory_kib=1024,
    log_level="WARNING",
    var_dir=TMP,
    # Tests drive the delivery workers themselves (with a manual clock), and call loopback.
    run_workers=False,
    webhook_allow_private=True,
    zendesk_webhook_secret="test-zendesk-webhook-secret",
)

Gql = Callable[..., Awaitable[dict[str, Any]]]


def pytest_report_header(config) -> str:
    return f"deskql test database: {'postgresql' if ON_POSTGRES else 'sqlite'}"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return TEST_SETTINGS


@pytest.fixture(scope="session")
async def app(settings):
    await migrate(settings.database_url)
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(autouse=True)
async def _empty_tables(app) -> None:
    """Each test starts from empty tables (the migrated schema stays)."""
    await app.state.views.flush()  # an earlier test's pending views must not land in new rows
    tables = [m._meta.db_table for m in Tortoise.apps[APP_LABEL].values()]
    conn = connections.get("default")
    if ON_POSTGRES:
        await conn.execute_script(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        )
    else:
        deletes = "".join(f'DELETE FROM "{t}";' for t in tables)
        await conn.execute_script(f"PRAGMA foreign_keys=OFF;{deletes}PRAGMA foreign_keys=ON;")
    # The content version restarts with the tables: drop what this process cached.
    app.state.content_version.mark_stale()
    PrincipalCache.clear_all()  # ids restart with the tables
    app.state.public_cache.clear()
    app.state.h5.clear()


@pytest.fixture(scope="session")
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture(scope="session")
def gql(client) -> Gql:
    async def call(
        query: str,
        variables: dict | None = None,
        *,
        token: str | None = None,
        expect_status: int | None = 200,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        if expect_status is not None:
            assert response.status_code == expect_status, response.text
        return response.json()

    return call


@pytest.fixture(scope="session")
def auth(app) -> Auth:
    return app.state.auth


@pytest.fixture
def make_account(auth):
    """Create an account directly (no GraphQL) and return (account, token or None)."""

    async def make(
        name: str,
        role: models.Role = models.Role.AGENT,
        *,
        status: models.AccountStatus = models.AccountStatus.ACTIVE,
        password: str = "correct-horse-battery",
        groups: list[list[str]] | None = None,
        phone: str | None = None,
    ) -> tuple[models.Account, str | None]:
        account = await models.Account.create(
            account=name,
            display_name=name.title(),
            role=role,
            status=status,
            phone=phone,
            password_hash=await auth.passwords.hash(password),
        )
        await models.PhoneLine.create(account=account, phone=phone)
        for index, perms in enumerate(groups or []):
            group = await models.PermissionGroup.create(name=f"{name}-g{index}", permissions=perms)
            await models.AccountPermissionGroup.create(account=account, group=group)
        token = None
        if status == models.AccountStatus.ACTIVE:
            token = (await auth.issue_token(account)).token
        return account, token

    return make


@pytest.fixture
async def editor(make_account):
    """A super admin as a service-level actor, with a token for GraphQL."""
    from app.accounts.auth import principal_for

    account, token = await make_account("editor", models.Role.SUPER_ADMIN)
    return await principal_for(account), token


@pytest.fixture
def help_content(editor, app):
    """Build categories and questions through the real service. Returns a builder."""
    from app.knowledge import service

    actor, _ = editor

    async def build(spec: dict[str, list[tuple[str, str, bool]]]):
        made = {}
        for name, questions in spec.items():
            category = await service.create_category(
                actor=actor, name=name, public_url="http://testserver"
            )
            made[name] = (
                category,
                [
                    await service.create_question(
                        actor=actor, category_id=category.id, title=t, markdown=m, publish=p
                    )
                    for t, m, p in questions
                ],
            )
        app.state.content_version.mark_stale()
        return made

    return build


@pytest.fixture
async def people(make_account):
    """A full admin (tickets.manage), an agent and another agent, with their tokens."""
    _, manager = await make_account("manager", models.Role.FULL_ADMIN)
    agent, agent_token = await make_account("agent", models.Role.AGENT)
    other, other_token = await make_account("other", models.Role.AGENT)
    return {
        "manager": manager,
        "agent": agent_token,
        "other": other_token,
        "agent_id": agent.id,
        "other_id": other.id,
    }
