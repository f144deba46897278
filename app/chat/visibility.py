"""Who sees which chat sessions (R-AUTH-3): the one place every list, get and summary goes
through."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from app.accounts.permissions import Permission
from app.accounts.principal import Principal
from app.chat import models
from app.errors import NotFound


def sees_all_sessions(principal: Principal) -> bool:
    return principal.has(Permission.CALLS_VIEW_ALL) or principal.has(Permission.REPORTS_VIEW)


def visible_sessions(principal: Principal) -> QuerySet[models.ChatSession]:
    """Agents see sessions they served or that were transferred to or from them;
    ``reports.view`` or ``calls.view_all`` sees all."""
    query = models.ChatSession.all()
    if sees_all_sessions(principal):
        return query
    return query.filter(
        Q(agent_id=principal.id)
        | Q(transfers__to_agent_id=principal.id)
        | Q(transfers__from_agent_id=principal.id)
    ).distinct()


async def session_for(principal: Principal, session_id: str) -> models.ChatSession:
    """A visible session by the chat system's id; a hidden one looks like a missing one."""
    session = await visible_sessions(principal).filter(session_id=session_id).first()
    if session is None:
        raise NotFound("No such session.")
    return session
