from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('deskql', '0007_zendesk_sync')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OutboundCall',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('agent_id', fields.IntField(db_index=True)),
                ('phone', fields.CharField(max_length=32)),
                ('contact_id', fields.IntField(null=True)),
                ('ticket_id', fields.IntField(null=True)),
                ('entered_number', fields.BooleanField(default=False)),
                ('call_id', fields.CharField(null=True, unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbound_call', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'An outbound call an agent started through deskql: the number, the contact and the ticket'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboundSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('prompt_ticket_choice', fields.BooleanField(default=True, description='Let the agent choose among open tickets (off: newest is used)')),
                ('allow_new_ticket', fields.BooleanField(default=True, description='Only when prompting')),
                ('allow_no_ticket', fields.BooleanField(default=False)),
                ('allow_entered_number', fields.BooleanField(default=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'outbound_settings', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'Operations settings of the outbound form (one row, id 1), R-OUT-1.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboundTeam',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('team_id', fields.IntField(unique=True)),
                ('ticket_id_enabled', fields.BooleanField(default=False)),
                ('ticket_id_required', fields.BooleanField(default=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'outbound_team', 'app': 'deskql', 'pk_attr': 'id', 'table_description': "A team's ticket-id entry setting, R-OUT-3."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ZendeskAttachment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('comment_id', fields.IntField(unique=True)),
                ('url', fields.CharField(max_length=500)),
                ('file_name', fields.CharField(max_length=200)),
                ('content_type', fields.CharField(default='audio/mpeg', max_length=100)),
                ('token', fields.CharField(null=True, max_length=100)),
                ('token_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('error', fields.TextField(null=True, description='Why the file could not be attached', unique=False)),
            ],
            options={'table': 'zendesk_attachment', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'A file to attach to a comment when it is sent (a call recording): uploaded to Zendesk at'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ZendeskCall',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('call_id', fields.CharField(unique=True, description='The main call id', max_length=64)),
                ('kind', fields.CharField(default='call', max_length=16)),
                ('direction', fields.CharField(max_length=16)),
                ('phone', fields.CharField(null=True, description="The customer's number", max_length=32)),
                ('contact_id', fields.IntField(null=True)),
                ('ticket_id', fields.IntField(null=True, db_index=True)),
                ('ended', fields.BooleanField(default=False, description='The end-of-call update was written')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'zendesk_call', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'The ticket a call was given by the rules (R-ZD-4/5/9): kind call, voicemail or'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='CallRecord',
            name='language',
            field=fields.CharField(null=True, description="The caller's language", max_length=16),
        ),
        ops.AddField(
            model_name='ZendeskTicket',
            name='extra_fields',
            field=fields.JSONField(default=dict, description='R-ZD-10 field values set by the rules, by Zendesk field id', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='ZendeskTicket',
            name='merged_into_zendesk_id',
            field=fields.BigIntField(null=True, description='Zendesk merged it into this ticket: later updates go there'),
        ),
        ops.AddField(
            model_name='ZendeskTicket',
            name='tags',
            field=fields.JSONField(default=list, description='Tags the rules added (call_finished)', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
    ]
