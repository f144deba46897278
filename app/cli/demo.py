"""Demo data for `deskql demo`: an admin, a few agents and a permission group."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from app.accounts import models
from app.accounts.auth import principal_for
from app.accounts.bootstrap import ensure_super_admin
from app.accounts.permissions import Permission
from app.accounts.principal import Principal
from app.accounts.secrets import Passwords
from app.channels import Channel
from app.cli import generate
from app.directory import contacts
from app.directory.models import Contact
from app.knowledge import models as knowledge
from app.knowledge import service
from app.settings import Settings
from app.surveys import ticket_surveys
from app.telephony.importer import Importer
from app.telephony.models import CallRecord
from app.tickets import service as tickets
from app.tickets.models import TicketStatus

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
    passwords = Passwords(
        time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib
    )
    agent_hash = await passwords.hash("agent-demo-password")
    for login, name, phone, status, extension in _AGENTS:
        account, created = await models.Account.get_or_create(
            account=login,
            defaults=dict(
                display_name=name,
                phone=phone,
                role=models.Role.AGENT,
                status=status,
                password_hash=agent_hash,
                email=f"{login}@example.com",
            ),
        )
        if created:
            await models.PhoneLine.create(account=account, phone=phone, sip_extension=extension)
    supervisor, _ = await models.Account.get_or_create(
        account="supervisor",
        defaults=dict(
            display_name="Demo Supervisor",
            role=models.Role.FULL_ADMIN,
            status=models.AccountStatus.ACTIVE,
            password_hash=agent_hash,
        ),
    )
    group, _ = await models.PermissionGroup.get_or_create(
        name="Help-center editors", defaults={"permissions": [Permission.KC_MANAGE.value]}
    )
    await models.AccountPermissionGroup.get_or_create(account=supervisor, group=group)
    await _demo_help_center()
    await _demo_contact_center()
    log.info("demo data ready")


_HELP = {
    ("账户与安全", "Passwords, sign-in and account security"): [
        (
            "如何重置密码？",
            "## 步骤\n\n1. 在登录页点击 **忘记密码**\n2. 输入注册手机号\n"
            "3. 填写短信验证码并设置新密码\n\n> 新密码至少 8 位。",
            True,
        ),
        (
            "How do I enable two-step verification?",
            "Open **Settings → Security** and turn on "
            "*Two-step verification*. You will need your phone.",
            True,
        ),
        (
            "如何注销账户？",
            "注销前请先结清账单。联系客服：[help@example.com](mailto:help@example.com)",
            False,
        ),
    ],
    ("订单与退款", "Orders, invoices and refunds"): [
        (
            "退款多久到账？",
            "| 支付方式 | 到账时间 |\n|---|---|\n| 微信 | 1-3 天 |\n| 银行卡 | 3-7 天 |",
            True,
        ),
        (
            "Can I change my delivery address?",
            "Yes, until the order ships: **Orders → Details → Change address**.",
            True,
        ),
    ],
}


async def _demo_help_center() -> None:
    if await knowledge.HelpCategory.exists():
        return
    actor = await principal_for(await models.Account.get(account="admin"))
    for (name, description), questions in _HELP.items():
        category = await service.create_category(
            actor=actor, name=name, description=description, public_url=""
        )
        for title, markdown, publish in questions:
            await service.create_question(
                actor=actor,
                category_id=category.id,
                title=title,
                markdown=markdown,
                publish=publish,
            )


async def _demo_contact_center() -> None:
    """200 generated agents in 20 teams, ~20 000 call records over the last 30 days, a few
    contacts and tickets, and ticket satisfaction switched on. Skipped when calls exist."""
    if await CallRecord.exists():
        return
    actor = Principal.system("demo")
    await generate.create_agents()
    start = (datetime.now(UTC) - timedelta(days=30)).date()
    records = list(generate.generate(20_000, start=start, days=30, seed=2026))
    importer = Importer(actor=actor)
    for offset in range(0, len(records), 5000):
        valid, errors, existing = await importer.validate(records[offset : offset + 5000])
        await importer.write(valid, existing)
    for name, phones, email, external in [
        ("王小明", ["138 0013 8000"], "ming@example.com", "crm-1001"),
        ("Alice Chen", ["+1 415 555 0100"], "alice@example.com", "crm-1002"),
    ]:
        if not await Contact.filter(external_id=external).exists():
            await contacts.create_contact(
                actor=actor,
                data=contacts.ContactInput(name, phones, email, external),
                country_code="86",
            )
    await ticket_surveys.update_settings(
        actor=actor,
        enabled=True,
        channels=[Channel.EMAIL, Channel.WEB, Channel.H5],
        question="How satisfied are you with our help? / 您对本次服务满意吗？",
        valid_days=30,
    )
    requester = await Contact.get(external_id="crm-1001")
    agent = await models.Account.get(account="agent.li")
    for subject, status in [
        ("无法登录 App", TicketStatus.OPEN),
        ("Refund for order A-1024", TicketStatus.PENDING),
    ]:
        # Through the service: the events it logs are what the Zendesk sync sends.
        ticket = await tickets.create_ticket(
            actor=actor,
            data=tickets.TicketInput(
                subject=subject,
                channel=Channel.EMAIL,
                requester_id=requester.id,
                assignee_id=agent.id,
            ),
        )
        for step in (TicketStatus.OPEN, TicketStatus.PENDING)[
            : 1 + (status is TicketStatus.PENDING)
        ]:
            await tickets.change_status(
                actor=actor, ticket_id=ticket.id, status=step, public_url="", secret_key=""
            )
    log.info("demo contact-center data: %d call records", len(records))
