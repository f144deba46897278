"""Webhook endpoints, the deliveries owed to them, and every attempt (R-WH-1)."""

# Model docstrings and descriptions become table/column comments: no semicolons in them
# (Tortoise's SQLite schema editor splits statements on them, see app/accounts/models.py).

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # due at next_attempt_at (first try or a retry)
    DELIVERED = "DELIVERED"  # a 2xx answer
    FAILED = "FAILED"  # given up: the retry schedule ran out, or the endpoint answered 410


class WebhookEndpoint(Model):
    """A customer system that receives call events."""

    id = fields.IntField(primary_key=True)
    url = fields.CharField(max_length=2000)
    description = fields.CharField(max_length=500, default="")
    events: fields.JSONField[list[Any]] = fields.JSONField(default=list)
    enabled = fields.BooleanField(default=True)
    secret = fields.CharField(max_length=128, description="whsec_ signing secret")
    previous_secret = fields.CharField(max_length=128, null=True)
    previous_secret_until = fields.DatetimeField(null=True)
    disabled_reason = fields.CharField(max_length=500, null=True)
    failing_since = fields.DatetimeField(null=True, description="First failure since a success")
    paused_until = fields.DatetimeField(
        null=True, description="After a round that all failed: one probe again at this time"
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "webhook_endpoint"


class WebhookDelivery(Model):
    """One message owed to one endpoint. Its message id (webhook-id) is the same on every
    attempt, so receivers can de-duplicate."""

    id = fields.BigIntField(primary_key=True)
    endpoint_id: int
    endpoint: fields.ForeignKeyRelation[WebhookEndpoint] = fields.ForeignKeyField(
        "deskql.WebhookEndpoint", related_name="deliveries", on_delete=fields.CASCADE
    )
    message_id = fields.CharField(max_length=96)
    event_type = fields.CharField(max_length=32)
    ordering_key = fields.CharField(max_length=96, description="Main call id, in order per key")
    payload = fields.TextField(description="The JSON body, fixed when the event happened")
    status = fields.CharEnumField(DeliveryStatus, max_length=16, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True)
    last_status_code = fields.IntField(null=True)
    last_error = fields.CharField(max_length=500, null=True)
    created_at = fields.DatetimeField()
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_delivery"
        unique_together = (("endpoint", "message_id"),)
        indexes = (("endpoint_id", "status", "next_attempt_at"), ("endpoint_id", "ordering_key"))


class WebhookAttempt(Model):
    """One try at a delivery: what the endpoint answered, or why it could not be reached."""

    id = fields.BigIntField(primary_key=True)
    delivery_id: int
    delivery: fields.ForeignKeyRelation[WebhookDelivery] = fields.ForeignKeyField(
        "deskql.WebhookDelivery", related_name="tries", on_delete=fields.CASCADE
    )
    attempted_at = fields.DatetimeField()
    status_code = fields.IntField(null=True)
    error = fields.CharField(max_length=500, null=True)
    response_excerpt = fields.CharField(max_length=500, null=True)
    duration_ms = fields.IntField()
    next_attempt_at = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_attempt"
