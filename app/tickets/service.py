"""Ticket use cases: create, update, change status (sending the satisfaction survey when a
ticket is solved, R-SAT-2), comment, merge. Each writes its domain event in its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from app.accounts.models import Account, AccountStatus
from app.accounts.permissions import Permission
from app.accounts.principal import Principal
from app.channels import Channel
from app.checks import custom_fields as clean_custom_fields
from app.directory.models import Contact, Queue
from app.errors import Conflict, Forbidden, InvalidInput
from app.events import log
from app.surveys import ticket_surveys
from app.tickets import models
from app.tickets.models import TicketStatus as S
from app.tickets.transitions import check_transition, refuse_if_closed
from app.tickets.visibility import get_visible, sees_all


@dataclass
class TicketInput:
    subject: str
    description: str = ""
    channel: Channel = Channel.WEB
    requester_id: int | None = None
    assignee_id: int | None = None
    queue_id: int | None = None
    menu_selection: str | None = None
    custom_fields: list[tuple[str, str]] | None = None


def _subject(value: str | None) -> str:
    subject = (value or "").strip()
    if not 1 <= len(subject) <= 200:
        raise InvalidInput("subject must be 1-200 characters.", field="subject")
    return subject


def _description(value: str | None) -> str:
    if len(value or "") > 20000:
        raise InvalidInput("description is at most 20000 characters.", field="description")
    return value or ""


async def _check_assignee(actor: Principal, assignee_id: int | None) -> None:
    if assignee_id is None:
        return
    if not sees_all(actor) and assignee_id != actor.id:
        raise Forbidden(
            "Without tickets.manage you can only assign tickets to yourself.",
            missingPermissions=[str(Permission.TICKETS_MANAGE)],
        )
    account = await Account.get_or_none(id=assignee_id)
    if account is None or account.status is AccountStatus.DISABLED:
        raise InvalidInput(
            "The assignee must be an account that is not disabled.", field="assigneeId"
        )


async def create_ticket(*, actor: Principal, data: TicketInput) -> models.Ticket:
    subject, description = _subject(data.subject), _description(data.description)
    assignee = (
        data.assignee_id
        if data.assignee_id is not None
        else (None if sees_all(actor) else actor.id)
    )
    await _check_assignee(actor, assignee)
    if data.requester_id is not None and not await Contact.filter(id=data.requester_id).exists():
        raise InvalidInput("No such contact.", field="requesterId")
    if data.queue_id is not None and not await Queue.filter(id=data.queue_id).exists():
        raise InvalidInput("No such queue.", field="queueId")
    custom = clean_custom_fields(data.custom_fields)
    async with in_transaction() as conn:
        ticket = await models.Ticket.create(
            subject=subject,
            description=description,
            channel=data.channel,
            requester_id=data.requester_id,
            assignee_id=assignee,
            queue_id=data.queue_id,
            menu_selection=(data.menu_selection or "").strip()[:128] or None,
            custom_fields=custom,
            using_db=conn,
        )
        await log.append(
            conn,
            "ticket.created",
            str(ticket.id),
            {
                "ticketId": ticket.id,
                "status": ticket.status,
                "channel": ticket.channel,
                "assigneeId": ticket.assignee_id,
                "requesterId": ticket.requester_id,
            },
            actor=actor,
        )
    return ticket


async def update_ticket(
    *,
    actor: Principal,
    ticket_id: int,
    subject: str | None = None,
    description: str | None = None,
    assignee_id: int | None = None,
    unassign: bool = False,
    custom_fields: list[tuple[str, str]] | None = None,
) -> models.Ticket:
    changes: dict = {}
    if subject is not None:
        changes["subject"] = _subject(subject)
    if description is not None:
        changes["description"] = _description(description)
    if assignee_id is not None or unassign:
        if not sees_all(actor):
            raise Forbidden(
                "Reassigning a ticket needs tickets.manage.",
                missingPermissions=[str(Permission.TICKETS_MANAGE)],
            )
        await _check_assignee(actor, assignee_id)
        changes["assignee_id"] = None if unassign else assignee_id
    if custom_fields is not None:
        changes["custom_fields"] = clean_custom_fields(custom_fields)
    async with in_transaction() as conn:
        ticket = await get_visible(actor, ticket_id, conn)
        refuse_if_closed(ticket.status)
        if changes:
            ticket.update_from_dict(changes)
            await ticket.save(using_db=conn)
            await log.append(
                conn,
                "ticket.updated",
                str(ticket.id),
                {
                    "ticketId": ticket.id,
                    "fields": sorted(changes),
                    "assigneeId": ticket.assignee_id,
                },
                actor=actor,
            )
    return ticket


async def change_status(
    *, actor: Principal, ticket_id: int, status: S, public_url: str, secret_key: str
) -> models.Ticket:
    async with in_transaction() as conn:
        ticket = await get_visible(actor, ticket_id, conn)
        if status is ticket.status:
            return ticket
        check_transition(ticket.status, status)
        previous = ticket.status
        ticket.status = status
        if status is S.SOLVED:
            ticket.solved_at = datetime.now(UTC)
        await ticket.save(using_db=conn)
        payload = {
            "ticketId": ticket.id,
            "from": str(previous),
            "to": str(status),
            "assigneeId": ticket.assignee_id,
        }
        if status is S.SOLVED:
            invitation = await ticket_surveys.invite(
                ticket_id=ticket.id, channel=ticket.channel, conn=conn
            )
            if invitation is not None:
                payload["surveyUrl"] = ticket_surveys.survey_url(
                    invitation.id, public_url=public_url, secret_key=secret_key
                )
        await log.append(conn, "ticket.status_changed", str(ticket.id), payload, actor=actor)
    return ticket


async def add_comment(
    *, actor: Principal, ticket_id: int, body: str, public: bool
) -> models.TicketComment:
    body = (body or "").strip()
    if not 1 <= len(body) <= 20000:
        raise InvalidInput("A comment is 1-20000 characters.", field="body")
    async with in_transaction() as conn:
        ticket = await get_visible(actor, ticket_id, conn)
        refuse_if_closed(ticket.status, "commented on")
        comment = await models.TicketComment.create(
            ticket_id=ticket.id, author_id=actor.id, body=body, public=public, using_db=conn
        )
        await ticket.save(using_db=conn, update_fields=["updated_at"])
        await log.append(
            conn,
            "ticket.commented",
            str(ticket.id),
            {
                "ticketId": ticket.id,
                "commentId": comment.id,
                "public": public,
                "assigneeId": ticket.assignee_id,
            },
            actor=actor,
        )
    return comment


async def merge(*, actor: Principal, source_id: int, target_id: int) -> models.Ticket:
    """Close ``source`` with ``mergedInto = target`` and copy its comments as internal notes."""
    if source_id == target_id:
        raise InvalidInput("A ticket cannot be merged into itself.", field="targetId")
    async with in_transaction() as conn:
        source = await get_visible(actor, source_id, conn)
        target = await get_visible(actor, target_id, conn)
        for ticket, name in ((source, "sourceId"), (target, "targetId")):
            if ticket.status is S.CLOSED:
                raise Conflict(f"Ticket {ticket.id} is closed.", code="TICKET_CLOSED", field=name)
        comments = (
            await models.TicketComment.filter(ticket_id=source.id).order_by("id").using_db(conn)
        )
        await models.TicketComment.bulk_create(
            [
                models.TicketComment(
                    ticket_id=target.id,
                    author_id=c.author_id,
                    public=False,
                    body=f"[merged from #{source.id}] {c.body}",
                )
                for c in comments
            ],
            using_db=conn,
        )
        source.status, source.merged_into_id = S.CLOSED, target.id
        await source.save(using_db=conn)
        await log.append(
            conn,
            "ticket.merged",
            str(source.id),
            {"ticketId": source.id, "mergedInto": target.id},
            actor=actor,
        )
    return source


async def comments_by_ticket(ids: list[int]) -> dict[int, list[models.TicketComment]]:
    found: dict[int, list[models.TicketComment]] = {i: [] for i in ids}
    for comment in await models.TicketComment.filter(ticket_id__in=ids).order_by("id"):
        found[comment.ticket_id].append(comment)
    return found
