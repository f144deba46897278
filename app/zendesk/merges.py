"""Following a merge made in Zendesk (R-ZD-6): an update refused because the ticket is closed
is checked against Zendesk — a ticket closed by a merge carries the private note "This request
was closed and merged into request #T" — and from then on the ticket's updates go to T, and
deskql merges its own ticket too (as the inbound webhook would)."""

from __future__ import annotations

import re

from app.zendesk import inbound, models
from app.zendesk.client import ZendeskClient, ZendeskError

MERGED = re.compile(r"merged into request #(\d+)", re.IGNORECASE)


def closed_refusal(exc: ZendeskError) -> bool:
    return exc.status == 422 and "closed" in str(exc).lower()


async def follow(client: ZendeskClient, link: models.ZendeskTicket) -> bool:
    """Whether Zendesk merged the link's ticket into another (the link now points there)."""
    if link.zendesk_ticket_id is None:
        return False
    shown = await client.show_ticket(link.zendesk_ticket_id)
    if shown.get("status") != "closed":
        return False
    into: int | None = None
    for comment in reversed(await client.comments(link.zendesk_ticket_id)):
        found = MERGED.search(str(comment.get("body") or comment.get("plain_body") or ""))
        if found:
            into = int(found.group(1))
            break
    if into is None or into == link.zendesk_ticket_id:
        return False
    link.merged_into_zendesk_id, link.status = into, "closed"
    await models.ZendeskTicket.filter(id=link.id).update(
        merged_into_zendesk_id=into, status="closed"
    )
    target = await models.ZendeskTicket.get_or_none(zendesk_ticket_id=into)
    await inbound.follow_merge(link.ticket_id, target.ticket_id if target else None)
    return True
