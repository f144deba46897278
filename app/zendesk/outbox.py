"""From the domain event log to Zendesk work: the ``zendesk`` consumer of the log.

The log is written in the same transaction as each change, so it is the outbox; this consumer
turns its events into :class:`~app.zendesk.models.ZendeskTask` rows in the same transaction
that moves its cursor (app/events/consumers.py), so no change is lost or queued twice (a task
is unique per event, kind and key as well). Events whose source is ``zendesk`` — changes that
came from Zendesk — are not sent back.

Tasks carry ids, not copies: the worker reads the record as it stands when it sends, so several
changes to one ticket waiting in a batch window go as one.
"""

from __future__ import annotations

from datetime import datetime

from app.delivery.clock import Clock
from app.events import consumers
from app.events.models import DomainEvent
from app.zendesk import models

CONSUMER = "zendesk"

# Kinds of task, and whether a batch (update_many) may carry them.
USER = "user"  # create_or_update the contact as an end-user
CREATE = "ticket.create"
UPDATE = "ticket.update"  # status, assignee, subject, custom fields: the ticket as it stands
COMMENT = "ticket.comment"
MERGE = "ticket.merge"
SESSION = "session.assigned"  # R-ZD-2/3: the session's ticket, made or reused
TRANSFER = "session.transferred"  # R-ZD-7
RATED = "session.rated"  # R-ZD-7: the rating as a note, CSAT field
# Call rules (app/zendesk/calls.py), keyed by the main call: run in the order of the call.
CALL_OUTGOING = "call.outgoing"
CALL_ANSWERED = "call.answered"
CALL_TRANSFERRED = "call.transferred"
CALL_VOICEMAIL = "call.voicemail"
CALL_ABANDONED = "call.abandoned"
CALL_ENDED = "call.ended"
CALL_ACTIVITY = "call.activity"  # R-ZD-7: SmartAction, voicemail state, API response notes
TRANSFER_LEGS = {"TRANSFER_AGENT", "TRANSFER_CONSULT"}
BATCHABLE = {UPDATE: "batch_updates", COMMENT: "batch_comments"}


def tasks_for(event: DomainEvent) -> list[tuple[str, str, dict]]:
    """(kind, key, payload) of the work one event makes."""
    if event.source == "zendesk":
        return []
    p = event.payload
    topic = event.topic
    if topic in ("contact.created", "contact.updated"):
        return [(USER, f"contact:{p['contactId']}", {"contactId": p["contactId"]})]
    if topic == "contacts.imported":
        return [(USER, f"contact:{i}", {"contactId": i}) for i in p["contactIds"]]
    if topic.startswith("call."):
        return _call_tasks(topic, p)
    if topic == "session.rated":
        return [(RATED, f"session:{p['sessionId']}", {"sessionId": p["sessionId"],
                                                      "level": p.get("level")})]  # fmt: skip
    if topic in ("session.assigned", "session.transferred"):
        kind = SESSION if topic == "session.assigned" else TRANSFER
        return [(kind, f"session:{p['sessionId']}", {"sessionId": p["sessionId"],
                                                     "agentId": p.get("agentId")})]  # fmt: skip
    if not topic.startswith("ticket."):
        return []
    key = f"ticket:{p['ticketId']}"
    if topic == "ticket.created":
        return [(CREATE, key, {"ticketId": p["ticketId"]})]
    if topic in ("ticket.updated", "ticket.status_changed"):
        return [(UPDATE, key, {"ticketId": p["ticketId"]})]
    if topic == "ticket.commented":
        return [(COMMENT, key, {"ticketId": p["ticketId"], "commentId": p["commentId"]})]
    if topic == "ticket.merged":
        return [(MERGE, key, {"ticketId": p["ticketId"], "into": p["mergedInto"]})]
    return []


def _call_tasks(topic: str, p: dict) -> list[tuple[str, str, dict]]:
    if topic == "call.activity":
        return [(CALL_ACTIVITY, f"call:{p['mainCallId']}", dict(p))]
    kind = {
        "call.outgoing": CALL_OUTGOING,
        "call.voicemail": CALL_VOICEMAIL,
        "call.abandoned": CALL_ABANDONED,
    }.get(topic)
    if topic == "call.answered":
        if p["isMain"] and p["direction"] == "INBOUND":
            kind = CALL_ANSWERED
        elif not p["isMain"] and p["callType"] in TRANSFER_LEGS and p.get("agentId"):
            kind = CALL_TRANSFERRED
    elif topic == "call.ended" and p["isMain"]:
        kind = CALL_ENDED
    if kind is None:
        return []
    payload = {
        "mainCallId": p["mainCallId"],
        "agentId": p.get("agentId"),
        "record": p.get("record") or {},
    }
    return [(kind, f"call:{p['mainCallId']}", payload)]


class Outbox:
    def __init__(self, *, clock: Clock) -> None:
        self.clock = clock

    async def run_once(self, *, limit: int = 500) -> int:
        """Queue the work of the next events of the log; how many events there were."""
        return await consumers.consume(CONSUMER, self._handle, limit=limit)

    async def _handle(self, events: list[DomainEvent]) -> None:
        now = self.clock.now()
        rows = [
            _task(kind, key, payload, event.id, now)
            for event in events
            for kind, key, payload in tasks_for(event)
        ]
        if rows:
            await models.ZendeskTask.bulk_create(rows, ignore_conflicts=True)


def _task(kind: str, key: str, payload: dict, event_id: int, now: datetime) -> models.ZendeskTask:
    return models.ZendeskTask(
        kind=kind, key=key, payload=payload, event_id=event_id, due_at=now, created_at=now
    )
