"""The tasks that run a rule of the integration guide rather than send a record: a contact to
sync (R-ZD-1), a chat session's ticket (R-ZD-2/3/7, sessions.py), a call's (R-ZD-4..10,
calls.py) and the notes of what happened around a call (R-ZD-7, activity.py). A rule changes
deskql's own records; the ordinary sync then sends those changes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from app.zendesk import activity, calls, models, outbox, records, sessions
from app.zendesk.client import ZendeskClient

CallRule = Callable[[calls.Rules, dict[str, Any]], Awaitable[None]]
CALL_RULES: dict[str, CallRule] = {
    outbox.CALL_OUTGOING: calls.outgoing,
    outbox.CALL_ANSWERED: calls.answered,
    outbox.CALL_TRANSFERRED: calls.transferred,
    outbox.CALL_VOICEMAIL: calls.voicemail,
    outbox.CALL_ABANDONED: calls.abandoned,
    outbox.CALL_ENDED: calls.ended,
    outbox.CALL_ACTIVITY: activity.noted,
}
KINDS = {outbox.USER, outbox.SESSION, outbox.TRANSFER, outbox.RATED, *CALL_RULES}


async def run(
    client: ZendeskClient,
    settings: models.ZendeskSettings,
    task: models.ZendeskTask,
    *,
    country_code: str,
    now: datetime,
) -> None:
    p = task.payload
    if task.kind == outbox.USER:
        await records.sync_user(client, p["contactId"])
    elif task.kind == outbox.SESSION:
        await sessions.assigned(client, settings, p["sessionId"])
    elif task.kind == outbox.TRANSFER:
        await sessions.transferred(p["sessionId"], p.get("agentId"))
    elif task.kind == outbox.RATED:
        await sessions.rated(settings, p["sessionId"], p.get("level"))
    else:
        rules = calls.Rules(client=client, settings=settings, country_code=country_code, now=now)
        await CALL_RULES[task.kind](rules, p)
