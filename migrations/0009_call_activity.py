from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.telephony.models import VoicemailState
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('deskql', '0008_calls_and_outbound')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ZendeskCallNote',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event_id', fields.CharField(unique=True, description="The activity's id", max_length=128)),
                ('call_id', fields.CharField(db_index=True, description='The main call id', max_length=64)),
                ('body', fields.TextField(unique=False)),
                ('files', fields.JSONField(default=list, description='File URLs', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('comment_id', fields.IntField(null=True, description='The ticket note, once written')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'zendesk_call_note', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'A note a call activity (R-ZD-7: SmartAction, voicemail state, API response) puts on the'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='CallRecord',
            name='voicemail_state',
            field=fields.CharEnumField(null=True, description='Read, closed or called back', enum_type=VoicemailState, max_length=16),
        ),
        ops.AlterField(
            model_name='ZendeskAttachment',
            name='comment_id',
            field=fields.IntField(db_index=True),
        ),
        ops.AddField(
            model_name='ZendeskSettings',
            name='api_response_notes',
            field=fields.CharField(default='OFF', description='OFF, KEY_VALUE or JSON (R-ZD-7)', max_length=16),
        ),
    ]
