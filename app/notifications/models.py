"""Reminder settings, the email outbox and email triggers (R-OPS-1, R-OPS-2)."""

# Model docstrings and descriptions become table/column comments: no semicolons in them
# (Tortoise's SQLite schema editor splits statements on them, see app/accounts/models.py).

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for type hints only
    from app.accounts.models import Account
    from app.directory.models import Team
    from app.tickets.models import Ticket


class ReminderSound(StrEnum):
    DING = "DING"
    CHIME = "CHIME"


class ReminderSettings(Model):
    """One agent's ticket reminders. A missing row means the defaults (all on, DING)."""

    id = fields.IntField(primary_key=True)
    account_id: int
    account: fields.OneToOneRelation[Account] = fields.OneToOneField(
        "deskql.Account", related_name=False, on_delete=fields.CASCADE
    )
    email_enabled = fields.BooleanField(default=True)
    popup_enabled = fields.BooleanField(default=True)
    sound_enabled = fields.BooleanField(default=True)
    sound = fields.CharEnumField(ReminderSound, max_length=8, default=ReminderSound.DING)
    on_assigned = fields.BooleanField(default=True)
    on_customer_update = fields.BooleanField(default=True)
    on_overdue = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "reminder_settings"


class EmailStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    DEAD = "DEAD"


class EmailMessage(Model):
    """An email to send over SMTP, kept until sent or given up (then listable and replayable)."""

    id = fields.IntField(primary_key=True)
    dedupe_key = fields.CharField(max_length=128, unique=True, description="One email per cause")
    to_address = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=200)
    body_text = fields.TextField()
    status = fields.CharEnumField(EmailStatus, max_length=8, default=EmailStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.CharField(max_length=500, null=True)
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "email_message"
        indexes = (("status", "next_attempt_at"),)


class TriggerKind(StrEnum):
    FLOW = "FLOW"  # when a ticket is created
    TIMED = "TIMED"  # when a ticket has waited a number of minutes unassigned


class EmailTrigger(Model):
    """Assigns tickets received at a mailbox to a team or an agent. Ordered, switchable."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    kind = fields.CharEnumField(TriggerKind, max_length=8)
    mailbox = fields.CharField(max_length=254, description="Lower-cased address it matches")
    after_minutes = fields.IntField(null=True, description="TIMED only")
    assign_team_id: int | None
    assign_team: fields.ForeignKeyNullableRelation[Team] = fields.ForeignKeyField(
        "deskql.Team", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    assign_agent_id: int | None
    assign_agent: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    position = fields.IntField()
    enabled = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "email_trigger"


class EmailTriggerFiring(Model):
    """A trigger fired on a ticket: each fires at most once per ticket."""

    id = fields.IntField(primary_key=True)
    trigger_id: int
    trigger: fields.ForeignKeyRelation[EmailTrigger] = fields.ForeignKeyField(
        "deskql.EmailTrigger", related_name="firings", on_delete=fields.CASCADE
    )
    ticket_id: int
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name=False, on_delete=fields.CASCADE
    )
    fired_at = fields.DatetimeField()

    class Meta:
        table = "email_trigger_firing"
        unique_together = (("trigger", "ticket"),)
