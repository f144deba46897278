"""GraphQL types of call records. The type is a declaration: graphql-core walks
:class:`~app.api.telephony.views.CallView` objects, whose nested objects a list fetched for
its page, or the request's loaders serve — both through the caller's visibility (an agent
never sees a colleague's record through a leg)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

import strawberry

from app.api.directory.types import AgentRef, Queue, Team
from app.api.telephony.views import CallView
from app.telephony import models

if TYPE_CHECKING:
    from app.api.context import Context

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
    agent_account: str | None = strawberry.field(
        description="The agent's login name (null on third-party legs)."
    )
    agent: AgentRef | None = strawberry.field(description="The agent on this record.")
    team: Team | None = strawberry.field(
        description="The agent's team when the record was written."
    )
    queue: Queue | None = strawberry.field(description="The queue, if any.")
    sub_calls: list[CallRecord] = strawberry.field(
        description="The call's legs, in start order (empty on a leg). An agent "
        "without `calls.view_all` sees only their own legs."
    )
    main_call: CallRecord | None = strawberry.field(
        description="The call's main record (itself on a main record); null when "
        "the main record is not visible to the caller."
    )

    @staticmethod
    def from_model(row: models.CallRecord, ctx: Context) -> CallRecord:
        """What graphql-core walks for this record (app/api/telephony/views.py)."""
        return cast(CallRecord, CallView.from_model(row, ctx))
