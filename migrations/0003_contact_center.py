from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from enum import StrEnum


# The enums as they were when this migration was written (inlined: the models have moved since).
class AgentStatus(StrEnum):
    IDLE = "IDLE"
    BUSY = "BUSY"
    ACW = "ACW"
    BREAK = "BREAK"


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


class CallWay(StrEnum):
    WEB_PHONE = "WEB_PHONE"
    SIP_PHONE = "SIP_PHONE"
    MOBILE = "MOBILE"


class Channel(StrEnum):
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    SDK = "SDK"
    WEB = "WEB"
    H5 = "H5"
    WECHAT = "WECHAT"
    MINI_PROGRAM = "MINI_PROGRAM"
    API = "API"


class HangupParty(StrEnum):
    CUSTOMER = "CUSTOMER"
    AGENT = "AGENT"
    SYSTEM = "SYSTEM"
    TRANSFER = "TRANSFER"
    FORCE_DISCONNECT = "FORCE_DISCONNECT"
    THIRD_PARTY = "THIRD_PARTY"


class QcKind(StrEnum):
    ONLINE = "ONLINE"
    CALL = "CALL"


class ResolutionStatus(StrEnum):
    RESOLVED = "RESOLVED"
    UNRESOLVED = "UNRESOLVED"
    IN_PROGRESS = "IN_PROGRESS"


class SatisfactionLevel(StrEnum):
    VERY_SATISFIED = "VERY_SATISFIED"
    SATISFIED = "SATISFIED"
    NEUTRAL = "NEUTRAL"
    UNSATISFIED = "UNSATISFIED"
    VERY_UNSATISFIED = "VERY_UNSATISFIED"


class TicketStatus(StrEnum):
    NEW = "NEW"
    OPEN = "OPEN"
    PENDING = "PENDING"
    HOLD = "HOLD"
    SOLVED = "SOLVED"
    CLOSED = "CLOSED"


class TransferFlag(StrEnum):
    NONE = "NONE"
    TRANSFER_CONSULT = "TRANSFER_CONSULT"
    TRANSFERRED = "TRANSFERRED"


