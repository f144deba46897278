"""The outbound-call settings (operations and per team) and the outbound calls agents started
with their ticket choice (read by the Zendesk call rules when the call's events arrive)."""

# Model docstrings and descriptions become table/column comments: no semicolons in them.

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class OutboundSettings(Model):
    """Operations settings of the outbound form (one row, id 1), R-OUT-1."""

    id = fields.IntField(primary_key=True)
    prompt_ticket_choice = fields.BooleanField(
        default=True, description="Let the agent choose among open tickets (off: newest is used)"
    )
    allow_new_ticket = fields.BooleanField(default=True, description="Only when prompting")
    allow_no_ticket = fields.BooleanField(default=False)
    allow_entered_number = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "outbound_settings"


class OutboundTeam(Model):
    """A team's ticket-id entry setting, R-OUT-3."""

    id = fields.IntField(primary_key=True)
    team_id = fields.IntField(unique=True)
    ticket_id_enabled = fields.BooleanField(default=False)
    ticket_id_required = fields.BooleanField(default=False)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "outbound_team"


class OutboundCall(Model):
    """An outbound call an agent started through deskql: the number, the contact and the ticket
    it is logged on (null: no ticket). call_id is the telephony id when the adapter gave it,
    else the call is matched by agent and number when its first event arrives."""

    id = fields.IntField(primary_key=True)
    agent_id = fields.IntField(db_index=True)
    phone = fields.CharField(max_length=32)
    contact_id = fields.IntField(null=True)
    ticket_id = fields.IntField(null=True)
    entered_number = fields.BooleanField(default=False)
    call_id = fields.CharField(max_length=64, null=True, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "outbound_call"
