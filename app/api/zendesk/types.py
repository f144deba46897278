"""GraphQL types of the Zendesk sync. The API token is never a field: the connection shows
only whether one is configured."""

from __future__ import annotations

from datetime import datetime

import strawberry

from app.api.common import gid
from app.zendesk import models
from app.zendesk.service import SyncStatus


@strawberry.type(description="Where the sync writes (configuration, not editable here).")
class ZendeskConnection:
    url: str | None = strawberry.field(description="The Zendesk account's URL, when set.")
    email: str | None = strawberry.field(description="The API user's e-mail, when set.")
    api_token_set: bool = strawberry.field(description="Whether an API token is configured.")
    webhook_secret_set: bool = strawberry.field(
        description="Whether POST /zendesk/webhook can verify Zendesk's signature."
    )


@strawberry.type(description="A custom data key and the Zendesk ticket field it fills.")
class ZendeskFieldMapping:
    key: str = strawberry.field(description="The custom data key (or the R-ZD-10 kind).")
    field_id: strawberry.ID = strawberry.field(description="The Zendesk ticket field id.")


def mappings(value: dict | None) -> list[ZendeskFieldMapping]:
    return [
        ZendeskFieldMapping(key=k, field_id=strawberry.ID(str(v))) for k, v in (value or {}).items()
    ]


ApiResponseNotes = models.ApiResponseNotes
strawberry.enum(
    ApiResponseNotes,
    description="An API access point's response on the call's ticket (R-ZD-7): no note, "
    "key-value lines, or JSON.",
)


@strawberry.type(description="How deskql syncs to Zendesk (R-ZD-1..11).")
class ZendeskSettings:
    connection: ZendeskConnection = strawberry.field(description="Where it writes.")
    enabled: bool = strawberry.field(description="False: work is queued, not sent.")
    batch_window_seconds: int = strawberry.field(
        description="How long comments and updates are collected before a batch (1-60 s)."
    )
    batch_comments: bool = strawberry.field(description="Batch add-comment work.")
    batch_updates: bool = strawberry.field(description="Batch assignment and ticket updates.")
    title_template: str = strawberry.field(
        description="Ticket title; placeholders {channel} {customer} {menu} {agent}."
    )
    reuse_open_tickets: bool = strawberry.field(
        description="Append to the customer's open ticket for the same menu and channel."
    )
    abandoned_call_tickets: bool = strawberry.field(description="Abandoned calls make tickets.")
    voicemail_tickets: bool = strawberry.field(description="Voicemails make tickets.")
    field_mapping: list[ZendeskFieldMapping] = strawberry.field(
        description="Custom data keys and the ticket fields they fill (R-ZD-8)."
    )
    session_fields: list[ZendeskFieldMapping] = strawberry.field(
        description="The R-ZD-10 fields deskql created, by kind."
    )
    outbound_phone_field_id: strawberry.ID | None = strawberry.field(
        description="The ticket field holding the number to call back (R-OUT-3)."
    )
    api_response_notes: ApiResponseNotes = strawberry.field(
        description="Post API access-point responses as ticket notes, and how (R-ZD-7)."
    )
    updated_at: datetime = strawberry.field(description="Last change (UTC).")

    @classmethod
    def of(cls, row: models.ZendeskSettings, connection: ZendeskConnection) -> ZendeskSettings:
        return cls(
            connection=connection,
            enabled=row.enabled,
            batch_window_seconds=row.batch_window_seconds,
            batch_comments=row.batch_comments,
            batch_updates=row.batch_updates,
            title_template=row.title_template,
            reuse_open_tickets=row.reuse_open_tickets,
            abandoned_call_tickets=row.abandoned_call_tickets,
            voicemail_tickets=row.voicemail_tickets,
            field_mapping=mappings(row.field_mapping),
            session_fields=mappings(row.session_fields),
            outbound_phone_field_id=(
                strawberry.ID(str(row.outbound_phone_field_id))
                if row.outbound_phone_field_id is not None
                else None
            ),
            api_response_notes=models.ApiResponseNotes(row.api_response_notes),
            updated_at=row.updated_at,
        )


@strawberry.type(description="How the sync is doing.")
class ZendeskSyncStatus:
    pending: int = strawberry.field(description="Tasks waiting (a batch window, a retry).")
    in_flight: int = strawberry.field(description="Tasks in Zendesk jobs not yet finished.")
    dead_lettered: int = strawberry.field(description="Tasks given up: see zendeskDeadLetters.")
    requests_sent: int = strawberry.field(description="Requests sent to Zendesk, ever.")
    requests_saved_by_batching: int = strawberry.field(
        description="Requests batching saved (tasks sent in batches minus the batches)."
    )
    rate_limited: int = strawberry.field(description="429 answers received, ever.")
    last_error: str | None = strawberry.field(description="The last error, if any.")
    last_error_at: datetime | None = strawberry.field(description="When it happened (UTC).")

    @classmethod
    def of(cls, s: SyncStatus) -> ZendeskSyncStatus:
        return cls(
            pending=s.pending,
            in_flight=s.in_flight,
            dead_lettered=s.dead_lettered,
            requests_sent=s.requests_sent,
            requests_saved_by_batching=s.requests_saved,
            rate_limited=s.rate_limited,
            last_error=s.last_error,
            last_error_at=s.last_error_at,
        )


@strawberry.type(description="Work the sync gave up on, with Zendesk's error.")
class ZendeskDeadLetter:
    id: strawberry.ID = strawberry.field(description="The task's id (retryZendeskDeadLetter).")
    kind: str = strawberry.field(
        description="user, ticket.create, ticket.update, ticket.comment or ticket.merge."
    )
    ticket_id: strawberry.ID | None = strawberry.field(description="The deskql ticket, if any.")
    contact_id: strawberry.ID | None = strawberry.field(description="The contact, if any.")
    attempts: int = strawberry.field(description="How many times it was tried.")
    error: str | None = strawberry.field(description="The last error.")
    created_at: datetime = strawberry.field(description="When the work was queued (UTC).")
    updated_at: datetime = strawberry.field(description="When it was given up (UTC).")

    @classmethod
    def of(cls, task: models.ZendeskTask) -> ZendeskDeadLetter:
        ticket = task.payload.get("ticketId")
        contact = task.payload.get("contactId")
        return cls(
            id=strawberry.ID(str(task.id)),
            kind=task.kind,
            ticket_id=gid(ticket) if ticket else None,
            contact_id=gid(contact) if contact else None,
            attempts=task.attempts,
            error=task.last_error,
            created_at=task.created_at,
            updated_at=task.updated_at,
        )


@strawberry.type(description="A ticket's Zendesk twin.")
class TicketZendesk:
    ticket_id: strawberry.ID | None = strawberry.field(
        description="The Zendesk ticket id (null until created there)."
    )
    status: str | None = strawberry.field(description="Its status as Zendesk last said.")
    last_synced_at: datetime | None = strawberry.field(description="Last sent or read (UTC).")
    error: str | None = strawberry.field(description="The last sync error, if any.")

    @classmethod
    def of(cls, link: models.ZendeskTicket) -> TicketZendesk:
        return cls(
            ticket_id=(
                strawberry.ID(str(link.zendesk_ticket_id)) if link.zendesk_ticket_id else None
            ),
            status=link.status,
            last_synced_at=link.last_synced_at,
            error=link.error,
        )
