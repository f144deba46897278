from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.zendesk.models import TaskStatus
from json import dumps, loads
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0006_webhooks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ZendeskAgent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('zendesk_user_id', fields.BigIntField(null=True)),
                ('looked_up_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'zendesk_agent', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'An account (by e-mail) as a Zendesk agent, found by search. zendesk_user_id is null when'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ZendeskSession',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('session_id', fields.CharField(unique=True, description="The chat system's id", max_length=64)),
                ('ticket_id', fields.IntField()),
            ],
            options={'table': 'zendesk_session', 'app': 'deskql', 'pk_attr': 'id', 'table_description': "The ticket a chat session was given (made or reused) by the sync's rules."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ZendeskSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('enabled', fields.BooleanField(default=True)),
                ('batch_window_seconds', fields.IntField(default=10)),
                ('batch_comments', fields.BooleanField(default=True, description='Batch add-comment work')),
                ('batch_updates', fields.BooleanField(default=True, description='Batch ticket updates')),
                ('title_template', fields.CharField(default='{channel} from {customer}', max_length=200)),
                ('reuse_open_tickets', fields.BooleanField(default=True)),
                ('abandoned_call_tickets', fields.BooleanField(default=False)),
                ('voicemail_tickets', fields.BooleanField(default=True)),
                ('field_mapping', fields.JSONField(default=dict, description='Custom data key to Zendesk ticket field id', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('session_fields', fields.JSONField(default=dict, description='The custom fields deskql created, by kind', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('outbound_phone_field_id', fields.BigIntField(null=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'zendesk_settings', 'app': 'deskql', 'pk_attr': 'id', 'table_description': "The sync's settings (one row, id 1). The connection itself (URL, e-mail, API token) is"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ZendeskState',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('blocked', fields.JSONField(default=dict, description='Bucket name to ISO time it may be used again', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('routes', fields.JSONField(default=dict, description='Route to the bucket names its answers carried', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('requests_sent', fields.BigIntField(default=0)),
                ('requests_saved', fields.BigIntField(default=0, description='Saved by batching')),
                ('rate_limited', fields.BigIntField(default=0, description='429 answers received')),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('last_error_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'zendesk_state', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'What every worker process shares (one row, id 1): rate-limit waits and counters.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ZendeskTask',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=32)),
                ('key', fields.CharField(description='ticket:N or contact:N', max_length=64)),
                ('event_id', fields.BigIntField(null=True, description='The domain event it came from')),
                ('payload', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=TaskStatus.PENDING, description='PENDING: PENDING\nSENT: SENT\nDONE: DONE\nDEAD: DEAD', enum_type=TaskStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('alone', fields.BooleanField(default=False, description='Retried outside any batch')),
                ('job_id', fields.CharField(null=True, max_length=64)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'zendesk_task', 'app': 'deskql', 'unique_together': (('event_id', 'kind', 'key'),), 'indexes': [Index(fields=['status', 'key', 'id'])], 'pk_attr': 'id', 'table_description': 'One piece of work for Zendesk. Tasks of one key (a ticket, a contact) run in id order.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ZendeskTicket',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket_id', fields.IntField(unique=True)),
                ('zendesk_ticket_id', fields.BigIntField(null=True, db_index=True)),
                ('status', fields.CharField(null=True, description='As Zendesk last said', max_length=16)),
                ('last_synced_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('error', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'zendesk_ticket', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'A deskql ticket and the Zendesk ticket it is synced to.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ZendeskUser',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact_id', fields.IntField(unique=True)),
                ('zendesk_user_id', fields.BigIntField()),
                ('synced_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'zendesk_user', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'A contact as a Zendesk end-user.'},
            bases=['Model'],
        ),
    ]
