"""Tickets and their comments (R-CC-2)."""

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
    from app.directory.models import Contact, Queue, Team


class TicketStatus(StrEnum):
    NEW = "NEW"
    OPEN = "OPEN"
    PENDING = "PENDING"
    HOLD = "HOLD"
    SOLVED = "SOLVED"
    CLOSED = "CLOSED"


class Ticket(Model):
    id = fields.IntField(primary_key=True)
    subject = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    status = fields.CharEnumField(TicketStatus, max_length=16, default=TicketStatus.NEW)
    channel = fields.CharEnumField(Channel, max_length=16, default=Channel.WEB)
    queue_id: int | None
    queue: fields.ForeignKeyNullableRelation[Queue] = fields.ForeignKeyField(
        "deskql.Queue", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    menu_selection = fields.CharField(max_length=128, null=True, description="IVR or menu choice")
    requester_id: int | None
    requester: fields.ForeignKeyNullableRelation[Contact] = fields.ForeignKeyField(
        "deskql.Contact", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    assignee_id: int | None
    assignee: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="assigned_tickets", null=True, on_delete=fields.SET_NULL
    )
    merged_into_id: int | None
    merged_into: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="merged_tickets", null=True, on_delete=fields.SET_NULL
    )
    custom_fields: fields.JSONField[list[Any]] = fields.JSONField(
        default=list, description="List of name and value pairs"
    )
    team_id: int | None
    team: fields.ForeignKeyNullableRelation[Team] = fields.ForeignKeyField(
        "deskql.Team", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    mailbox = fields.CharField(
        max_length=254, null=True, description="The address an email ticket came to, lower-cased"
    )
    due_at = fields.DatetimeField(null=True, description="Overdue after this (reminders)")
    overdue_reminded_at = fields.DatetimeField(null=True)
    solved_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "ticket"
        # The lists' orders (newest first by default), and an agent's own tickets (R-AUTH-3).
        indexes = (("created_at", "id"), ("updated_at", "id"), ("assignee_id", "created_at"))


class TicketComment(Model):
    id = fields.IntField(primary_key=True)
    ticket_id: int
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="comments", on_delete=fields.CASCADE
    )
    author_id: int | None
    author: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="ticket_comments", null=True, on_delete=fields.SET_NULL
    )
    body = fields.TextField()
    public = fields.BooleanField(description="False for an internal note")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ticket_comment"
        indexes = (("ticket_id", "id"),)  # a page's comments, in order, in one statement
