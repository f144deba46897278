"""Reception groups, agents' presence, smart routing rules and the decisions routing made
(R-CC-8, R-CC-9)."""

# Model docstrings and descriptions become table/column comments: no semicolons in them
# (Tortoise's SQLite schema editor splits statements on them, see app/accounts/models.py).

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for type hints only
    from app.accounts.models import Account
    from app.directory.models import Queue

DEFAULT_NO_AGENT_MESSAGE = (
    "No agent is online right now. Leave a message and we will get back to you."
)


class Presence(StrEnum):
    ONLINE = "ONLINE"  # takes sessions
    AWAY = "AWAY"  # signed in, takes none
    OFFLINE = "OFFLINE"


class Outcome(StrEnum):
    ASSIGNED = "ASSIGNED"  # an agent with a free slot was chosen
    QUEUED = "QUEUED"  # every agent busy, the group's smart judgement lets the visitor wait
    NO_AGENT = "NO_AGENT"  # no level had capacity: the visitor gets the no-agent answer


class ReceptionGroup(Model):
    """A skill group receiving chats and calls, with what decides its capacity."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    queue_id: int | None
    queue: fields.ForeignKeyNullableRelation[Queue] = fields.ForeignKeyField(
        "deskql.Queue", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    time_zone = fields.CharField(max_length=64, description="IANA name of the schedule's zone")
    schedule: fields.JSONField[list[Any]] = fields.JSONField(
        default=list, description="Weekly opening periods (day, start, end). Empty means always"
    )
    holidays: fields.JSONField[list[Any]] = fields.JSONField(
        default=list, description="Closed dates YYYY-MM-DD in the group's zone"
    )
    max_queue_length = fields.IntField(null=True, description="Smart judgement threshold")
    max_wait_seconds = fields.IntField(null=True, description="Smart judgement threshold")
    average_handle_seconds = fields.IntField(default=300)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "reception_group"


class ReceptionGroupMember(Model):
    id = fields.IntField(primary_key=True)
    group_id: int
    group: fields.ForeignKeyRelation[ReceptionGroup] = fields.ForeignKeyField(
        "deskql.ReceptionGroup", related_name="members", on_delete=fields.CASCADE
    )
    account_id: int
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name=False, on_delete=fields.CASCADE
    )
    max_sessions = fields.IntField(default=3, description="Concurrent sessions at most")

    class Meta:
        table = "reception_group_member"
        unique_together = (("group_id", "account_id"),)


class AgentPresence(Model):
    """Whether an agent takes sessions now."""

    id = fields.IntField(primary_key=True)
    account_id: int
    account: fields.OneToOneRelation[Account] = fields.OneToOneField(
        "deskql.Account", related_name=False, on_delete=fields.CASCADE
    )
    state = fields.CharEnumField(Presence, max_length=8, default=Presence.OFFLINE)
    changed_at = fields.DatetimeField()

    class Meta:
        table = "agent_presence"


class RoutingRule(Model):
    """Conditions (app/routing/conditions.py, as JSON) and where a matching session goes."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    priority = fields.IntField(description="Lower first")
    enabled = fields.BooleanField(default=True)
    conditions: fields.JSONField[dict[str, Any]] = fields.JSONField()
    time_zone = fields.CharField(max_length=64)
    target_agent_id: int | None
    target_agent: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    group_ids: fields.JSONField[list[int]] = fields.JSONField(
        default=list, description="Reception groups in overflow order (1 to 3)"
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "routing_rule"


class RoutingSettings(Model):
    """One row. revision moves on every change to groups, members or rules."""

    id = fields.IntField(primary_key=True)
    no_agent_message = fields.TextField(default=DEFAULT_NO_AGENT_MESSAGE)
    default_group_ids: fields.JSONField[list[int]] = fields.JSONField(default=list)
    revision = fields.BigIntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "routing_settings"


class RoutingDecision(Model):
    """Where routing sent a session, at which level, and why earlier levels were skipped."""

    id = fields.IntField(primary_key=True)
    session_id = fields.CharField(max_length=64, description="The chat system's id")
    channel = fields.CharField(max_length=16, null=True)
    decided_at = fields.DatetimeField()
    outcome = fields.CharEnumField(Outcome, max_length=8)
    level = fields.IntField(null=True, description="1 to 3, or 0 for a rule's agent")
    group_id: int | None
    group: fields.ForeignKeyNullableRelation[ReceptionGroup] = fields.ForeignKeyField(
        "deskql.ReceptionGroup", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    agent_id: int | None
    agent: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    rule_id: int | None
    rule: fields.ForeignKeyNullableRelation[RoutingRule] = fields.ForeignKeyField(
        "deskql.RoutingRule", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    skipped: fields.JSONField[list[Any]] = fields.JSONField(
        default=list, description="Levels passed over (level, groupId, groupName, reason)"
    )
    queue_position = fields.IntField(null=True)
    message = fields.TextField(null=True)

    class Meta:
        table = "routing_decision"
        indexes = (("session_id", "id"), ("outcome", "group_id"), ("outcome", "agent_id"))
