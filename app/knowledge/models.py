"""The customer service center (help center): categories, questions, revisions, votes, channel
switches and uploaded media (R-KC-1..6)."""

# Model docstrings become table comments: no semicolons (see app/accounts/models.py).

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for type hints only
    from app.accounts.models import Account


class QuestionStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"


class HelpChannel(StrEnum):
    APP = "APP"
    WEB = "WEB"
    H5 = "H5"
    MINI_PROGRAM = "MINI_PROGRAM"


class HelpCategory(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64)
    description = fields.CharField(max_length=500, default="")
    image_path = fields.CharField(max_length=128, null=True)
    position = fields.IntField(db_index=True)
    text_version = fields.IntField(
        default=1, description="Grows when the name or description changes (translations compare)"
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "help_category"


class HelpQuestion(Model):
    id = fields.IntField(primary_key=True)
    category_id: int
    category: fields.ForeignKeyRelation[HelpCategory] = fields.ForeignKeyField(
        "deskql.HelpCategory", related_name="questions", on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=200)
    answer_markdown = fields.TextField()
    answer_html = fields.TextField()
    answer_text = fields.TextField(description="Plain text of the answer, for search")
    status = fields.CharEnumField(QuestionStatus, max_length=16, default=QuestionStatus.DRAFT)
    position = fields.IntField()
    view_count = fields.IntField(default=0)
    helpful_count = fields.IntField(default=0)
    not_helpful_count = fields.IntField(default=0)
    text_version = fields.IntField(
        default=1, description="Grows when the title or answer changes (translations compare)"
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "help_question"
        indexes = (("category_id", "position"),)


class HelpLocaleSettings(Model):
    """The single row of help-center locales (R-KC-6). Missing means zh-CN and no translations."""

    id = fields.IntField(primary_key=True)
    primary_locale = fields.CharField(max_length=16, default="zh-CN")
    locales: fields.JSONField[list[str]] = fields.JSONField(
        default=list, description="Offered translation locales, primary excluded"
    )
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "help_locale_settings"


class HelpCategoryTranslation(Model):
    """A category's name and description in one locale other than the primary."""

    id = fields.IntField(primary_key=True)
    category_id: int
    category: fields.ForeignKeyRelation[HelpCategory] = fields.ForeignKeyField(
        "deskql.HelpCategory", related_name="translations", on_delete=fields.CASCADE
    )
    locale = fields.CharField(max_length=16)
    name = fields.CharField(max_length=64)
    description = fields.CharField(max_length=500, default="")
    source_version = fields.IntField(description="The category text_version it translates")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "help_category_translation"
        unique_together = (("category", "locale"),)


class HelpQuestionTranslation(Model):
    """A question's title and answer in one locale other than the primary."""

    id = fields.IntField(primary_key=True)
    question_id: int
    question: fields.ForeignKeyRelation[HelpQuestion] = fields.ForeignKeyField(
        "deskql.HelpQuestion", related_name="translations", on_delete=fields.CASCADE
    )
    locale = fields.CharField(max_length=16)
    title = fields.CharField(max_length=200)
    answer_markdown = fields.TextField()
    answer_html = fields.TextField()
    answer_text = fields.TextField(description="Plain text of the answer, for search")
    source_version = fields.IntField(description="The question text_version it translates")
    author_id: int | None
    author: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "help_question_translation"
        unique_together = (("question", "locale"),)
        indexes = (("locale", "question_id"),)


class HelpQuestionRevision(Model):
    """Every save of a question keeps one. Restoring one creates a new one."""

    id = fields.IntField(primary_key=True)
    question_id: int
    question: fields.ForeignKeyRelation[HelpQuestion] = fields.ForeignKeyField(
        "deskql.HelpQuestion", related_name="revisions", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    title = fields.CharField(max_length=200)
    answer_markdown = fields.TextField()
    author_id: int | None
    author: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="help_revisions", null=True, on_delete=fields.SET_NULL
    )
    restored_from = fields.IntField(null=True, description="Revision number this one restored")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "help_question_revision"
        unique_together = (("question", "number"),)


class HelpChannelSetting(Model):
    """The help-center switch per channel (R-KC-4). A missing row means enabled."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharEnumField(HelpChannel, max_length=16, unique=True)
    enabled = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "help_channel_setting"


class HelpVote(Model):
    """One vote per client per question. The client is a keyed hash, never the raw address."""

    id = fields.IntField(primary_key=True)
    question_id: int
    question: fields.ForeignKeyRelation[HelpQuestion] = fields.ForeignKeyField(
        "deskql.HelpQuestion", related_name="votes", on_delete=fields.CASCADE
    )
    client_hash = fields.CharField(max_length=64)
    helpful = fields.BooleanField()
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "help_vote"
        unique_together = (("question", "client_hash"),)


class HelpContentVersion(Model):
    """One row whose number grows with every edit of published content. Every server process
    compares it with the version of its response cache (cross-process invalidation)."""

    id = fields.IntField(primary_key=True)
    version = fields.BigIntField(default=0)

    class Meta:
        table = "help_content_version"


class MediaFile(Model):
    """An uploaded image, content-addressed by SHA-256 and kept in the database so every server
    process (and machine) serves it without shared disk."""

    id = fields.IntField(primary_key=True)
    sha256 = fields.CharField(max_length=64, unique=True)
    content_type = fields.CharField(max_length=32)
    extension = fields.CharField(max_length=8)
    size = fields.IntField()
    data = fields.BinaryField()
    uploaded_by_id: int | None
    uploaded_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="uploads", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "media_file"
