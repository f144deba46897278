"""Ratings of sessions and calls, and ticket satisfaction surveys (R-SAT-1, R-SAT-2)."""

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
    from app.chat.models import ChatSession


class SatisfactionLevel(StrEnum):
    VERY_SATISFIED = "VERY_SATISFIED"
    SATISFIED = "SATISFIED"
    NEUTRAL = "NEUTRAL"
    UNSATISFIED = "UNSATISFIED"
    VERY_UNSATISFIED = "VERY_UNSATISFIED"


class SatisfactionRating(Model):
    """A five-level rating of one chat session or one phone call (its main record)."""

    id = fields.IntField(primary_key=True)
    session_id: int | None
    session: fields.OneToOneNullableRelation[ChatSession] = fields.OneToOneField(
        "deskql.ChatSession", related_name="rating", null=True, on_delete=fields.CASCADE
    )
    main_call_id = fields.CharField(max_length=64, null=True, unique=True)
    agent_id: int | None
    agent: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    channel = fields.CharEnumField(Channel, max_length=16)
    level = fields.CharEnumField(SatisfactionLevel, max_length=24)
    comment = fields.CharField(max_length=1000, null=True)
    by_bot = fields.BooleanField(
        default=False, description="The rating is of the bot's service (a session without agent)"
    )
    rated_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "satisfaction_rating"


class RatingChannelSetting(Model):
    """The rating switch of one channel (R-SAT-4). A missing row means on."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharEnumField(Channel, max_length=16, unique=True)
    enabled = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "rating_channel_setting"


class BotEvaluationTag(Model):
    """A tag a customer attaches to a rating of the bot (R-SAT-4). Archived tags stay counted."""

    id = fields.IntField(primary_key=True)
    label_zh = fields.CharField(max_length=32)
    label_en = fields.CharField(max_length=64)
    position = fields.IntField()
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "bot_evaluation_tag"


class RatingTag(Model):
    id = fields.IntField(primary_key=True)
    rating_id: int
    rating: fields.ForeignKeyRelation[SatisfactionRating] = fields.ForeignKeyField(
        "deskql.SatisfactionRating", related_name="tags", on_delete=fields.CASCADE
    )
    tag_id: int
    tag: fields.ForeignKeyRelation[BotEvaluationTag] = fields.ForeignKeyField(
        "deskql.BotEvaluationTag", related_name="ratings", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "rating_tag"
        unique_together = (("rating", "tag"),)
        indexes = (("tag_id", "rating_id"),)


class TicketSatisfactionSettings(Model):
    """The single row of ticket-satisfaction settings."""

    id = fields.IntField(primary_key=True)
    enabled = fields.BooleanField(default=False)
    channels: fields.JSONField[list[Any]] = fields.JSONField(default=list)
    question = fields.CharField(
        max_length=500, default="How satisfied are you with how we handled your request?"
    )
    valid_days = fields.IntField(default=30)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "ticket_satisfaction_settings"


class TicketSatisfactionInvitation(Model):
    """Sent when a ticket becomes solved. The link's token is an HMAC of the id, never stored."""

    id = fields.IntField(primary_key=True)
    ticket_id: int
    ticket: fields.OneToOneRelation[Model] = fields.OneToOneField(
        "deskql.Ticket", related_name="satisfaction", on_delete=fields.CASCADE
    )
    channel = fields.CharEnumField(Channel, max_length=16)
    invited_at = fields.DatetimeField(db_index=True)
    expires_at = fields.DatetimeField()
    score = fields.IntField(null=True)
    comment = fields.CharField(max_length=1000, null=True)
    rated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "ticket_satisfaction_invitation"
