"""The agent's screen pop (the ``zendeskSyncEvents`` subscription): when the Zendesk ticket of
the call or chat an agent is on is created — or an existing one is linked to it — the sync
appends ``zendesk.ticket_linked`` to the domain event log. Every server process's hub follows
the log, so the agent hears of it whichever process they are connected to."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.events import log
from app.tickets.models import Ticket
from app.zendesk import models

ACTOR = Principal.system("zendesk", source="zendesk")


def agent_url(base_url: str, zendesk_ticket_id: int) -> str:
    return f"{base_url.rstrip('/')}/agent/tickets/{zendesk_ticket_id}"


async def announce(
    base_url: str,
    ticket_id: int,
    *,
    created: bool,
    call_id: str | None = None,
    session_id: str | None = None,
) -> None:
    """Tell the ticket's agent, when the ticket is in Zendesk and belongs to a call or chat."""
    link = await models.ZendeskTicket.get_or_none(ticket_id=ticket_id)
    ticket = await Ticket.get_or_none(id=ticket_id)
    if link is None or link.zendesk_ticket_id is None or ticket is None:
        return  # not in Zendesk yet: announced when it is created
    if ticket.assignee_id is None:
        return
    if call_id is None and session_id is None:  # created: for the call or chat that made it
        call = await models.ZendeskCall.filter(ticket_id=ticket_id).order_by("-id").first()
        chat = await models.ZendeskSession.filter(ticket_id=ticket_id).order_by("-id").first()
        if call is None and chat is None:
            return
        if call is not None:
            call_id = call.call_id
        elif chat is not None:
            session_id = chat.session_id
    payload: dict = {
        "ticketId": ticket_id,
        "zendeskTicketId": link.zendesk_ticket_id,
        "agentId": ticket.assignee_id,
        "created": created,
        "url": agent_url(base_url, link.zendesk_ticket_id),
    }
    if call_id is not None:
        payload["callId"] = call_id
    if session_id is not None:
        payload["sessionId"] = session_id
    async with in_transaction() as conn:
        await log.append(conn, "zendesk.ticket_linked", str(ticket_id), payload, actor=ACTOR)
