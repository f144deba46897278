"""The Zendesk sync's tables: its settings, the links between deskql's records and Zendesk's,
the durable queue of work (the outbox), and the shared state of the workers (rate-limit
waits, counters)."""

# Model docstrings and descriptions become table/column comments: no semicolons in them
# (Tortoise's SQLite schema editor splits statements on them, see app/accounts/models.py).

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class TaskStatus(StrEnum):
    PENDING = "PENDING"  # due at due_at (first try or a retry)
    SENT = "SENT"  # part of a Zendesk job (job_id) whose result is awaited
    DONE = "DONE"
    DEAD = "DEAD"  # given up, with the error: listed and retried by hand


class ApiResponseNotes(StrEnum):
    """Whether and how an API access point's response is posted on the call's ticket (R-ZD-7)."""

    OFF = "OFF"
    KEY_VALUE = "KEY_VALUE"
    JSON = "JSON"


class ZendeskSettings(Model):
    """The sync's settings (one row, id 1). The connection itself (URL, e-mail, API token) is
    configuration, never stored here."""

    id = fields.IntField(primary_key=True)
    enabled = fields.BooleanField(default=True)
    batch_window_seconds = fields.IntField(default=10)
    batch_comments = fields.BooleanField(default=True, description="Batch add-comment work")
    batch_updates = fields.BooleanField(default=True, description="Batch ticket updates")
    title_template = fields.CharField(max_length=200, default="{channel} from {customer}")
    reuse_open_tickets = fields.BooleanField(default=True)
    abandoned_call_tickets = fields.BooleanField(default=False)
    voicemail_tickets = fields.BooleanField(default=True)
    field_mapping: fields.JSONField[dict[str, Any]] = fields.JSONField(
        default=dict, description="Custom data key to Zendesk ticket field id"
    )
    session_fields: fields.JSONField[dict[str, Any]] = fields.JSONField(
        default=dict, description="The custom fields deskql created, by kind"
    )
    outbound_phone_field_id = fields.BigIntField(null=True)
    api_response_notes = fields.CharField(
        max_length=16, default="OFF", description="OFF, KEY_VALUE or JSON (R-ZD-7)"
    )
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "zendesk_settings"


class ZendeskUser(Model):
    """A contact as a Zendesk end-user."""

    id = fields.IntField(primary_key=True)
    contact_id = fields.IntField(unique=True)
    zendesk_user_id = fields.BigIntField()
    synced_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "zendesk_user"


class ZendeskAgent(Model):
    """An account (by e-mail) as a Zendesk agent, found by search. zendesk_user_id is null when
    Zendesk has no such user (then tickets stay unassigned there)."""

    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    zendesk_user_id = fields.BigIntField(null=True)
    looked_up_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "zendesk_agent"


class ZendeskTicket(Model):
    """A deskql ticket and the Zendesk ticket it is synced to."""

    id = fields.IntField(primary_key=True)
    ticket_id = fields.IntField(unique=True)
    zendesk_ticket_id = fields.BigIntField(null=True, db_index=True)
    status = fields.CharField(max_length=16, null=True, description="As Zendesk last said")
    last_synced_at = fields.DatetimeField(null=True)
    error: str | None = fields.TextField(null=True)
    extra_fields: fields.JSONField[dict[str, Any]] = fields.JSONField(
        default=dict, description="R-ZD-10 field values set by the rules, by Zendesk field id"
    )
    tags: fields.JSONField[list[Any]] = fields.JSONField(
        default=list, description="Tags the rules added (call_finished)"
    )
    merged_into_zendesk_id = fields.BigIntField(
        null=True, description="Zendesk merged it into this ticket: later updates go there"
    )

    class Meta:
        table = "zendesk_ticket"


class ZendeskSession(Model):
    """The ticket a chat session was given (made or reused) by the sync's rules."""

    id = fields.IntField(primary_key=True)
    session_id = fields.CharField(max_length=64, unique=True, description="The chat system's id")
    ticket_id = fields.IntField()

    class Meta:
        table = "zendesk_session"


class ZendeskCall(Model):
    """The ticket a call was given by the rules (R-ZD-4/5/9): kind call, voicemail or
    abandoned. ticket_id is null when the call has none (no-ticket outbound, abandoned with the
    setting off)."""

    id = fields.IntField(primary_key=True)
    call_id = fields.CharField(max_length=64, unique=True, description="The main call id")
    kind = fields.CharField(max_length=16, default="call")
    direction = fields.CharField(max_length=16)
    phone = fields.CharField(max_length=32, null=True, description="The customer's number")
    contact_id = fields.IntField(null=True)
    ticket_id = fields.IntField(null=True, db_index=True)
    ended = fields.BooleanField(default=False, description="The end-of-call update was written")
    created_at = fields.DatetimeField()

    class Meta:
        table = "zendesk_call"


class ZendeskCallNote(Model):
    """A note a call activity (R-ZD-7: SmartAction, voicemail state, API response) puts on the
    call's ticket: kept until the call has a ticket, then written (comment_id set)."""

    id = fields.IntField(primary_key=True)
    event_id = fields.CharField(max_length=128, unique=True, description="The activity's id")
    call_id = fields.CharField(max_length=64, db_index=True, description="The main call id")
    body = fields.TextField()
    files: fields.JSONField[list[Any]] = fields.JSONField(default=list, description="File URLs")
    comment_id = fields.IntField(null=True, description="The ticket note, once written")
    created_at = fields.DatetimeField()

    class Meta:
        table = "zendesk_call_note"


class ZendeskAttachment(Model):
    """A file to attach to a comment when it is sent (a call recording): uploaded to Zendesk at
    send time, so the upload token (valid 60 min) is fresh whatever the delay."""

    id = fields.IntField(primary_key=True)
    comment_id = fields.IntField(db_index=True)
    url = fields.CharField(max_length=500)
    file_name = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=100, default="audio/mpeg")
    token = fields.CharField(max_length=100, null=True)
    token_expires_at = fields.DatetimeField(null=True)
    error = fields.TextField(null=True, description="Why the file could not be attached")

    class Meta:
        table = "zendesk_attachment"


class ZendeskTask(Model):
    """One piece of work for Zendesk. Tasks of one key (a ticket, a contact) run in id order."""

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=32)
    key = fields.CharField(max_length=64, description="ticket:N or contact:N")
    event_id = fields.BigIntField(null=True, description="The domain event it came from")
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    status = fields.CharEnumField(TaskStatus, max_length=16, default=TaskStatus.PENDING)
    attempts = fields.IntField(default=0)
    due_at = fields.DatetimeField()
    alone = fields.BooleanField(default=False, description="Retried outside any batch")
    job_id = fields.CharField(max_length=64, null=True)
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "zendesk_task"
        indexes = (("status", "key", "id"),)
        unique_together = (("event_id", "kind", "key"),)


class ZendeskState(Model):
    """What every worker process shares (one row, id 1): rate-limit waits and counters."""

    id = fields.IntField(primary_key=True)
    blocked: fields.JSONField[dict[str, Any]] = fields.JSONField(
        default=dict, description="Bucket name to ISO time it may be used again"
    )
    routes: fields.JSONField[dict[str, Any]] = fields.JSONField(
        default=dict, description="Route to the bucket names its answers carried"
    )
    requests_sent = fields.BigIntField(default=0)
    requests_saved = fields.BigIntField(default=0, description="Saved by batching")
    rate_limited = fields.BigIntField(default=0, description="429 answers received")
    last_error = fields.TextField(null=True)
    last_error_at = fields.DatetimeField(null=True)

    class Meta:
        table = "zendesk_state"
