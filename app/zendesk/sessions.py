"""Rules of the integration guide for chat sessions (R-ZD-2, R-ZD-3, R-ZD-7), run by the worker.

- A session assigned to an agent gets a ticket: the title from the settings' template, assigned
  to the agent, the requester its contact, what is known in the description (R-ZD-2).
- Reuse (R-ZD-3, setting on by default): when the contact has a ticket from the same channel
  (and menu selection) that is new, open, pending or on hold **in Zendesk** — re-read from
  Zendesk right before deciding — the session is appended to it as a private note instead.
- A transfer reassigns the session's ticket to the receiving agent (R-ZD-7).

The rules change deskql's own ticket (through the tickets service, as the system); the ordinary
sync then carries the change to Zendesk, so there is one path to Zendesk for every change.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from app.accounts.models import Account
from app.accounts.principal import Principal
from app.chat.models import ChatSession
from app.directory.models import Contact
from app.tickets import service as tickets
from app.tickets.models import Ticket
from app.zendesk import models, screenpop
from app.zendesk.callnotes import follow, set_fields
from app.zendesk.client import ZendeskClient

ACTOR = Principal.system("zendesk")  # source "system": what it changes is synced
REUSABLE = {"new", "open", "pending", "hold"}


def title(template: str, *, channel: str, customer: str, menu: str, agent: str) -> str:
    values = {"channel": channel, "customer": customer, "menu": menu, "agent": agent}
    text = template
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text.strip()[:200] or f"{channel} session"


async def reusable_ticket(
    client: ZendeskClient, contact_id: int, channel: str, menu: str | None
) -> Ticket | None:
    """The contact's newest ticket from this channel and menu that Zendesk says is still
    new/open/pending/hold (statuses re-read from Zendesk now)."""
    candidates = (
        await Ticket.filter(requester_id=contact_id, channel=channel, menu_selection=menu)
        .order_by("-id")
        .limit(20)
    )
    if not candidates:
        return None
    links = {
        link.ticket_id: link
        for link in await models.ZendeskTicket.filter(
            ticket_id__in=[t.id for t in candidates], zendesk_ticket_id__not_isnull=True
        )
    }
    if not links:
        return None
    shown = {
        int(t["id"]): str(t.get("status"))
        for t in await client.show_many([link.zendesk_ticket_id or 0 for link in links.values()])
    }
    for link in links.values():
        status = shown.get(link.zendesk_ticket_id or 0)
        if status is not None and status != link.status:
            await models.ZendeskTicket.filter(id=link.id).update(status=status)
    for ticket in candidates:
        found = links.get(ticket.id)
        if found is not None and shown.get(found.zendesk_ticket_id or 0) in REUSABLE:
            return ticket
    return None


async def assigned(
    client: ZendeskClient, settings: models.ZendeskSettings, session_key: str
) -> int | None:
    """The ticket of an assigned session (made or reused); None when the session is gone."""
    known = await models.ZendeskSession.get_or_none(session_id=session_key)
    if known is not None:
        return known.ticket_id
    session = await ChatSession.get_or_none(session_id=session_key)
    if session is None:
        return None
    contact = await Contact.get_or_none(id=session.contact_id) if session.contact_id else None
    agent = await Account.get_or_none(id=session.agent_id) if session.agent_id else None
    channel = str(session.channel)
    note = (
        f"{channel} session {session.session_id} started {session.started_at.isoformat()}"
        + (f", assigned to {agent.display_name} ({agent.account})" if agent else "")
        + (f"; customer {contact.name}" if contact else "")
    )
    reused: Ticket | None = None
    if contact is not None and settings.reuse_open_tickets:
        reused = await reusable_ticket(client, contact.id, channel, None)
    async with in_transaction():  # a worker killed half-way re-runs this whole
        if reused is not None:
            ticket = reused
            await tickets.add_comment(actor=ACTOR, ticket_id=ticket.id, body=note, public=False)
            if agent is not None and ticket.assignee_id != agent.id:
                await tickets.update_ticket(actor=ACTOR, ticket_id=ticket.id, assignee_id=agent.id)
        else:
            ticket = await tickets.create_ticket(
                actor=ACTOR,
                data=tickets.TicketInput(
                    subject=title(
                        settings.title_template,
                        channel=channel,
                        customer=contact.name if contact else "visitor",
                        menu="",
                        agent=agent.display_name if agent else "",
                    ),
                    description=note,
                    channel=session.channel,
                    requester_id=contact.id if contact else None,
                    assignee_id=agent.id if agent else None,
                ),
            )
        await models.ZendeskSession.create(session_id=session_key, ticket_id=ticket.id)
        kind = {"SDK": "mobile", "WEB": "web", "H5": "web"}.get(channel, "chat")
        values = dict.fromkeys(("callDuration", "waitTime", "queueName", "holdDuration", "csat"))
        values |= {"sessionType": kind, "callerNumber": None, "sessionId": session_key}
        await set_fields(settings, ticket.id, values)
        if reused is not None:  # the agent's screen pop now (a new ticket's on creation)
            await screenpop.announce(
                client.connection.base_url, ticket.id, created=False, session_id=session_key
            )
    return ticket.id


async def transferred(session_key: str, agent_id: int | None) -> None:
    """R-ZD-7: the session's ticket goes to the receiving agent."""
    known = await models.ZendeskSession.get_or_none(session_id=session_key)
    if known is None or agent_id is None:
        return
    ticket = await Ticket.get_or_none(id=known.ticket_id)
    if ticket is not None and ticket.assignee_id != agent_id:
        await tickets.update_ticket(actor=ACTOR, ticket_id=ticket.id, assignee_id=agent_id)


async def rated(settings: models.ZendeskSettings, session_key: str, level: str | None) -> None:
    """R-ZD-7, R-ZD-10: the customer's rating as a note on the session's ticket, and CSAT."""
    known = await models.ZendeskSession.get_or_none(session_id=session_key)
    if known is None or not level:
        return
    ticket = await follow(known.ticket_id)
    if ticket is None or str(ticket.status) == "CLOSED":
        return
    async with in_transaction():
        await tickets.add_comment(
            actor=ACTOR, ticket_id=ticket.id, public=False,
            body=f"The customer rated session {session_key}: {level}.",
        )  # fmt: skip
        await set_fields(settings, ticket.id, {"csat": level})
