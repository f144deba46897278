"""What a customer system receives (R-WH-1): the call events of the contract, built from the
domain event log's call events, with the call record as it stood at that event.

Event names are part of the contract: ``call.incoming`` (an inbound call's main record was
opened), ``call.ringing`` and ``call.answered`` (any record: the main one or a leg; ``isMain``
says which), and, once the whole call has ended (its last record ended — answered or not,
abandoned included), ``call.ended`` with the main record and then ``call.ended_all`` with every
record of the call. Both end events carry ``type: "hangup"``. (The source documents fire both
"after the call has completely ended"; a transferred call's main record ends at the transfer,
while the customer is still talking to the next agent.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.accounts.models import Account, PhoneLine
from app.events.models import DomainEvent
from app.telephony.models import CallRecord
from app.telephony.snapshots import snapshot

EVENT_TYPES = ("call.incoming", "call.ringing", "call.answered", "call.ended", "call.ended_all")
TEST_EVENT = "webhook.test"
_ENDS = ("call.ended", "call.abandoned")


@dataclass(frozen=True)
class Message:
    """One webhook message: its id (the same on every endpoint and every retry), type, the
    call it belongs to (deliveries of one call go out in order) and its body."""

    message_id: str
    event_type: str
    ordering_key: str
    body: dict[str, Any]

    def encoded(self) -> str:
        return json.dumps(self.body, separators=(",", ":"), ensure_ascii=False)


def _id(*parts: str) -> str:
    return "msg_" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def types_for(event: DomainEvent) -> list[str]:
    """The contract's event types a domain event becomes by itself (the end events need the
    whole call: :func:`call_ended`)."""
    if event.topic in ("call.incoming", "call.ringing", "call.answered"):
        return [event.topic]
    return []


def ends_a_record(event: DomainEvent) -> bool:
    return event.topic in _ENDS


@dataclass(frozen=True)
class Agent:
    id: str
    account: str
    name: str
    email: str | None
    number: str | None  # the SIP extension, else the phone number


async def agents_by_id(ids: Iterable[int]) -> dict[int, Agent]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    lines = {line.account_id: line for line in await PhoneLine.filter(account_id__in=wanted)}
    found = {}
    for account in await Account.filter(id__in=wanted):
        line = lines.get(account.id)
        number = (line.sip_extension if line else None) or account.phone
        found[account.id] = Agent(
            str(account.id), account.account, account.display_name, account.email, number
        )
    return found


def record_data(record: dict[str, Any], agents: dict[int, Agent]) -> dict[str, Any]:
    """The R-CC-5 fields of one record, with its agent and customer."""
    agent = agents.get(record.get("agentId") or 0)
    return {
        "callId": record["callId"],
        "mainCallId": record["mainCallId"],
        "isMain": record["isMain"],
        "callType": record["callType"],
        "direction": record["direction"],
        "callResult": record["result"],
        "answered": record["answeredAt"] is not None,
        "startedAt": record["startedAt"],
        "answeredAt": record["answeredAt"],
        "endedAt": record["endedAt"],
        "ringSeconds": record["ringSeconds"],
        "talkSeconds": record["talkSeconds"],
        "holdSeconds": record["holdSeconds"],
        "queueSeconds": record["queueSeconds"],
        "hangupParty": record["hangupParty"],
        "transferFlag": record["transferFlag"],
        "consulted": record["consulted"],
        "consultCount": record["consultCount"],
        "voicemail": record["voicemail"],
        "voicemailUrl": record["voicemailUrl"],
        "recordingUrl": record["recordingUrl"],
        "caller": record["caller"],
        "callee": record["callee"],
        "callWay": record["callWay"],
        "agent": None
        if agent is None
        else {
            "id": agent.id,
            "account": agent.account,
            "name": agent.name,
            "email": agent.email,
            "number": agent.number,
        },
        "customer": {"phone": record["customerPhone"], "name": record["customerName"]},
    }


def message(
    event: DomainEvent, event_type: str, company_id: str, agents: dict[int, Agent]
) -> Message:
    record = event.payload["record"]
    data = {"companyId": company_id, **record_data(record, agents)}
    return Message(
        message_id=_id(str(event.id), event_type),
        event_type=event_type,
        ordering_key=record["mainCallId"],
        body={"type": event_type, "timestamp": happened_at(event), "data": data},
    )


def happened_at(event: DomainEvent) -> str:
    """When the telephony system says it happened (else when deskql logged it)."""
    return event.payload.get("occurredAt") or _instant(event.occurred_at)


async def call_ended(main_call_id: str, company_id: str, at: str) -> list[Message]:
    """call.ended (the main record) and call.ended_all (every record) once every record of the
    call has ended; nothing while one is still going on."""
    records = await CallRecord.filter(main_call_id=main_call_id).order_by("started_epoch", "id")
    main = next((r for r in records if r.is_main), None)
    if main is None or any(r.ended_at is None for r in records):
        return []
    agents = await agents_by_id(r.agent_id for r in records if r.agent_id)
    timestamp = at
    ended = {"companyId": company_id, **record_data(snapshot(main), agents), "type": "hangup"}
    every = {
        "companyId": company_id,
        "mainCallId": main_call_id,
        "type": "hangup",
        "records": [record_data(snapshot(r), agents) for r in records],
    }
    return [
        Message(
            message_id=_id(main_call_id, event_type),
            event_type=event_type,
            ordering_key=main_call_id,
            body={"type": event_type, "timestamp": timestamp, "data": data},
        )
        for event_type, data in (("call.ended", ended), ("call.ended_all", every))
    ]


def test_message(endpoint_id: int, at: datetime, nonce: str) -> Message:
    return Message(
        message_id=_id("test", str(endpoint_id), nonce),
        event_type=TEST_EVENT,
        ordering_key=f"test:{nonce}",
        body={
            "type": TEST_EVENT,
            "timestamp": _instant(at),
            "data": {"endpointId": str(endpoint_id), "note": "A test from deskql."},
        },
    )


def _instant(value: datetime) -> str:
    return value.isoformat()
