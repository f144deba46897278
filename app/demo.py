"""Demo data for `deskql demo`: an admin, a few agents and a permission group."""

from __future__ import annotations

import logging

from app.accounts import models
from app.accounts.bootstrap import ensure_super_admin
from app.accounts.permissions import Permission
from app.accounts.secrets import Passwords
from app.settings import Settings

log = logging.getLogger("deskql.demo")

_AGENTS = [
    ("agent.li", "Li Na", "+8613800000001", models.AccountStatus.ACTIVE, "8001"),
    ("agent.wang", "Wang Wei", "+8613800000002", models.AccountStatus.ACTIVE, "8002"),
    ("agent.zhang", "Zhang Min", "+8613800000003", models.AccountStatus.INACTIVE, None),
]


async def load_demo_data(settings: Settings, *, admin_password: str) -> None:
    """Idempotent: running the demo twice keeps one copy of everything."""
    await ensure_super_admin(
        settings, account="admin", password=admin_password, display_name="Demo Admin", reset=True
    )
    passwords = Passwords(time_cost=settings.argon2_time_cost,
                          memory_kib=settings.argon2_memory_kib)
    agent_hash = await passwords.hash("agent-demo-password")
    for login, name, phone, status, extension in _AGENTS:
        account, created = await models.Account.get_or_create(
            account=login,
            defaults=dict(display_name=name, phone=phone, role=models.Role.AGENT, status=status,
                          password_hash=agent_hash, email=f"{login}@example.com"),
        )
        if created:
            await models.PhoneLine.create(account=account, phone=phone, sip_extension=extension)
    supervisor, _ = await models.Account.get_or_create(
        account="supervisor",
        defaults=dict(display_name="Demo Supervisor", role=models.Role.FULL_ADMIN,
                      status=models.AccountStatus.ACTIVE, password_hash=agent_hash),
    )
    group, _ = await models.PermissionGroup.get_or_create(
        name="Help-center editors", defaults={"permissions": [Permission.KC_MANAGE.value]}
    )
    await models.AccountPermissionGroup.get_or_create(account=supervisor, group=group)
    log.info("demo data ready")
