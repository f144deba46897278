"""The contact-center record: teams, queues, contacts, tickets, calls and their legs, chat
sessions, service summaries, satisfaction, QC results, agent status intervals and the domain
event log (R-CC-*, R-SAT-*, R-QC-*, R-RPT-*)."""

# Model docstrings and descriptions become table/column comments: no semicolons in them
# (Tortoise's SQLite schema editor splits statements on them, see app/accounts/models.py).

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class TicketStatus(StrEnum):
    NEW = "NEW"
    OPEN = "OPEN"
    PENDING = "PENDING"
    HOLD = "HOLD"
    SOLVED = "SOLVED"
    CLOSED = "CLOSED"


class Channel(StrEnum):
    """Where a ticket, session or rating came from."""

    PHONE = "PHONE"
    EMAIL = "EMAIL"
    SDK = "SDK"
    WEB = "WEB"
    H5 = "H5"
    WECHAT = "WECHAT"
    MINI_PROGRAM = "MINI_PROGRAM"
    API = "API"


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


THIRD_PARTY_RESULTS = frozenset({
    CallResult.THIRD_PARTY_ANSWERED, CallResult.THIRD_PARTY_UNREACHABLE,
    CallResult.THIRD_PARTY_NO_ANSWER,
})
ABANDONED_RESULTS = frozenset({CallResult.ABANDONED_IN_QUEUE, CallResult.ABANDONED_IN_IVR})


class CallWay(StrEnum):
    WEB_PHONE = "WEB_PHONE"
    SIP_PHONE = "SIP_PHONE"
    MOBILE = "MOBILE"


class TransferFlag(StrEnum):
    NONE = "NONE"
    TRANSFER_CONSULT = "TRANSFER_CONSULT"
    TRANSFERRED = "TRANSFERRED"


class SatisfactionLevel(StrEnum):
    VERY_SATISFIED = "VERY_SATISFIED"
    SATISFIED = "SATISFIED"
    NEUTRAL = "NEUTRAL"
    UNSATISFIED = "UNSATISFIED"
    VERY_UNSATISFIED = "VERY_UNSATISFIED"


class AgentStatus(StrEnum):
    IDLE = "IDLE"
    BUSY = "BUSY"
    ACW = "ACW"
    BREAK = "BREAK"


class QcKind(StrEnum):
    ONLINE = "ONLINE"
    CALL = "CALL"


class ResolutionStatus(StrEnum):
    RESOLVED = "RESOLVED"
    UNRESOLVED = "UNRESOLVED"
    IN_PROGRESS = "IN_PROGRESS"


class Team(Model):
    """A team (skill group). Each agent belongs to at most one team."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "team"


class TeamMember(Model):
    id = fields.IntField(primary_key=True)
    team = fields.ForeignKeyField("deskql.Team", related_name="members", on_delete=fields.CASCADE)
    account = fields.OneToOneField(
        "deskql.Account", related_name="team_membership", on_delete=fields.CASCADE
    )

    class Meta:
        table = "team_member"


class Queue(Model):
    """A call queue (IVR menu choice), optionally served by a team."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    team = fields.ForeignKeyField(
        "deskql.Team", related_name="queues", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "call_queue"


