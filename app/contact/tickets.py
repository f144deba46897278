"""Tickets (R-CC-2): status transitions, comments, custom fields, merging, and the satisfaction
invitation sent when a ticket becomes solved (R-SAT-2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from tortoise.transactions import in_transaction

from app.accounts.models import Account, AccountStatus
from app.accounts.permissions import Permission
from app.accounts.principal import Principal
from app.contact import events, models
from app.contact.models import TicketStatus as S
from app.errors import Conflict, Forbidden, InvalidInput, NotFound

# Where a ticket may go from each status. Nothing returns to NEW, CLOSED is final, and a
# SOLVED ticket can be reopened or closed.
TRANSITIONS: dict[S, frozenset[S]] = {
    S.NEW: frozenset({S.OPEN, S.PENDING, S.HOLD, S.SOLVED, S.CLOSED}),
    S.OPEN: frozenset({S.PENDING, S.HOLD, S.SOLVED, S.CLOSED}),
    S.PENDING: frozenset({S.OPEN, S.HOLD, S.SOLVED, S.CLOSED}),
    S.HOLD: frozenset({S.OPEN, S.PENDING, S.SOLVED, S.CLOSED}),
    S.SOLVED: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset(),
}
MAX_CUSTOM_FIELDS = 50


def sees_all(principal: Principal) -> bool:
    return principal.has(Permission.TICKETS_MANAGE)


def visible_tickets(principal: Principal):
    """Agents see the tickets assigned to them; ``tickets.manage`` sees all."""
    query = models.Ticket.all()
    if not sees_all(principal):
        query = query.filter(assignee_id=principal.id)
    return query


async def get_visible(principal: Principal, ticket_id: int, conn=None) -> models.Ticket:
    query = visible_tickets(principal).filter(id=ticket_id)
    if conn is not None:
        query = query.using_db(conn).select_for_update()
    ticket = await query.first()
    if ticket is None:  # a hidden ticket looks exactly like a missing one
        raise NotFound("No such ticket.")
    return ticket


def clean_custom_fields(items: list[tuple[str, str]] | None, field: str = "customFields") -> list:
    items = items or []
    if len(items) > MAX_CUSTOM_FIELDS:
        raise InvalidInput(f"At most {MAX_CUSTOM_FIELDS} custom fields.", field=field)
    cleaned, names = [], set()
    for i, (name, value) in enumerate(items):
        name = (name or "").strip()
        if not 1 <= len(name) <= 64:
            raise InvalidInput("A custom field name is 1-64 characters.", field=f"{field}[{i}].name")
        if name in names:
            raise InvalidInput(f"Custom field {name!r} given twice.", field=f"{field}[{i}].name")
        if len(value or "") > 2000:
            raise InvalidInput("A custom field value is at most 2000 characters.",
                               field=f"{field}[{i}].value")
        names.add(name)
        cleaned.append({"name": name, "value": value or ""})
    return cleaned


@dataclass
class TicketInput:
    subject: str
    description: str = ""
    channel: models.Channel = models.Channel.WEB
    requester_id: int | None = None
    assignee_id: int | None = None
    queue_id: int | None = None
    menu_selection: str | None = None
    custom_fields: list[tuple[str, str]] | None = None


async def _check_assignee(principal: Principal, assignee_id: int | None) -> None:
    if assignee_id is None:
        return
    if not sees_all(principal) and assignee_id != principal.id:
        raise Forbidden("Without tickets.manage you can only assign tickets to yourself.",
                        missingPermissions=[str(Permission.TICKETS_MANAGE)])
    account = await Account.get_or_none(id=assignee_id)
    if account is None or account.status is AccountStatus.DISABLED:
        raise InvalidInput("The assignee must be an account that is not disabled.",
                           field="assigneeId")


async def create_ticket(principal: Principal, data: TicketInput) -> models.Ticket:
    subject = (data.subject or "").strip()
    if not 1 <= len(subject) <= 200:
        raise InvalidInput("subject must be 1-200 characters.", field="subject")
    if len(data.description or "") > 20000:
        raise InvalidInput("description is at most 20000 characters.", field="description")
    assignee = data.assignee_id if data.assignee_id is not None else (
        None if sees_all(principal) else principal.id)
    await _check_assignee(principal, assignee)
    if data.requester_id is not None and not await models.Contact.filter(
            id=data.requester_id).exists():
        raise InvalidInput("No such contact.", field="requesterId")
    if data.queue_id is not None and not await models.Queue.filter(id=data.queue_id).exists():
        raise InvalidInput("No such queue.", field="queueId")
    custom = clean_custom_fields(data.custom_fields)
    async with in_transaction() as conn:
        ticket = await models.Ticket.create(
            subject=subject, description=data.description or "", channel=data.channel,
            requester_id=data.requester_id, assignee_id=assignee, queue_id=data.queue_id,
            menu_selection=(data.menu_selection or "").strip()[:128] or None,
            custom_fields=custom, using_db=conn)
        await events.append(conn, "ticket.created", str(ticket.id),
                            {"ticketId": ticket.id, "status": ticket.status})
    return ticket


async def update_ticket(principal: Principal, ticket_id: int, *, subject: str | None = None,
                        description: str | None = None, assignee_id: int | None = None,
                        unassign: bool = False,
                        custom_fields: list[tuple[str, str]] | None = None) -> models.Ticket:
    changes: dict = {}
    if subject is not None:
        subject = subject.strip()
        if not 1 <= len(subject) <= 200:
            raise InvalidInput("subject must be 1-200 characters.", field="subject")
        changes["subject"] = subject
    if description is not None:
        if len(description) > 20000:
            raise InvalidInput("description is at most 20000 characters.", field="description")
        changes["description"] = description
    if assignee_id is not None or unassign:
        if not sees_all(principal):
            raise Forbidden("Reassigning a ticket needs tickets.manage.",
                            missingPermissions=[str(Permission.TICKETS_MANAGE)])
        await _check_assignee(principal, assignee_id)
        changes["assignee_id"] = None if unassign else assignee_id
    if custom_fields is not None:
        changes["custom_fields"] = clean_custom_fields(custom_fields)
    async with in_transaction() as conn:
        ticket = await get_visible(principal, ticket_id, conn)
        if ticket.status is S.CLOSED:
            raise Conflict("A closed ticket cannot be changed.", code="TICKET_CLOSED")
        if changes:
            ticket.update_from_dict(changes)
            await ticket.save(using_db=conn)
            await events.append(conn, "ticket.updated", str(ticket.id),
                                {"ticketId": ticket.id, "fields": sorted(changes)})
    return ticket


async def change_status(principal: Principal, ticket_id: int, status: S, *,
                        public_url: str, secret_key: str) -> models.Ticket:
    async with in_transaction() as conn:
        ticket = await get_visible(principal, ticket_id, conn)
        if status is ticket.status:
            return ticket
        if status not in TRANSITIONS[ticket.status]:
            allowed = ", ".join(sorted(TRANSITIONS[ticket.status])) or "nothing (closed is final)"
            raise Conflict(f"A {ticket.status} ticket cannot become {status}: it can become "
                           f"{allowed}.", code="INVALID_TRANSITION",
                           fromStatus=str(ticket.status), toStatus=str(status))
        previous = ticket.status
        ticket.status = status
        if status is S.SOLVED:
            ticket.solved_at = datetime.now(timezone.utc)
        await ticket.save(using_db=conn)
        payload = {"ticketId": ticket.id, "from": str(previous), "to": str(status)}
        if status is S.SOLVED:
            from app.contact import satisfaction
            invitation = await satisfaction.invite(ticket, conn)
            if invitation is not None:
                payload["surveyUrl"] = satisfaction.survey_url(invitation, public_url=public_url,
                                                               secret_key=secret_key)
        await events.append(conn, "ticket.status_changed", str(ticket.id), payload)
    return ticket


async def add_comment(principal: Principal, ticket_id: int, body: str,
                      public: bool) -> models.TicketComment:
    body = (body or "").strip()
    if not 1 <= len(body) <= 20000:
        raise InvalidInput("A comment is 1-20000 characters.", field="body")
    async with in_transaction() as conn:
        ticket = await get_visible(principal, ticket_id, conn)
        if ticket.status is S.CLOSED:
            raise Conflict("A closed ticket cannot be commented on.", code="TICKET_CLOSED")
        comment = await models.TicketComment.create(ticket_id=ticket.id, author_id=principal.id,
                                                    body=body, public=public, using_db=conn)
        await ticket.save(using_db=conn, update_fields=["updated_at"])
        await events.append(conn, "ticket.commented", str(ticket.id),
                            {"ticketId": ticket.id, "commentId": comment.id, "public": public})
    return comment


async def merge(principal: Principal, source_id: int, target_id: int) -> models.Ticket:
    """Close ``source`` with ``mergedInto = target`` and copy its comments as internal notes."""
    if source_id == target_id:
        raise InvalidInput("A ticket cannot be merged into itself.", field="targetId")
    async with in_transaction() as conn:
        source = await get_visible(principal, source_id, conn)
        target = await get_visible(principal, target_id, conn)
        for ticket, name in ((source, "sourceId"), (target, "targetId")):
            if ticket.status is S.CLOSED:
                raise Conflict(f"Ticket {ticket.id} is closed.", code="TICKET_CLOSED", field=name)
        comments = await models.TicketComment.filter(ticket_id=source.id).order_by("id").using_db(conn)
        await models.TicketComment.bulk_create([
            models.TicketComment(ticket_id=target.id, author_id=c.author_id, public=False,
                                 body=f"[merged from #{source.id}] {c.body}") for c in comments
        ], using_db=conn)
        source.status, source.merged_into_id = S.CLOSED, target.id
        await source.save(using_db=conn)
        await events.append(conn, "ticket.merged", str(source.id),
                            {"ticketId": source.id, "mergedInto": target.id})
    return source


async def comments_by_ticket(ids: list[int], *, include_internal: bool = True) -> dict[int, list]:
    found: dict[int, list] = {i: [] for i in ids}
    query = models.TicketComment.filter(ticket_id__in=ids).order_by("id")
    if not include_internal:
        query = query.filter(public=True)
    for comment in await query:
        found[comment.ticket_id].append(comment)
    return found
