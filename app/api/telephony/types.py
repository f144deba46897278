"""GraphQL types of call records. Nested objects come through the request's loaders, which
apply the caller's visibility (an agent never sees a colleague's record through a leg)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.api.directory.types import AgentRef, Queue, Team, load_agent, load_queue, load_team
from app.telephony import models

CallType = models.CallType
strawberry.enum(
    CallType,
    description=("INBOUND/OUTBOUND are main records, the others are legs (sub records) of a call."),
)
HangupParty = models.HangupParty
strawberry.enum(HangupParty, description="Who ended the call (R-CC-4).")
CallResult = models.CallResult
strawberry.enum(
    CallResult, description=("How the record ended. THIRD_PARTY_* only on third-party legs.")
)
CallWay = models.CallWay
strawberry.enum(CallWay, description="How the agent took the call.")
TransferFlag = models.TransferFlag
strawberry.enum(
    TransferFlag,
    description=(
        "TRANSFER_CONSULT when a transfer was not confirmed, TRANSFERRED only when it succeeded."
    ),
)

VoicemailState = models.VoicemailState
strawberry.enum(VoicemailState, description="What an agent did with a voicemail (R-ZD-7).")


@strawberry.type(description="One record of a phone call: the main record or one leg (R-CC-3..5).")
class CallRecord:
    id: strawberry.ID = strawberry.field(description="The telephony system's record id.")
    main_call_id: strawberry.ID = strawberry.field(
        description="Shared by every record of the call; equals `id` on the main record."
    )
    is_main: bool = strawberry.field(description="True on the main record.")
    call_type: CallType = strawberry.field(description="Main direction or leg type.")
    direction: CallType = strawberry.field(
        description="The main record's type (INBOUND or OUTBOUND), on every record of the call."
    )
    customer_phone: str | None = strawberry.field(description="The customer's number.")
    customer_name: str | None = strawberry.field(description="The customer's name.")
    caller: str | None = strawberry.field(description="Calling number.")
    callee: str | None = strawberry.field(description="Called number.")
    call_way: CallWay | None = strawberry.field(description="Web phone, SIP phone or mobile.")
    started_at: datetime = strawberry.field(description="When the record began (UTC).")
    answered_at: datetime | None = strawberry.field(description="When it was answered (UTC).")
    ended_at: datetime | None = strawberry.field(description="When it ended; null while going on.")
    ring_seconds: int = strawberry.field(description="Seconds ringing.")
    talk_seconds: int = strawberry.field(description="Seconds talking (hold excluded).")
    hold_seconds: int = strawberry.field(description="Seconds on hold.")
    queue_seconds: int = strawberry.field(description="Seconds waiting in the queue.")
    hangup_party: HangupParty | None = strawberry.field(description="Who hung up.")
    result: CallResult | None = strawberry.field(description="Null while the call goes on.")
    transfer_flag: TransferFlag = strawberry.field(description="Transfer outcome (R-CC-5).")
    consulted: bool = strawberry.field(description="True when a consult succeeded.")
    consult_count: int = strawberry.field(description="How many consults were started.")
    voicemail: bool = strawberry.field(description="True when the caller left a voicemail.")
    voicemail_url: str | None = strawberry.field(description="The voicemail, if any.")
    voicemail_state: VoicemailState | None = strawberry.field(
        description="Read, closed or called back by an agent (recordCallActivity)."
    )
    recording_url: str | None = strawberry.field(description="The call recording, if any.")
    _row: strawberry.Private[models.CallRecord]

    @classmethod
    def from_model(cls, row: models.CallRecord) -> CallRecord:
        return cls(
            id=strawberry.ID(row.call_id),
            main_call_id=strawberry.ID(row.main_call_id),
            is_main=row.is_main,
            call_type=row.call_type,
            direction=row.direction,
            customer_phone=row.customer_phone,
            customer_name=row.customer_name,
            caller=row.caller,
            callee=row.callee,
            call_way=row.call_way,
            started_at=row.started_at,
            answered_at=row.answered_at,
            ended_at=row.ended_at,
            ring_seconds=row.ring_seconds,
            talk_seconds=row.talk_seconds,
            hold_seconds=row.hold_seconds,
            queue_seconds=row.queue_seconds,
            hangup_party=row.hangup_party,
            result=row.result,
            transfer_flag=row.transfer_flag,
            consulted=row.consulted,
            consult_count=row.consult_count,
            voicemail=row.voicemail,
            voicemail_url=row.voicemail_url,
            voicemail_state=row.voicemail_state,
            recording_url=row.recording_url,
            _row=row,
        )

    @strawberry.field(description="The agent's login name (null on third-party legs).")
    async def agent_account(self, info: Info) -> str | None:
        agent = await load_agent(info, self._row.agent_id)
        return agent.account if agent else None

    @strawberry.field(description="The agent on this record.")
    async def agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._row.agent_id)

    @strawberry.field(description="The agent's team when the record was written.")
    async def team(self, info: Info) -> Team | None:
        return await load_team(info, self._row.team_id)

    @strawberry.field(description="The queue, if any.")
    async def queue(self, info: Info) -> Queue | None:
        return await load_queue(info, self._row.queue_id)

    @strawberry.field(
        description="The call's legs, in start order (empty on a leg). An agent "
        "without `calls.view_all` sees only their own legs."
    )
    async def sub_calls(self, info: Info) -> list[CallRecord]:
        if not self._row.is_main:
            return []
        rows = await info.context.sub_calls_by_main.load(self._row.main_call_id)
        return [CallRecord.from_model(r) for r in rows]

    @strawberry.field(
        description="The call's main record (itself on a main record); null when "
        "the main record is not visible to the caller."
    )
    async def main_call(self, info: Info) -> CallRecord | None:
        if self._row.is_main:
            return self
        row = await info.context.calls_by_id.load(self._row.main_call_id)
        return CallRecord.from_model(row) if row else None
