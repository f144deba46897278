"""The catalogue of the domain event log: every topic, what its subject is, and the payload
fields a consumer can rely on. :func:`app.events.log.append` refuses a topic that is not here
or a payload that lacks a required field, so the catalogue cannot drift from the code.

Payloads carry what consumers need to act without re-reading the record in the common case
(ids, the agent, the new status); the record itself stays the source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    subject: str  # what subject_id holds
    description: str
    fields: tuple[str, ...]  # always in the payload
    optional: tuple[str, ...] = ()  # in the payload when they apply


# Through what a change reached deskql (DomainEvent.source).
SOURCES = frozenset(
    {
        "graphql",  # a signed-in account through the API
        "import",  # a bulk import (GraphQL import* mutations or `deskql import-calls`)
        "live",  # a live call or chat event from the telephony or chat system
        "zendesk",  # the Zendesk sync, or a change made in Zendesk
        "webhook",  # an inbound webhook
        "public",  # an anonymous customer through a public operation (a survey answer)
        "system",  # deskql itself (demo data, workers, the CLI)
    }
)

# record: the call record as it stood right after the event (app/telephony/snapshots.py).
_CALL_FIELDS = (
    "eventId",
    "type",
    "callId",
    "mainCallId",
    "isMain",
    "callType",
    "direction",
    "agentId",
    "agentAccount",
    "occurredAt",
    "record",
)
_CALL_EVENTS = {
    "incoming": "An inbound call arrived: its main record was opened.",
    "outgoing": "An agent placed an outbound call: its main record was opened.",
    "ringing": "A record started ringing (at the agent named, when one is).",
    "answered": "A record was answered. On a transfer or consult leg, the main record's flags "
    "were set.",
    "hold": "An answered record was put on hold.",
    "unhold": "A held record was taken off hold.",
    "transfer": "A transfer leg (sub record) was opened.",
    "consult": "A consult leg (sub record) was opened.",
    "monitor": "A monitor, barge-in or force-disconnect leg (sub record) was opened.",
    "voicemail": "The caller left a voicemail.",
    "abandoned": "The caller hung up in the queue or the IVR: the record ended.",
    "ended": "A record ended (talk, hold and result are final).",
}
_SESSION_FIELDS = (
    "eventId",
    "type",
    "sessionId",
    "channel",
    "agentId",
    "agentAccount",
    "occurredAt",
)
_SESSION_EVENTS = {
    "started": "A chat session started.",
    "assigned": "A chat session was assigned to an agent.",
    "transferred": "A chat session was handed to another agent (fromAgentId: the previous one).",
    "ended": "A chat session ended.",
    "rated": "The customer rated a chat session (level).",
}


def _catalogue() -> dict[str, Topic]:
    topics = [
        *(
            Topic(f"call.{kind}", "main call id", text, _CALL_FIELDS)
            for kind, text in _CALL_EVENTS.items()
        ),
        *(
            Topic(
                f"session.{kind}",
                "session id",
                text,
                _SESSION_FIELDS,
                optional=("fromAgentId", "level"),
            )
            for kind, text in _SESSION_EVENTS.items()
        ),
        Topic(
            "call.activity",
            "main call id",
            "Something happened around a call (R-ZD-7): type SMART_ACTION (action, succeeded, "
            "error, outcome, files), VOICEMAIL (voicemailState: READ, CLOSED or CALLED_BACK) or "
            "API_RESPONSE (action: the access point, outcome: its response).",
            ("eventId", "type", "callId", "mainCallId", "agentId", "agentAccount", "occurredAt"),
            optional=("action", "succeeded", "error", "outcome", "files", "voicemailState"),
        ),
        Topic(
            "calls.imported",
            "-",
            "A batch of call records was imported (created or replaced).",
            ("callIds", "created", "updated"),
        ),
        Topic("sessions.imported", "-", "Chat sessions were imported.", ("sessionIds",)),
        Topic(
            "session.summarized",
            "session id",
            "A service summary was written or replaced.",
            ("sessionId", "agentId"),
        ),
        Topic(
            "contact.created",
            "contact id",
            "A contact was created.",
            ("contactId", "name", "email", "externalId", "phones"),
        ),
        Topic(
            "contact.updated",
            "contact id",
            "A contact's fields were replaced.",
            ("contactId", "name", "email", "externalId", "phones"),
        ),
        Topic(
            "contacts.imported",
            "-",
            "Contacts were created or updated by external id.",
            ("contactIds",),
        ),
        Topic(
            "ticket.created",
            "ticket id",
            "A ticket was created.",
            ("ticketId", "status", "channel", "assigneeId", "requesterId"),
        ),
        Topic(
            "ticket.updated",
            "ticket id",
            "A ticket's subject, description, assignee or custom fields changed (fields: which).",
            ("ticketId", "fields", "assigneeId"),
        ),
        Topic(
            "ticket.status_changed",
            "ticket id",
            "A ticket moved from one status to another. "
            "surveyUrl: the satisfaction survey link when solving sent an invitation.",
            ("ticketId", "from", "to", "assigneeId"),
            optional=("surveyUrl",),
        ),
        Topic(
            "ticket.commented",
            "ticket id",
            "A public comment or internal note was added.",
            ("ticketId", "commentId", "public", "assigneeId"),
        ),
        Topic(
            "ticket.merged",
            "ticket id",
            "A ticket was merged into another and closed.",
            ("ticketId", "mergedInto"),
        ),
        Topic(
            "ticket_satisfaction.settings_changed",
            "-",
            "Ticket satisfaction settings changed.",
            ("enabled", "channels", "question", "validDays"),
        ),
        Topic(
            "ticket_satisfaction.rated",
            "ticket id",
            "A customer answered a ticket survey.",
            ("ticketId", "score"),
        ),
        Topic(
            "ratings.imported",
            "-",
            "Five-level ratings of sessions or calls were imported.",
            ("count", "sessionIds", "mainCallIds"),
        ),
        Topic(
            "qc.imported", "-", "QC results were imported (kind: ONLINE or CALL).", ("kind", "ids")
        ),
        Topic("agent_status.imported", "-", "Agent status intervals were imported.", ("count",)),
        Topic(
            "routing.group_changed",
            "reception group id",
            "A reception group was created, updated, deleted or given new members (change).",
            ("groupId", "change"),
            optional=("name", "accounts"),
        ),
        Topic(
            "routing.rule_changed",
            "routing rule id",
            "A smart routing rule was created, updated or deleted (change).",
            ("ruleId", "name", "change"),
        ),
        Topic(
            "routing.settings_changed",
            "-",
            "The routing settings changed (changed: the settings' names).",
            ("changed",),
        ),
        Topic(
            "routing.decided",
            "session id",
            "routeSession decided where a session goes (R-CC-8): outcome ASSIGNED, QUEUED or "
            "NO_AGENT, the level and group used, the agent, the rule, the levels skipped.",
            ("sessionId", "outcome", "level", "groupId", "agentId", "ruleId", "skipped"),
        ),
        Topic(
            "agent.presence_changed",
            "account id",
            "An agent went online, away or offline (state).",
            ("agentId", "state"),
        ),
        Topic(
            "zendesk.ticket_linked",
            "ticket id",
            "A Zendesk ticket was created (created true) or linked for the call or chat session "
            "an agent is on: their screen pop. url: the ticket in Zendesk's agent interface.",
            ("ticketId", "zendeskTicketId", "agentId", "created", "url"),
            optional=("callId", "sessionId"),
        ),
    ]
    return {topic.name: topic for topic in topics}


CATALOGUE: dict[str, Topic] = _catalogue()


class UnknownTopic(ValueError):
    """Code appended a topic that is not in the catalogue, or without a required field."""


def check(topic: str, payload: dict, source: str) -> None:
    entry = CATALOGUE.get(topic)
    if entry is None:
        raise UnknownTopic(f"{topic!r} is not in app/events/topics.py")
    missing = [name for name in entry.fields if name not in payload]
    if missing:
        raise UnknownTopic(f"{topic} payload lacks {', '.join(missing)}")
    if source not in SOURCES:
        raise UnknownTopic(f"unknown event source {source!r}")
