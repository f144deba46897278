"""Call records: the main record of a call and its legs (R-CC-3..5)."""

# Model docstrings and descriptions become table/column comments: no semicolons in them
# (Tortoise's SQLite schema editor splits statements on them, see app/accounts/models.py).

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # the related models, for type hints only
    from app.accounts.models import Account
    from app.directory.models import Queue, Team


class CallType(StrEnum):
    INBOUND = "INBOUND"
    OUTBOUND = "OUTBOUND"
    TRANSFER_CONSULT = "TRANSFER_CONSULT"
    TRANSFER_AGENT = "TRANSFER_AGENT"
    TRANSFER_THIRD_PARTY = "TRANSFER_THIRD_PARTY"
    CONSULT_AGENT = "CONSULT_AGENT"
    CONSULT_THIRD_PARTY = "CONSULT_THIRD_PARTY"
    MONITOR = "MONITOR"
    BARGE_IN = "BARGE_IN"
    FORCE_DISCONNECT = "FORCE_DISCONNECT"


MAIN_CALL_TYPES = frozenset({CallType.INBOUND, CallType.OUTBOUND})
THIRD_PARTY_CALL_TYPES = frozenset({CallType.TRANSFER_THIRD_PARTY, CallType.CONSULT_THIRD_PARTY})


class HangupParty(StrEnum):
    CUSTOMER = "CUSTOMER"
    AGENT = "AGENT"
    SYSTEM = "SYSTEM"
    TRANSFER = "TRANSFER"
    FORCE_DISCONNECT = "FORCE_DISCONNECT"
    THIRD_PARTY = "THIRD_PARTY"


class CallResult(StrEnum):
    ANSWERED = "ANSWERED"
    CUSTOMER_NO_ANSWER = "CUSTOMER_NO_ANSWER"
    AGENT_NO_ANSWER = "AGENT_NO_ANSWER"
    ABANDONED_IN_QUEUE = "ABANDONED_IN_QUEUE"
    ABANDONED_IN_IVR = "ABANDONED_IN_IVR"
    BUSY = "BUSY"
    FAILED = "FAILED"
    VOICEMAIL = "VOICEMAIL"
    THIRD_PARTY_ANSWERED = "THIRD_PARTY_ANSWERED"
    THIRD_PARTY_UNREACHABLE = "THIRD_PARTY_UNREACHABLE"
    THIRD_PARTY_NO_ANSWER = "THIRD_PARTY_NO_ANSWER"


THIRD_PARTY_RESULTS = frozenset(
    {
        CallResult.THIRD_PARTY_ANSWERED,
        CallResult.THIRD_PARTY_UNREACHABLE,
        CallResult.THIRD_PARTY_NO_ANSWER,
    }
)
ABANDONED_RESULTS = frozenset({CallResult.ABANDONED_IN_QUEUE, CallResult.ABANDONED_IN_IVR})


class CallWay(StrEnum):
    WEB_PHONE = "WEB_PHONE"
    SIP_PHONE = "SIP_PHONE"
    MOBILE = "MOBILE"


class TransferFlag(StrEnum):
    NONE = "NONE"
    TRANSFER_CONSULT = "TRANSFER_CONSULT"
    TRANSFERRED = "TRANSFERRED"


class VoicemailState(StrEnum):
    """What an agent did with a voicemail (R-ZD-7)."""

    READ = "READ"
    CLOSED = "CLOSED"
    CALLED_BACK = "CALLED_BACK"


class CallRecord(Model):
    """One leg of a phone call. The main record has call_id equal to main_call_id."""

    id = fields.IntField(primary_key=True)
    call_id = fields.CharField(max_length=64, unique=True, description="The telephony system's id")
    main_call_id = fields.CharField(max_length=64, db_index=True)
    is_main = fields.BooleanField()
    call_type = fields.CharEnumField(CallType, max_length=24)
    direction = fields.CharEnumField(
        CallType, max_length=24, description="The main record's type, INBOUND or OUTBOUND"
    )
    # The fact table: its agent, team and queue references are checked by the import and the
    # live events in the writing transaction, not by FK triggers, which made a bulk insert
    # 2.4 times slower (100 000 rows: 0.84 s without, 2.04 s with). Accounts, teams and queues
    # are never deleted, so the references stay valid.
    agent_id: int | None
    agent: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account",
        related_name="call_records",
        null=True,
        on_delete=fields.RESTRICT,
        db_constraint=False,
    )
    team_id: int | None
    team: fields.ForeignKeyNullableRelation[Team] = fields.ForeignKeyField(
        "deskql.Team",
        related_name="call_records",
        null=True,
        on_delete=fields.SET_NULL,
        description="The agent's team when the record was written",
        db_constraint=False,
    )
    queue_id: int | None
    queue: fields.ForeignKeyNullableRelation[Queue] = fields.ForeignKeyField(
        "deskql.Queue",
        related_name="call_records",
        null=True,
        on_delete=fields.SET_NULL,
        db_constraint=False,
    )
    customer_phone = fields.CharField(max_length=32, null=True)
    customer_name = fields.CharField(max_length=128, null=True)
    caller = fields.CharField(max_length=32, null=True)
    callee = fields.CharField(max_length=32, null=True)
    call_way = fields.CharEnumField(CallWay, max_length=16, null=True)
    started_at = fields.DatetimeField()
    started_epoch = fields.BigIntField(description="started_at as Unix seconds, for reports")
    answered_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)
    ring_seconds = fields.IntField(default=0)
    talk_seconds = fields.IntField(default=0)
    hold_seconds = fields.IntField(default=0)
    queue_seconds = fields.IntField(default=0)
    hangup_party = fields.CharEnumField(HangupParty, max_length=24, null=True)
    result = fields.CharEnumField(
        CallResult, max_length=32, null=True, description="Null while the call is in progress"
    )
    transfer_flag = fields.CharEnumField(TransferFlag, max_length=24, default=TransferFlag.NONE)
    consulted = fields.BooleanField(default=False)
    consult_count = fields.IntField(default=0)
    voicemail = fields.BooleanField(default=False)
    voicemail_url = fields.CharField(max_length=500, null=True)
    voicemail_state = fields.CharEnumField(
        VoicemailState, max_length=16, null=True, description="Read, closed or called back"
    )
    recording_url = fields.CharField(max_length=500, null=True)
    language = fields.CharField(max_length=16, null=True, description="The caller's language")
    ringing_at = fields.DatetimeField(null=True, description="Live events: when ringing began")
    hold_started_at = fields.DatetimeField(null=True, description="Live events: current hold")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "call_record"
        indexes = (("started_epoch",), ("agent_id", "started_epoch"))
