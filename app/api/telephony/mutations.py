"""Call record writes from the telephony system (`integration.write`): bulk imports and live
call events."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.common import ImportResult
from app.api.permissions import requires
from app.api.telephony import types as t
from app.telephony import activity, importer, live
from app.telephony.models import TransferFlag as TransferFlagEnum

_INTEGRATION = [requires(Permission.INTEGRATION_WRITE)]


@strawberry.input(
    description="One call record to import (R-CC-3..5). `id` equal to `mainCallId` "
    "makes it the main record."
)
class CallRecordInput:
    id: str = strawberry.field(description="The telephony system's record id (idempotency key).")
    main_call_id: str = strawberry.field(description="The call's main record id.")
    call_type: t.CallType = strawberry.field(description="Main direction or leg type.")
    agent_account: str | None = strawberry.field(default=None, description="Agent login name.")
    queue: str | None = strawberry.field(
        default=None, description=("Queue name; created when new.")
    )
    customer_phone: str | None = strawberry.field(default=None, description="Customer number.")
    customer_name: str | None = strawberry.field(default=None, description="Customer name.")
    caller: str | None = strawberry.field(default=None, description="Calling number.")
    callee: str | None = strawberry.field(default=None, description="Called number.")
    call_way: t.CallWay | None = strawberry.field(default=None, description="Web, SIP or mobile.")
    started_at: datetime = strawberry.field(description="Start, with a time zone.")
    answered_at: datetime | None = strawberry.field(default=None, description="Answer time.")
    ended_at: datetime | None = strawberry.field(default=None, description="End time.")
    ring_seconds: int = strawberry.field(default=0, description="Seconds ringing.")
    talk_seconds: int = strawberry.field(
        default=0, description=("Seconds talking; at most answeredAt to endedAt.")
    )
    hold_seconds: int = strawberry.field(default=0, description="Seconds on hold.")
    queue_seconds: int = strawberry.field(default=0, description="Seconds queued.")
    hangup_party: t.HangupParty | None = strawberry.field(default=None, description="Who hung up.")
    result: t.CallResult | None = strawberry.field(default=None, description="How it ended.")
    transfer_flag: t.TransferFlag = strawberry.field(
        default=TransferFlagEnum.NONE, description="Transfer outcome."
    )
    consulted: bool = strawberry.field(default=False, description="A consult succeeded.")
    consult_count: int = strawberry.field(default=0, description="Consults started.")
    voicemail: bool = strawberry.field(default=False, description="A voicemail was left.")
    voicemail_url: str | None = strawberry.field(default=None, description="The voicemail.")
    recording_url: str | None = strawberry.field(default=None, description="The recording.")

    def as_record(self) -> dict:
        """The record with the GraphQL/JSONL field names the importer reads."""
        return {
            "id": self.id,
            "mainCallId": self.main_call_id,
            "callType": self.call_type,
            "agentAccount": self.agent_account,
            "queue": self.queue,
            "customerPhone": self.customer_phone,
            "customerName": self.customer_name,
            "caller": self.caller,
            "callee": self.callee,
            "callWay": self.call_way,
            "startedAt": self.started_at,
            "answeredAt": self.answered_at,
            "endedAt": self.ended_at,
            "ringSeconds": self.ring_seconds,
            "talkSeconds": self.talk_seconds,
            "holdSeconds": self.hold_seconds,
            "queueSeconds": self.queue_seconds,
            "hangupParty": self.hangup_party,
            "result": self.result,
            "transferFlag": self.transfer_flag,
            "consulted": self.consulted,
            "consultCount": self.consult_count,
            "voicemail": self.voicemail,
            "voicemailUrl": self.voicemail_url,
            "recordingUrl": self.recording_url,
        }


CallEventType = live.CallEventType
strawberry.enum(
    CallEventType,
    description=(
        "INCOMING/OUTGOING open a main record, TRANSFER/CONSULT/MONITOR open a leg (with callType), "
        "the others update the record `callId`."
    ),
)


@strawberry.input(description="A live call event. Replaying an eventId changes nothing.")
class CallEventInput:
    event_id: str = strawberry.field(description="Unique per event (idempotency key).")
    type: CallEventType = strawberry.field(description="What happened.")
    call_id: str = strawberry.field(
        description="The record concerned (a new leg's id for TRANSFER/CONSULT/MONITOR)."
    )
    main_call_id: str | None = strawberry.field(default=None, description="For new legs.")
    occurred_at: datetime = strawberry.field(description="When, with a time zone.")
    call_type: t.CallType | None = strawberry.field(default=None, description="A new leg's type.")
    agent_account: str | None = strawberry.field(default=None, description="The agent involved.")
    queue: str | None = strawberry.field(default=None, description="Queue name.")
    customer_phone: str | None = strawberry.field(default=None, description="Customer number.")
    customer_name: str | None = strawberry.field(default=None, description="Customer name.")
    caller: str | None = strawberry.field(default=None, description="Calling number.")
    callee: str | None = strawberry.field(default=None, description="Called number.")
    call_way: t.CallWay | None = strawberry.field(
        default=None, description="How the agent takes it (opening, RINGING or ANSWERED)."
    )
    hangup_party: t.HangupParty | None = strawberry.field(default=None, description="ENDED: who.")
    result: t.CallResult | None = strawberry.field(
        default=None, description=("ENDED/ABANDONED: the result (derived when omitted).")
    )
    recording_url: str | None = strawberry.field(default=None, description="ENDED: recording.")
    voicemail_url: str | None = strawberry.field(default=None, description="VOICEMAIL: the file.")
    language: str | None = strawberry.field(
        default=None, description="The caller's language (e.g. from the IVR), kept on the call."
    )

    def to_domain(self) -> live.CallEvent:
        return live.CallEvent(
            event_id=self.event_id,
            type=self.type,
            call_id=self.call_id,
            main_call_id=self.main_call_id,
            occurred_at=self.occurred_at,
            call_type=self.call_type,
            agent_account=self.agent_account,
            queue=self.queue,
            customer_phone=self.customer_phone,
            customer_name=self.customer_name,
            caller=self.caller,
            callee=self.callee,
            call_way=self.call_way,
            hangup_party=self.hangup_party,
            result=self.result,
            recording_url=self.recording_url,
            voicemail_url=self.voicemail_url,
            language=self.language,
        )


CallActivityType = activity.CallActivityType
strawberry.enum(
    CallActivityType,
    description="SMART_ACTION: a SmartAction finished (action, succeeded, outcome, files) or "
    "failed (error). VOICEMAIL: an agent read, closed or called back the voicemail "
    "(voicemailState). API_RESPONSE: an API access point answered (action, outcome).",
)


@strawberry.input(
    description="Something that happened around a call, for its ticket (R-ZD-7). Replaying an "
    "eventId changes nothing."
)
class CallActivityInput:
    event_id: str = strawberry.field(description="Unique per event (idempotency key).")
    type: CallActivityType = strawberry.field(description="What happened.")
    call_id: str = strawberry.field(description="The call (its main record or one of its legs).")
    occurred_at: datetime = strawberry.field(description="When, with a time zone.")
    agent_account: str | None = strawberry.field(default=None, description="The agent involved.")
    action: str | None = strawberry.field(
        default=None, description="SmartAction or API access point name, 1-100 characters."
    )
    succeeded: bool | None = strawberry.field(
        default=None, description="SMART_ACTION: whether it succeeded."
    )
    error: str | None = strawberry.field(
        default=None, description="SMART_ACTION that failed: the error, 1-2000 characters."
    )
    outcome: JSON | None = strawberry.field(
        default=None, description="The result or the API response (JSON, at most 16 KB)."
    )
    files: list[str] = strawberry.field(
        default_factory=list, description="SMART_ACTION: shared files, at most 10 http(s) URLs."
    )
    voicemail_state: t.VoicemailState | None = strawberry.field(
        default=None, description="VOICEMAIL: what the agent did."
    )

    def to_domain(self) -> activity.CallActivity:
        outcome: Any = self.outcome
        return activity.CallActivity(
            event_id=self.event_id,
            type=self.type,
            call_id=self.call_id,
            occurred_at=self.occurred_at,
            agent_account=self.agent_account,
            action=self.action,
            succeeded=self.succeeded,
            error=self.error,
            outcome=outcome,
            files=list(self.files),
            voicemail_state=self.voicemail_state,
        )


@strawberry.type(description="The outcome of a live call event.")
class CallEventResult:
    duplicate: bool = strawberry.field(description="True when the eventId was already applied.")
    call: t.CallRecord = strawberry.field(description="The record as it stands now.")


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        description="Import 1-1000 call records, idempotent by id, all or "
        "nothing: any invalid record gives BAD_USER_INPUT with "
        "`extensions.recordErrors` [{record, id, field, message}] "
        "and writes nothing. Requires `integration.write`.",
        extensions=_INTEGRATION,
    )
    async def import_call_records(
        self,
        info: Info,
        records_: Annotated[
            list[CallRecordInput], strawberry.argument(name="records", description="The records.")
        ],
    ) -> ImportResult:
        outcome = await importer.import_call_records(
            actor=info.context.actor, records=[r.as_record() for r in records_]
        )
        return ImportResult(created=outcome.created, updated=outcome.updated)


@strawberry.type
class LiveMutation:
    @strawberry.mutation(
        description="Apply a live call event. Requires `integration.write`.",
        extensions=_INTEGRATION,
    )
    async def record_call_event(
        self,
        info: Info,
        input: Annotated[CallEventInput, strawberry.argument(description="The event.")],
    ) -> CallEventResult:
        duplicate, row = await live.record_call_event(
            actor=info.context.actor, event=input.to_domain()
        )
        return CallEventResult(duplicate=duplicate, call=t.CallRecord.from_model(row, info.context))

    @strawberry.mutation(
        description="Record something that happened around a call (R-ZD-7); the Zendesk sync "
        "writes it to the call's ticket. Returns the call's main record. Requires "
        "`integration.write`.",
        extensions=_INTEGRATION,
    )
    async def record_call_activity(
        self,
        info: Info,
        input: Annotated[CallActivityInput, strawberry.argument(description="The activity.")],
    ) -> CallEventResult:
        duplicate, row = await activity.record_call_activity(
            actor=info.context.actor, activity=input.to_domain()
        )
        return CallEventResult(duplicate=duplicate, call=t.CallRecord.from_model(row, info.context))
