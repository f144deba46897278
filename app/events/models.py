"""The domain event log, its consumers' cursors, and the ids of live events already applied."""

# Model docstrings and descriptions become table/column comments: no semicolons in them
# (Tortoise's SQLite schema editor splits statements on them, see app/accounts/models.py).

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class DomainEvent(Model):
    """The durable log of accepted changes, read by several consumers in id order."""

    id = fields.BigIntField(primary_key=True)
    topic = fields.CharField(max_length=64)
    subject_id = fields.CharField(max_length=64, null=True)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    actor = fields.CharField(
        max_length=96,
        default="deskql",
        description="Who caused it: account:<id> or the integration",
    )
    source = fields.CharField(
        max_length=16,
        default="system",
        description="Through what: graphql, import, live, zendesk ...",
    )
    occurred_at = fields.DatetimeField(auto_now_add=True)
    tx = fields.BigIntField(
        default=0, description="PostgreSQL: the writing transaction's id (0 on SQLite)"
    )

    class Meta:
        table = "domain_event"
        indexes = (("tx", "id"), ("subject_id", "topic"))


class EventConsumer(Model):
    """A consumer's cursor: the id of the last event it has handled."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    position = fields.BigIntField(default=0)
    position_tx = fields.BigIntField(default=0, description="The tx of that event")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "event_consumer"


class IngestedEvent(Model):
    """Ids of live events already applied, so a replayed event changes nothing."""

    id = fields.IntField(primary_key=True)
    event_id = fields.CharField(max_length=128, unique=True)
    kind = fields.CharField(max_length=16)
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ingested_event"
