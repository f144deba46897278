from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.webhooks.models import DeliveryStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0005_access_revocation_and_throttle')]

    initial = False

    operations = [
        ops.CreateModel(
            name='WebhookEndpoint',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('url', fields.CharField(max_length=2000)),
                ('description', fields.CharField(default='', max_length=500)),
                ('events', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('enabled', fields.BooleanField(default=True)),
                ('secret', fields.CharField(description='whsec_ signing secret', max_length=128)),
                ('previous_secret', fields.CharField(null=True, max_length=128)),
                ('previous_secret_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('disabled_reason', fields.CharField(null=True, max_length=500)),
                ('failing_since', fields.DatetimeField(null=True, description='First failure since a success', auto_now=False, auto_now_add=False)),
                ('paused_until', fields.DatetimeField(null=True, description='After a round that all failed: one probe again at this time', auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'webhook_endpoint', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'A customer system that receives call events.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('endpoint', fields.ForeignKeyField('deskql.WebhookEndpoint', source_field='endpoint_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('message_id', fields.CharField(max_length=96)),
                ('event_type', fields.CharField(max_length=32)),
                ('ordering_key', fields.CharField(description='Main call id, in order per key', max_length=96)),
                ('payload', fields.TextField(description='The JSON body, fixed when the event happened', unique=False)),
                ('status', fields.CharEnumField(default=DeliveryStatus.PENDING, description='PENDING: PENDING\nDELIVERED: DELIVERED\nFAILED: FAILED', enum_type=DeliveryStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_status_code', fields.IntField(null=True)),
                ('last_error', fields.CharField(null=True, max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'webhook_delivery', 'app': 'deskql', 'unique_together': (('endpoint', 'message_id'),), 'indexes': [Index(fields=['endpoint_id', 'status', 'next_attempt_at']), Index(fields=['endpoint_id', 'ordering_key'])], 'pk_attr': 'id', 'table_description': 'One message owed to one endpoint. Its message id (webhook-id) is the same on every'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookAttempt',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('delivery', fields.ForeignKeyField('deskql.WebhookDelivery', source_field='delivery_id', db_constraint=True, to_field='id', related_name='tries', on_delete=OnDelete.CASCADE)),
                ('attempted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status_code', fields.IntField(null=True)),
                ('error', fields.CharField(null=True, max_length=500)),
                ('response_excerpt', fields.CharField(null=True, max_length=500)),
                ('duration_ms', fields.IntField()),
                ('next_attempt_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'webhook_attempt', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'One try at a delivery: what the endpoint answered, or why it could not be reached.'},
            bases=['Model'],
        ),
        ops.AddIndex(
            model_name='DomainEvent',
            index=Index(fields=['subject_id', 'topic']),
        ),
    ]
