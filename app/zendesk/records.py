"""deskql's records as Zendesk sees them: a contact as an end-user (found or created, R-ZD-1),
an account as an agent (by e-mail), a ticket as a create or update body, a comment as a
private note or public reply. Reads the records as they stand when the work is sent."""

from __future__ import annotations

from datetime import datetime

from app.accounts.models import Account
from app.directory.models import Contact, ContactPhone
from app.tickets.models import Ticket, TicketComment
from app.zendesk import models
from app.zendesk.client import ZendeskClient

# deskql's statuses are Zendesk's, in capitals.
STATUSES = {"NEW", "OPEN", "PENDING", "HOLD", "SOLVED", "CLOSED"}


def external_id(kind: str, record_id: int) -> str:
    return f"deskql-{kind}-{record_id}"


async def ensure_user(client: ZendeskClient, contact_id: int) -> int | None:
    """The contact's Zendesk user id: remembered, else looked up (external id, e-mail, phone),
    else created with create_or_update and its phone identities. None when the contact is
    gone."""
    link = await models.ZendeskUser.get_or_none(contact_id=contact_id)
    if link is not None:
        return link.zendesk_user_id
    return await sync_user(client, contact_id)


async def sync_user(client: ZendeskClient, contact_id: int) -> int | None:
    contact = await Contact.get_or_none(id=contact_id)
    if contact is None:
        return None
    phones = [
        p.e164 for p in await ContactPhone.filter(contact_id=contact_id).order_by("position", "id")
    ]
    user: dict = {"name": contact.name, "role": "end-user"}
    user["external_id"] = contact.external_id or external_id("contact", contact.id)
    if contact.email:
        user["email"] = contact.email
    found: dict | None = None
    link = await models.ZendeskUser.get_or_none(contact_id=contact_id)
    if link is None and not contact.external_id and not contact.email and phones:
        # Only a phone number: Zendesk's recommended caller lookup, the newest user first.
        matches = await client.search_users(f"role:end-user phone:{phones[0].lstrip('+')}")
        if matches:
            found = max(matches, key=lambda u: (u.get("created_at") or "", u.get("id") or 0))
    if found is None:
        if link is None and phones:
            user["identities"] = [{"type": "phone_number", "value": p} for p in phones]
        found = await client.create_or_update_user(user)
    user_id = int(found["id"])
    if link is None:
        await models.ZendeskUser.create(contact_id=contact_id, zendesk_user_id=user_id)
    return user_id


async def agent_id(client: ZendeskClient, account_id: int | None) -> int | None:
    """The Zendesk agent with the account's e-mail (looked up once), or None."""
    if account_id is None:
        return None
    account = await Account.get_or_none(id=account_id)
    if account is None or not account.email:
        return None
    email = account.email.lower()
    known = await models.ZendeskAgent.get_or_none(email=email)
    if known is not None:
        return known.zendesk_user_id
    users = [
        u
        for u in await client.search_users(f"type:user email:{email}")
        if u.get("role") in ("agent", "admin")
    ]
    user_id = int(users[0]["id"]) if users else None
    await models.ZendeskAgent.update_or_create(email=email, defaults={"zendesk_user_id": user_id})
    return user_id


def custom_fields(ticket: Ticket, mapping: dict[str, int]) -> tuple[list[dict], list[str]]:
    """The ticket's custom data as Zendesk fields (R-ZD-8), and the names with no mapped field."""
    mapped: list[dict] = []
    missing: list[str] = []
    for item in ticket.custom_fields or []:
        name, value = str(item.get("name", "")), item.get("value")
        field_id = mapping.get(name)
        if field_id is None:
            missing.append(name)
        else:
            mapped.append({"id": int(field_id), "value": value})
    return mapped, missing


async def update_body(client: ZendeskClient, ticket: Ticket, mapping: dict[str, int]) -> dict:
    """The ticket's state as an update: subject, status, assignee, mapped fields."""
    body: dict = {"subject": ticket.subject, "status": str(ticket.status).lower()}
    assignee = await agent_id(client, ticket.assignee_id)
    if assignee is not None:
        body["assignee_id"] = assignee
    fields, _ = custom_fields(ticket, mapping)
    if fields:
        body["custom_fields"] = fields
    return body


async def create_body(client: ZendeskClient, ticket: Ticket, mapping: dict[str, int]) -> dict:
    body = await update_body(client, ticket, mapping)
    description = ticket.description or ticket.subject
    _, missing = custom_fields(ticket, mapping)
    if missing:
        description += "\n\nCustom data without a mapped Zendesk field: " + ", ".join(
            f"{item['name']}={item.get('value')}"
            for item in ticket.custom_fields
            if item.get("name") in missing
        )
    body["comment"] = {"body": description, "public": False}
    body["external_id"] = external_id("ticket", ticket.id)
    body["tags"] = ["deskql", f"channel_{str(ticket.channel).lower()}"]
    if ticket.requester_id is not None:
        requester = await ensure_user(client, ticket.requester_id)
        if requester is not None:
            body["requester_id"] = requester
    return body


async def comment_body(comment_ids: list[int]) -> dict | None:
    """Several comments as one (a batch item carries one comment): bodies joined in order.
    Public when any of them is (then the private ones are not among them: see the caller)."""
    comments = await TicketComment.filter(id__in=comment_ids).order_by("id")
    if not comments:
        return None
    authors = {
        a.id: a.display_name or a.account
        for a in await Account.filter(id__in=[c.author_id for c in comments if c.author_id])
    }
    parts = [
        (f"{authors[c.author_id]}: " if c.author_id in authors else "") + c.body for c in comments
    ]
    return {"body": "\n\n".join(parts), "public": any(c.public for c in comments)}


async def public_flags(comment_ids: list[int]) -> dict[int, bool]:
    return {c.id: c.public for c in await TicketComment.filter(id__in=comment_ids)}


def synced(link: models.ZendeskTicket, zendesk_ticket: dict | None, now: datetime) -> None:
    if zendesk_ticket is not None:
        link.zendesk_ticket_id = int(zendesk_ticket["id"])
        link.status = str(zendesk_ticket.get("status") or link.status or "")
    link.last_synced_at, link.error = now, None


async def one_kind_of_comment(group: list[models.ZendeskTask]) -> list[models.ZendeskTask]:
    """A batch item carries one comment, public or private: the run stops before the first
    comment that differs from the first one's kind."""
    ids = [t.payload["commentId"] for t in group if t.kind == "ticket.comment"]
    if not ids:
        return group
    flags = await public_flags(ids)
    first: bool | None = None
    run = []
    for task in group:
        if task.kind == "ticket.comment":
            flag = flags.get(task.payload["commentId"], False)
            if first is None:
                first = flag
            elif flag != first:
                break
        run.append(task)
    return run