class Migration(migrations.Migration):
    dependencies = [('deskql', '0002_help_center')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AgentStatusInterval',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('agent', fields.ForeignKeyField('deskql.Account', source_field='agent_id', db_constraint=True, to_field='id', related_name='status_intervals', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(description='IDLE: IDLE\nBUSY: BUSY\nACW: ACW\nBREAK: BREAK', enum_type=AgentStatus, max_length=8)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('start_epoch', fields.BigIntField()),
                ('end_epoch', fields.BigIntField()),
            ],
            options={'table': 'agent_status_interval', 'app': 'deskql', 'unique_together': (('agent', 'started_at'),), 'indexes': [Index(fields=['start_epoch'])], 'pk_attr': 'id', 'table_description': 'A stretch of time an agent spent in one status between login and logout.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Contact',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=128)),
                ('email', fields.CharField(null=True, db_index=True, description='Lower-cased', max_length=254)),
                ('external_id', fields.CharField(null=True, unique=True, description='The docking id of the customer system', max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'contact', 'app': 'deskql', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ChatSession',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('session_id', fields.CharField(unique=True, description="The chat system's id", max_length=64)),
                ('channel', fields.CharEnumField(description='PHONE: PHONE\nEMAIL: EMAIL\nSDK: SDK\nWEB: WEB\nH5: H5\nWECHAT: WECHAT\nMINI_PROGRAM: MINI_PROGRAM\nAPI: API', enum_type=Channel, max_length=16)),
                ('contact', fields.ForeignKeyField('deskql.Contact', source_field='contact_id', null=True, db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.SET_NULL)),
                ('agent', fields.ForeignKeyField('deskql.Account', source_field='agent_id', null=True, db_constraint=True, to_field='id', related_name='chat_sessions', on_delete=OnDelete.RESTRICT)),
                ('started_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('transfer_count', fields.IntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'chat_session', 'app': 'deskql', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ContactPhone',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact', fields.ForeignKeyField('deskql.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='phones', on_delete=OnDelete.CASCADE)),
                ('e164', fields.CharField(db_index=True, description='E.164, e.g. +8613800138000', max_length=16)),
                ('position', fields.IntField(default=1)),
            ],
            options={'table': 'contact_phone', 'app': 'deskql', 'unique_together': (('contact', 'e164'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DomainEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('topic', fields.CharField(max_length=64)),
                ('subject_id', fields.CharField(null=True, max_length=64)),
                ('payload', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'domain_event', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'The durable log of accepted changes, read by several consumers in id order.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EventConsumer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=64)),
                ('position', fields.BigIntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'event_consumer', 'app': 'deskql', 'pk_attr': 'id', 'table_description': "A consumer's cursor: the id of the last event it has handled."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='IngestedEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event_id', fields.CharField(unique=True, max_length=128)),
                ('kind', fields.CharField(max_length=16)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'ingested_event', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'Ids of live events already applied, so a replayed event changes nothing.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='QcResult',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='ONLINE: ONLINE\nCALL: CALL', enum_type=QcKind, max_length=8)),
                ('target_id', fields.CharField(description='Session id or call id', max_length=64)),
                ('target_started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('completed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('agent', fields.ForeignKeyField('deskql.Account', source_field='agent_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('scheme_id', fields.CharField(null=True, max_length=64)),
                ('full_score', fields.FloatField()),
                ('score', fields.FloatField()),
                ('standard_full', fields.FloatField(default=0)),
                ('standard_score', fields.FloatField(default=0)),
                ('bonus_full', fields.FloatField(default=0)),
                ('bonus_score', fields.FloatField(default=0)),
                ('deduction_full', fields.FloatField(default=0)),
                ('deduction_score', fields.FloatField(default=0)),
            ],
            options={'table': 'qc_result', 'app': 'deskql', 'unique_together': (('kind', 'target_id'),), 'indexes': [Index(fields=['kind', 'completed_at'])], 'pk_attr': 'id', 'table_description': 'A quality-check result of a chat session (ONLINE) or a call (CALL).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SatisfactionRating',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('session', fields.OneToOneField('deskql.ChatSession', source_field='session_id', null=True, db_constraint=True, to_field='id', related_name='rating', on_delete=OnDelete.CASCADE)),
                ('main_call_id', fields.CharField(null=True, unique=True, max_length=64)),
                ('agent', fields.ForeignKeyField('deskql.Account', source_field='agent_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('channel', fields.CharEnumField(description='PHONE: PHONE\nEMAIL: EMAIL\nSDK: SDK\nWEB: WEB\nH5: H5\nWECHAT: WECHAT\nMINI_PROGRAM: MINI_PROGRAM\nAPI: API', enum_type=Channel, max_length=16)),
                ('level', fields.CharEnumField(description='VERY_SATISFIED: VERY_SATISFIED\nSATISFIED: SATISFIED\nNEUTRAL: NEUTRAL\nUNSATISFIED: UNSATISFIED\nVERY_UNSATISFIED: VERY_UNSATISFIED', enum_type=SatisfactionLevel, max_length=24)),
                ('comment', fields.CharField(null=True, max_length=1000)),
                ('rated_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'satisfaction_rating', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'A five-level rating of one chat session or one phone call (its main record).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ServiceSummary',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('session', fields.OneToOneField('deskql.ChatSession', source_field='session_id', db_constraint=True, to_field='id', related_name='summary', on_delete=OnDelete.CASCADE)),
                ('agent', fields.ForeignKeyField('deskql.Account', source_field='agent_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('business_unit', fields.CharField(null=True, max_length=64)),
                ('question_type', fields.CharField(null=True, max_length=64)),
                ('resolution_status', fields.CharEnumField(null=True, description='RESOLVED: RESOLVED\nUNRESOLVED: UNRESOLVED\nIN_PROGRESS: IN_PROGRESS', enum_type=ResolutionStatus, max_length=16)),
                ('remark', fields.TextField(default='', unique=False)),
                ('marked_valid', fields.BooleanField(default=True)),
                ('custom_fields', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'service_summary', 'app': 'deskql', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SessionTransfer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('session', fields.ForeignKeyField('deskql.ChatSession', source_field='session_id', db_constraint=True, to_field='id', related_name='transfers', on_delete=OnDelete.CASCADE)),
                ('from_agent', fields.ForeignKeyField('deskql.Account', source_field='from_agent_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('to_agent', fields.ForeignKeyField('deskql.Account', source_field='to_agent_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('transferred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('reason', fields.CharField(null=True, max_length=200)),
            ],
            options={'table': 'session_transfer', 'app': 'deskql', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Team',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'team', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'A team (skill group). Each agent belongs to at most one team.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Queue',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=64)),
                ('team', fields.ForeignKeyField('deskql.Team', source_field='team_id', null=True, db_constraint=True, to_field='id', related_name='queues', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'call_queue', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'A call queue (IVR menu choice), optionally served by a team.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CallRecord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('call_id', fields.CharField(unique=True, description="The telephony system's id", max_length=64)),
                ('main_call_id', fields.CharField(db_index=True, max_length=64)),
                ('is_main', fields.BooleanField()),
                ('call_type', fields.CharEnumField(description='INBOUND: INBOUND\nOUTBOUND: OUTBOUND\nTRANSFER_CONSULT: TRANSFER_CONSULT\nTRANSFER_AGENT: TRANSFER_AGENT\nTRANSFER_THIRD_PARTY: TRANSFER_THIRD_PARTY\nCONSULT_AGENT: CONSULT_AGENT\nCONSULT_THIRD_PARTY: CONSULT_THIRD_PARTY\nMONITOR: MONITOR\nBARGE_IN: BARGE_IN\nFORCE_DISCONNECT: FORCE_DISCONNECT', enum_type=CallType, max_length=24)),
                ('direction', fields.CharEnumField(description="The main record's type, INBOUND or OUTBOUND", enum_type=CallType, max_length=24)),
                ('agent', fields.ForeignKeyField('deskql.Account', source_field='agent_id', null=True, db_constraint=False, to_field='id', related_name='call_records', on_delete=OnDelete.RESTRICT)),
                ('team', fields.ForeignKeyField('deskql.Team', source_field='team_id', null=True, description="The agent's team when the record was written", db_constraint=False, to_field='id', related_name='call_records', on_delete=OnDelete.SET_NULL)),
                ('queue', fields.ForeignKeyField('deskql.Queue', source_field='queue_id', null=True, db_constraint=False, to_field='id', related_name='call_records', on_delete=OnDelete.SET_NULL)),
                ('customer_phone', fields.CharField(null=True, max_length=32)),
                ('customer_name', fields.CharField(null=True, max_length=128)),
                ('caller', fields.CharField(null=True, max_length=32)),
                ('callee', fields.CharField(null=True, max_length=32)),
                ('call_way', fields.CharEnumField(null=True, description='WEB_PHONE: WEB_PHONE\nSIP_PHONE: SIP_PHONE\nMOBILE: MOBILE', enum_type=CallWay, max_length=16)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('started_epoch', fields.BigIntField(description='started_at as Unix seconds, for reports')),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ring_seconds', fields.IntField(default=0)),
                ('talk_seconds', fields.IntField(default=0)),
                ('hold_seconds', fields.IntField(default=0)),
                ('queue_seconds', fields.IntField(default=0)),
                ('hangup_party', fields.CharEnumField(null=True, description='CUSTOMER: CUSTOMER\nAGENT: AGENT\nSYSTEM: SYSTEM\nTRANSFER: TRANSFER\nFORCE_DISCONNECT: FORCE_DISCONNECT\nTHIRD_PARTY: THIRD_PARTY', enum_type=HangupParty, max_length=24)),
                ('result', fields.CharEnumField(null=True, description='Null while the call is in progress', enum_type=CallResult, max_length=32)),
                ('transfer_flag', fields.CharEnumField(default=TransferFlag.NONE, description='NONE: NONE\nTRANSFER_CONSULT: TRANSFER_CONSULT\nTRANSFERRED: TRANSFERRED', enum_type=TransferFlag, max_length=24)),
                ('consulted', fields.BooleanField(default=False)),
                ('consult_count', fields.IntField(default=0)),
                ('voicemail', fields.BooleanField(default=False)),
                ('voicemail_url', fields.CharField(null=True, max_length=500)),
                ('recording_url', fields.CharField(null=True, max_length=500)),
                ('ringing_at', fields.DatetimeField(null=True, description='Live events: when ringing began', auto_now=False, auto_now_add=False)),
                ('hold_started_at', fields.DatetimeField(null=True, description='Live events: current hold', auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'call_record', 'app': 'deskql', 'indexes': [Index(fields=['started_epoch']), Index(fields=['agent_id', 'started_epoch'])], 'pk_attr': 'id', 'table_description': 'One leg of a phone call. The main record has call_id equal to main_call_id.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TeamMember',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('team', fields.ForeignKeyField('deskql.Team', source_field='team_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.CASCADE)),
                ('account', fields.OneToOneField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='team_membership', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'team_member', 'app': 'deskql', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Ticket',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('subject', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('status', fields.CharEnumField(default=TicketStatus.NEW, description='NEW: NEW\nOPEN: OPEN\nPENDING: PENDING\nHOLD: HOLD\nSOLVED: SOLVED\nCLOSED: CLOSED', enum_type=TicketStatus, max_length=16)),
                ('channel', fields.CharEnumField(default=Channel.WEB, description='PHONE: PHONE\nEMAIL: EMAIL\nSDK: SDK\nWEB: WEB\nH5: H5\nWECHAT: WECHAT\nMINI_PROGRAM: MINI_PROGRAM\nAPI: API', enum_type=Channel, max_length=16)),
                ('queue', fields.ForeignKeyField('deskql.Queue', source_field='queue_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.SET_NULL)),
                ('menu_selection', fields.CharField(null=True, description='IVR or menu choice', max_length=128)),
                ('requester', fields.ForeignKeyField('deskql.Contact', source_field='requester_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.SET_NULL)),
                ('assignee', fields.ForeignKeyField('deskql.Account', source_field='assignee_id', null=True, db_constraint=True, to_field='id', related_name='assigned_tickets', on_delete=OnDelete.SET_NULL)),
                ('merged_into', fields.ForeignKeyField('deskql.Ticket', source_field='merged_into_id', null=True, db_constraint=True, to_field='id', related_name='merged_tickets', on_delete=OnDelete.SET_NULL)),
                ('custom_fields', fields.JSONField(default=list, description='List of name and value pairs', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('solved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'ticket', 'app': 'deskql', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketComment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('deskql.Account', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='ticket_comments', on_delete=OnDelete.SET_NULL)),
                ('body', fields.TextField(unique=False)),
                ('public', fields.BooleanField(description='False for an internal note')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'ticket_comment', 'app': 'deskql', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketSatisfactionInvitation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.OneToOneField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='satisfaction', on_delete=OnDelete.CASCADE)),
                ('channel', fields.CharEnumField(description='PHONE: PHONE\nEMAIL: EMAIL\nSDK: SDK\nWEB: WEB\nH5: H5\nWECHAT: WECHAT\nMINI_PROGRAM: MINI_PROGRAM\nAPI: API', enum_type=Channel, max_length=16)),
                ('invited_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('score', fields.IntField(null=True)),
                ('comment', fields.CharField(null=True, max_length=1000)),
                ('rated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ticket_satisfaction_invitation', 'app': 'deskql', 'pk_attr': 'id', 'table_description': "Sent when a ticket becomes solved. The link's token is an HMAC of the id, never stored."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketSatisfactionSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('enabled', fields.BooleanField(default=False)),
                ('channels', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('question', fields.CharField(default='How satisfied are you with how we handled your request?', max_length=500)),
                ('valid_days', fields.IntField(default=30)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'ticket_satisfaction_settings', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'The single row of ticket-satisfaction settings.'},
            bases=['Model'],
        ),
    ]
