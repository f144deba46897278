"""Who sees which chat sessions (R-AUTH-3): the one place every list, get and summary goes
through."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from app.accounts.permissions import Permission
from app.accounts.principal import Principal
from app.chat import models
from app.errors import NotFound

_SEE_ALL = (Permission.CALLS_VIEW_ALL, Permission.REPORTS_VIEW, Permission.SESSIONS_MANAGE)


def sees_all_sessions(principal: Principal) -> bool:
    return any(principal.has(permission) for permission in _SEE_ALL)


def visible_sessions(principal: Principal) -> QuerySet[models.ChatSession]:
    """Agents see sessions they served or that were transferred to or from them;
    ``reports.view``, ``calls.view_all`` or ``sessions.manage`` sees all."""
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
