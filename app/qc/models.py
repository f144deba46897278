"""Quality-check results (R-QC-1, R-QC-2)."""

# Model docstrings and descriptions become table/column comments: no semicolons in them
# (Tortoise's SQLite schema editor splits statements on them, see app/accounts/models.py).

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for type hints only
    from app.accounts.models import Account


class QcKind(StrEnum):
    ONLINE = "ONLINE"
    CALL = "CALL"


class QcResult(Model):
    """A quality-check result of a chat session (ONLINE) or a call (CALL)."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(QcKind, max_length=8)
    target_id = fields.CharField(max_length=64, description="Session id or call id")
    target_started_at = fields.DatetimeField()
    completed_at = fields.DatetimeField()
    agent_id: int | None
    agent: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    scheme_id = fields.CharField(max_length=64, null=True)
    full_score = fields.FloatField()
    score = fields.FloatField()
    standard_full = fields.FloatField(default=0)
    standard_score = fields.FloatField(default=0)
    bonus_full = fields.FloatField(default=0)
    bonus_score = fields.FloatField(default=0)
    deduction_full = fields.FloatField(default=0)
    deduction_score = fields.FloatField(default=0)

    class Meta:
        table = "qc_result"
        unique_together = (("kind", "target_id"),)
        indexes = (("kind", "completed_at"),)
