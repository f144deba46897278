"""Teams, queues and contacts (R-CC-1)."""

# Model docstrings and descriptions become table/column comments: no semicolons in them
# (Tortoise's SQLite schema editor splits statements on them, see app/accounts/models.py).

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for type hints only
    from app.accounts.models import Account


class Team(Model):
    """A team (skill group). Each agent belongs to at most one team."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "team"


class TeamMember(Model):
    id = fields.IntField(primary_key=True)
    team_id: int
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "deskql.Team", related_name="members", on_delete=fields.CASCADE
    )
    account_id: int
    account: fields.OneToOneRelation[Account] = fields.OneToOneField(
        "deskql.Account", related_name="team_membership", on_delete=fields.CASCADE
    )

    class Meta:
        table = "team_member"


class Queue(Model):
    """A call queue (IVR menu choice), optionally served by a team."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    team_id: int | None
    team: fields.ForeignKeyNullableRelation[Team] = fields.ForeignKeyField(
        "deskql.Team", related_name="queues", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "call_queue"


class Contact(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128)
    email = fields.CharField(max_length=254, null=True, db_index=True, description="Lower-cased")
    external_id = fields.CharField(
        max_length=128, null=True, unique=True, description="The docking id of the customer system"
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "contact"


class ContactPhone(Model):
    id = fields.IntField(primary_key=True)
    contact_id: int
    contact: fields.ForeignKeyRelation[Contact] = fields.ForeignKeyField(
        "deskql.Contact", related_name="phones", on_delete=fields.CASCADE
    )
    e164 = fields.CharField(max_length=16, db_index=True, description="E.164, e.g. +8613800138000")
    position = fields.IntField(default=1)

    class Meta:
        table = "contact_phone"
        unique_together = (("contact", "e164"),)


class ContactFieldType(StrEnum):
    TEXT = "TEXT"
    NUMBER = "NUMBER"
    DATE = "DATE"
    SELECT = "SELECT"
    MULTI_SELECT = "MULTI_SELECT"


class ContactField(Model):
    """A custom contact field admins define and agents see in their workspace (R-QC-3)."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=64, unique=True, description="Stable key for integrations")
    name = fields.CharField(max_length=64)
    type = fields.CharEnumField(ContactFieldType, max_length=16)
    options: fields.JSONField[list[Any]] = fields.JSONField(
        default=list, description="The choices of SELECT and MULTI_SELECT"
    )
    position = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "contact_field"


class ContactFieldValue(Model):
    """One contact's value of one custom field, JSON encoded by the field's type."""

    id = fields.IntField(primary_key=True)
    contact_id: int
    contact: fields.ForeignKeyRelation[Contact] = fields.ForeignKeyField(
        "deskql.Contact", related_name="field_values", on_delete=fields.CASCADE
    )
    field_id: int
    field: fields.ForeignKeyRelation[ContactField] = fields.ForeignKeyField(
        "deskql.ContactField", related_name="values", on_delete=fields.CASCADE
    )
    value: fields.JSONField[Any] = fields.JSONField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "contact_field_value"
        unique_together = (("contact", "field"),)
