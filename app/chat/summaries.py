"""Service summaries (R-CC-7): what the agent wrote about a session."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from app.accounts.permissions import Permission
from app.accounts.principal import Principal
from app.chat import models
from app.chat.visibility import session_for
from app.checks import custom_fields
from app.errors import Forbidden, InvalidInput
from app.events import log


@dataclass
class SummaryInput:
    business_unit: str | None = None
    question_type: str | None = None
    resolution_status: models.ResolutionStatus | None = None
    remark: str = ""
    marked_valid: bool = True
    custom_fields: list[tuple[str, str]] | None = None


def _values(actor: Principal, data: SummaryInput) -> dict:
    for name in ("business_unit", "question_type"):
        if len(getattr(data, name) or "") > 64:
            raise InvalidInput(f"{name} is at most 64 characters.", field=name)
    if len(data.remark or "") > 2000:
        raise InvalidInput("remark is at most 2000 characters.", field="remark")
    return {
        "agent_id": actor.id,
        "business_unit": data.business_unit,
        "question_type": data.question_type,
        "resolution_status": data.resolution_status,
        "remark": data.remark or "",
        "marked_valid": data.marked_valid,
        "custom_fields": custom_fields(data.custom_fields),
    }


async def submit_summary(
    *, actor: Principal, session_id: str, data: SummaryInput
) -> tuple[models.ChatSession, models.ServiceSummary]:
    """Write or replace the summary of a session: its current agent does, or a supervisor
    (``sessions.manage``); an agent who handed the session over sees it but may not."""
    session = await session_for(actor, session_id)
    if session.agent_id != actor.id and not actor.has(Permission.SESSIONS_MANAGE):
        raise Forbidden(
            "Only the session's current agent, or someone with sessions.manage, may write "
            "its summary.",
            missingPermissions=[str(Permission.SESSIONS_MANAGE)],
        )
    values = _values(actor, data)
    async with in_transaction() as conn:
        summary = await models.ServiceSummary.filter(session_id=session.id).using_db(conn).first()
        if summary is None:
            summary = await models.ServiceSummary.create(
                session_id=session.id, **values, using_db=conn
            )
        else:
            summary.update_from_dict(values)
            await summary.save(using_db=conn)
        await log.append(
            conn,
            "session.summarized",
            session.session_id,
            {"sessionId": session.session_id, "agentId": actor.id},
            actor=actor,
        )
    return session, summary


async def summary_of(
    *, actor: Principal, session_id: str
) -> tuple[models.ChatSession, models.ServiceSummary | None]:
    """A visible session and its summary (None when none was written)."""
    session = await session_for(actor, session_id)
    return session, await models.ServiceSummary.filter(session_id=session.id).first()
