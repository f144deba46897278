"""Agent status intervals (R-RPT-2)."""

# Model docstrings and descriptions become table/column comments: no semicolons in them
# (Tortoise's SQLite schema editor splits statements on them, see app/accounts/models.py).

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for type hints only
    from app.accounts.models import Account


class AgentStatus(StrEnum):
    IDLE = "IDLE"
    BUSY = "BUSY"
    ACW = "ACW"
    BREAK = "BREAK"


class AgentStatusInterval(Model):
    """A stretch of time an agent spent in one status between login and logout."""

    id = fields.IntField(primary_key=True)
    agent_id: int
    agent: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="status_intervals", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(AgentStatus, max_length=8)
    started_at = fields.DatetimeField()
    ended_at = fields.DatetimeField()
    start_epoch = fields.BigIntField()
    end_epoch = fields.BigIntField()

    class Meta:
        table = "agent_status_interval"
        unique_together = (("agent", "started_at"),)
        indexes = (("start_epoch",),)
