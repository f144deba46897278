"""The RATED live session event: the customer rates a chat session (R-SAT-1). Its handler
joins the chat package's table of session-event handlers (app/chat/live.py), which knows
nothing of surveys; :data:`SESSION_HANDLERS` is the complete table."""

from __future__ import annotations

from app.chat import live as chat_live
from app.chat.models import ChatSession
from app.errors import InvalidInput
from app.surveys import models
from app.surveys.ratings import clean_comment


async def _rated(step: chat_live.Step, session: ChatSession) -> None:
    level = step.event.level
    if level is None:
        raise InvalidInput("RATED needs level.", field="level")
    values = {
        "level": level,
        "comment": (clean_comment((step.event.comment or "")[:1000])),
        "rated_at": step.at,
        "channel": session.channel,
        "agent_id": session.agent_id,
    }
    rating = (
        await models.SatisfactionRating.filter(session_id=session.id).using_db(step.conn).first()
    )
    if rating is None:
        await models.SatisfactionRating.create(session_id=session.id, **values, using_db=step.conn)
    else:
        rating.update_from_dict(values)
        await rating.save(using_db=step.conn)
    step.extra["level"] = str(level)


SESSION_HANDLERS: dict[chat_live.SessionEventType, chat_live.Handler] = {
    **chat_live.HANDLERS,
    chat_live.SessionEventType.RATED: chat_live.updating(_rated, after_end=True),
}
