"""Who sees which tickets (R-AUTH-3): the one place every list, get and loader goes through."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet

from app.accounts.permissions import Permission
from app.accounts.principal import Principal
from app.errors import NotFound
from app.tickets import models


def sees_all(principal: Principal) -> bool:
    return principal.has(Permission.TICKETS_MANAGE)


def visible_tickets(principal: Principal) -> QuerySet[models.Ticket]:
    """Agents see the tickets assigned to them; ``tickets.manage`` sees all."""
    query = models.Ticket.all()
    if not sees_all(principal):
        query = query.filter(assignee_id=principal.id)
    return query


async def get_visible(
    principal: Principal, ticket_id: int, conn: BaseDBAsyncClient | None = None
) -> models.Ticket:
    """The ticket, locked for update when ``conn`` (a transaction) is given. A hidden ticket
    looks exactly like a missing one."""
    query = visible_tickets(principal).filter(id=ticket_id)
    if conn is not None:
        query = query.using_db(conn).select_for_update()
    ticket = await query.first()
    if ticket is None:
        raise NotFound("No such ticket.")
    return ticket
