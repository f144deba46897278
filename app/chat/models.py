"""Chat sessions, their transfers and service summaries (R-CC-6, R-CC-7)."""

# Model docstrings and descriptions become table/column comments: no semicolons in them
# (Tortoise's SQLite schema editor splits statements on them, see app/accounts/models.py).

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from app.channels import Channel

if TYPE_CHECKING:  # the related models, for type hints only
    from app.accounts.models import Account
    from app.directory.models import Contact


class ResolutionStatus(StrEnum):
    RESOLVED = "RESOLVED"
    UNRESOLVED = "UNRESOLVED"
    IN_PROGRESS = "IN_PROGRESS"


class ChatSession(Model):
    id = fields.IntField(primary_key=True)
    session_id = fields.CharField(max_length=64, unique=True, description="The chat system's id")
    channel = fields.CharEnumField(Channel, max_length=16)
    contact_id: int | None
    contact: fields.ForeignKeyNullableRelation[Contact] = fields.ForeignKeyField(
        "deskql.Contact", related_name="sessions", null=True, on_delete=fields.SET_NULL
    )
    agent_id: int | None
    agent: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="chat_sessions", null=True, on_delete=fields.RESTRICT
    )
    started_at = fields.DatetimeField(db_index=True)
    ended_at = fields.DatetimeField(null=True)
    transfer_count = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "chat_session"
        indexes = (("agent_id", "started_at"),)  # an agent's own sessions (R-AUTH-3)


class SessionTransfer(Model):
    id = fields.IntField(primary_key=True)
    session_id: int
    session: fields.ForeignKeyRelation[ChatSession] = fields.ForeignKeyField(
        "deskql.ChatSession", related_name="transfers", on_delete=fields.CASCADE
    )
    from_agent_id: int | None
    from_agent: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    to_agent_id: int | None
    to_agent: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    transferred_at = fields.DatetimeField()
    reason = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "session_transfer"
        # a page's transfers in one statement; sessions transferred to an agent (R-AUTH-3)
        indexes = (("session_id", "id"), ("to_agent_id",), ("from_agent_id",))


class ServiceSummary(Model):
    id = fields.IntField(primary_key=True)
    session_id: int
    session: fields.OneToOneRelation[ChatSession] = fields.OneToOneField(
        "deskql.ChatSession", related_name="summary", on_delete=fields.CASCADE
    )
    agent_id: int | None
    agent: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    business_unit = fields.CharField(max_length=64, null=True)
    question_type = fields.CharField(max_length=64, null=True)
    resolution_status = fields.CharEnumField(ResolutionStatus, max_length=16, null=True)
    remark = fields.TextField(default="")
    marked_valid = fields.BooleanField(default=True)
    custom_fields: fields.JSONField[list[Any]] = fields.JSONField(default=list)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "service_summary"