class Contact(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128)
    email = fields.CharField(max_length=254, null=True, db_index=True, description="Lower-cased")
    external_id = fields.CharField(
        max_length=128, null=True, unique=True, description="The docking id of the customer system"
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "contact"


class ContactPhone(Model):
    id = fields.IntField(primary_key=True)
    contact = fields.ForeignKeyField(
        "deskql.Contact", related_name="phones", on_delete=fields.CASCADE
    )
    e164 = fields.CharField(max_length=16, db_index=True, description="E.164, e.g. +8613800138000")
    position = fields.IntField(default=1)

    class Meta:
        table = "contact_phone"
        unique_together = (("contact", "e164"),)


class Ticket(Model):
    id = fields.IntField(primary_key=True)
    subject = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    status = fields.CharEnumField(TicketStatus, max_length=16, default=TicketStatus.NEW)
    channel = fields.CharEnumField(Channel, max_length=16, default=Channel.WEB)
    queue = fields.ForeignKeyField(
        "deskql.Queue", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    menu_selection = fields.CharField(max_length=128, null=True, description="IVR or menu choice")
    requester = fields.ForeignKeyField(
        "deskql.Contact", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    assignee = fields.ForeignKeyField(
        "deskql.Account", related_name="assigned_tickets", null=True, on_delete=fields.SET_NULL
    )
    merged_into = fields.ForeignKeyField(
        "deskql.Ticket", related_name="merged_tickets", null=True, on_delete=fields.SET_NULL
    )
    custom_fields = fields.JSONField(default=list, description="List of name and value pairs")
    solved_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "ticket"


class TicketComment(Model):
    id = fields.IntField(primary_key=True)
    ticket = fields.ForeignKeyField("deskql.Ticket", related_name="comments", on_delete=fields.CASCADE)
    author = fields.ForeignKeyField(
        "deskql.Account", related_name="ticket_comments", null=True, on_delete=fields.SET_NULL
    )
    body = fields.TextField()
    public = fields.BooleanField(description="False for an internal note")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ticket_comment"


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
    agent = fields.ForeignKeyField(
        "deskql.Account", related_name="call_records", null=True, on_delete=fields.RESTRICT,
        db_constraint=False,
    )
    team = fields.ForeignKeyField(
        "deskql.Team", related_name="call_records", null=True, on_delete=fields.SET_NULL,
        description="The agent's team when the record was written", db_constraint=False,
    )
    queue = fields.ForeignKeyField(
        "deskql.Queue", related_name="call_records", null=True, on_delete=fields.SET_NULL,
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
    result = fields.CharEnumField(CallResult, max_length=32, null=True,
                                  description="Null while the call is in progress")
    transfer_flag = fields.CharEnumField(TransferFlag, max_length=24, default=TransferFlag.NONE)
    consulted = fields.BooleanField(default=False)
    consult_count = fields.IntField(default=0)
    voicemail = fields.BooleanField(default=False)
    voicemail_url = fields.CharField(max_length=500, null=True)
    recording_url = fields.CharField(max_length=500, null=True)
    ringing_at = fields.DatetimeField(null=True, description="Live events: when ringing began")
    hold_started_at = fields.DatetimeField(null=True, description="Live events: current hold")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "call_record"
        indexes = (("started_epoch",), ("agent_id", "started_epoch"))


class ChatSession(Model):
    id = fields.IntField(primary_key=True)
    session_id = fields.CharField(max_length=64, unique=True, description="The chat system's id")
    channel = fields.CharEnumField(Channel, max_length=16)
    contact = fields.ForeignKeyField(
        "deskql.Contact", related_name="sessions", null=True, on_delete=fields.SET_NULL
    )
    agent = fields.ForeignKeyField(
        "deskql.Account", related_name="chat_sessions", null=True, on_delete=fields.RESTRICT
    )
    started_at = fields.DatetimeField(db_index=True)
    ended_at = fields.DatetimeField(null=True)
    transfer_count = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "chat_session"


class SessionTransfer(Model):
    id = fields.IntField(primary_key=True)
    session = fields.ForeignKeyField(
        "deskql.ChatSession", related_name="transfers", on_delete=fields.CASCADE
    )
    from_agent = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    to_agent = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    transferred_at = fields.DatetimeField()
    reason = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "session_transfer"


class ServiceSummary(Model):
    id = fields.IntField(primary_key=True)
    session = fields.OneToOneField(
        "deskql.ChatSession", related_name="summary", on_delete=fields.CASCADE
    )
    agent = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    business_unit = fields.CharField(max_length=64, null=True)
    question_type = fields.CharField(max_length=64, null=True)
    resolution_status = fields.CharEnumField(ResolutionStatus, max_length=16, null=True)
    remark = fields.TextField(default="")
    marked_valid = fields.BooleanField(default=True)
    custom_fields = fields.JSONField(default=list)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "service_summary"


class SatisfactionRating(Model):
    """A five-level rating of one chat session or one phone call (its main record)."""

    id = fields.IntField(primary_key=True)
    session = fields.OneToOneField(
        "deskql.ChatSession", related_name="rating", null=True, on_delete=fields.CASCADE
    )
    main_call_id = fields.CharField(max_length=64, null=True, unique=True)
    agent = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    channel = fields.CharEnumField(Channel, max_length=16)
    level = fields.CharEnumField(SatisfactionLevel, max_length=24)
    comment = fields.CharField(max_length=1000, null=True)
    rated_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "satisfaction_rating"


class TicketSatisfactionSettings(Model):
    """The single row of ticket-satisfaction settings."""

    id = fields.IntField(primary_key=True)
    enabled = fields.BooleanField(default=False)
    channels = fields.JSONField(default=list)
    question = fields.CharField(max_length=500, default="How satisfied are you with how we handled your request?")
    valid_days = fields.IntField(default=30)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "ticket_satisfaction_settings"


class TicketSatisfactionInvitation(Model):
    """Sent when a ticket becomes solved. The link's token is an HMAC of the id, never stored."""

    id = fields.IntField(primary_key=True)
    ticket = fields.OneToOneField(
        "deskql.Ticket", related_name="satisfaction", on_delete=fields.CASCADE
    )
    channel = fields.CharEnumField(Channel, max_length=16)
    invited_at = fields.DatetimeField(db_index=True)
    expires_at = fields.DatetimeField()
    score = fields.IntField(null=True)
    comment = fields.CharField(max_length=1000, null=True)
    rated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "ticket_satisfaction_invitation"


class QcResult(Model):
    """A quality-check result of a chat session (ONLINE) or a call (CALL)."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(QcKind, max_length=8)
    target_id = fields.CharField(max_length=64, description="Session id or call id")
    target_started_at = fields.DatetimeField()
    completed_at = fields.DatetimeField()
    agent = fields.ForeignKeyField(
        "deskql.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    scheme_id = fields.CharField(max_length=64, null=True)
    full_score = fields.FloatField()
    score = fields.FloatField()
    standard_full = fields.FloatField(default=0)
    standard_score = fields.FloatField(default=0)
    bonus_full = fields.FloatField(default=0)
    bonus_score = fields.FloatField(default=0)
    deduction_full = fields.FloatField(default=0)
    deduction_score = fields.FloatField(default=0)

    class Meta:
        table = "qc_result"
        unique_together = (("kind", "target_id"),)
        indexes = (("kind", "completed_at"),)


class AgentStatusInterval(Model):
    """A stretch of time an agent spent in one status between login and logout."""

    id = fields.IntField(primary_key=True)
    agent = fields.ForeignKeyField(
        "deskql.Account", related_name="status_intervals", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(AgentStatus, max_length=8)
    started_at = fields.DatetimeField()
    ended_at = fields.DatetimeField()
    start_epoch = fields.BigIntField()
    end_epoch = fields.BigIntField()

    class Meta:
        table = "agent_status_interval"
        unique_together = (("agent", "started_at"),)
        indexes = (("start_epoch",),)


class IngestedEvent(Model):
    """Ids of live events already applied, so a replayed event changes nothing."""

    id = fields.IntField(primary_key=True)
    event_id = fields.CharField(max_length=128, unique=True)
    kind = fields.CharField(max_length=16)
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ingested_event"


class DomainEvent(Model):
    """The durable log of accepted changes, read by several consumers in id order."""

    id = fields.BigIntField(primary_key=True)
    topic = fields.CharField(max_length=64)
    subject_id = fields.CharField(max_length=64, null=True)
    payload = fields.JSONField(default=dict)
    occurred_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "domain_event"


class EventConsumer(Model):
    """A consumer's cursor: the id of the last event it has handled."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    position = fields.BigIntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "event_consumer"
