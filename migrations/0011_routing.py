from tortoise import migrations
from tortoise.migrations import operations as ops
from app.routing.models import Outcome, Presence
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0010_list_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AgentPresence',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('state', fields.CharEnumField(default=Presence.OFFLINE, description='ONLINE: ONLINE\nAWAY: AWAY\nOFFLINE: OFFLINE', enum_type=Presence, max_length=8)),
                ('changed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'agent_presence', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'Whether an agent takes sessions now.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReceptionGroup',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=64)),
                ('queue', fields.ForeignKeyField('deskql.Queue', source_field='queue_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('time_zone', fields.CharField(description="IANA name of the schedule's zone", max_length=64)),
                ('schedule', fields.JSONField(default=list, description='Weekly opening periods (day, start, end). Empty means always', encoder=JSON_DUMPS, decoder=loads)),
                ('holidays', fields.JSONField(default=list, description="Closed dates YYYY-MM-DD in the group's zone", encoder=JSON_DUMPS, decoder=loads)),
                ('max_queue_length', fields.IntField(null=True, description='Smart judgement threshold')),
                ('max_wait_seconds', fields.IntField(null=True, description='Smart judgement threshold')),
                ('average_handle_seconds', fields.IntField(default=300)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'reception_group', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'A skill group receiving chats and calls, with what decides its capacity.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReceptionGroupMember',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('deskql.ReceptionGroup', source_field='group_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.CASCADE)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('max_sessions', fields.IntField(default=3, description='Concurrent sessions at most')),
            ],
            options={'table': 'reception_group_member', 'app': 'deskql', 'unique_together': (('group_id', 'account_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RoutingRule',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=100)),
                ('priority', fields.IntField(description='Lower first')),
                ('enabled', fields.BooleanField(default=True)),
                ('conditions', fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ('time_zone', fields.CharField(max_length=64)),
                ('target_agent', fields.ForeignKeyField('deskql.Account', source_field='target_agent_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('group_ids', fields.JSONField(default=list, description='Reception groups in overflow order (1 to 3)', encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'routing_rule', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'Conditions (app/routing/conditions.py, as JSON) and where a matching session goes.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RoutingDecision',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('session_id', fields.CharField(description="The chat system's id", max_length=64)),
                ('channel', fields.CharField(null=True, max_length=16)),
                ('decided_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('outcome', fields.CharEnumField(description='ASSIGNED: ASSIGNED\nQUEUED: QUEUED\nNO_AGENT: NO_AGENT', enum_type=Outcome, max_length=8)),
                ('level', fields.IntField(null=True, description="1 to 3, or 0 for a rule's agent")),
                ('group', fields.ForeignKeyField('deskql.ReceptionGroup', source_field='group_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('agent', fields.ForeignKeyField('deskql.Account', source_field='agent_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('rule', fields.ForeignKeyField('deskql.RoutingRule', source_field='rule_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('skipped', fields.JSONField(default=list, description='Levels passed over (level, groupId, groupName, reason)', encoder=JSON_DUMPS, decoder=loads)),
                ('queue_position', fields.IntField(null=True)),
                ('message', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'routing_decision', 'app': 'deskql', 'indexes': [Index(fields=['session_id', 'id']), Index(fields=['outcome', 'group_id']), Index(fields=['outcome', 'agent_id'])], 'pk_attr': 'id', 'table_description': 'Where routing sent a session, at which level, and why earlier levels were skipped.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RoutingSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('no_agent_message', fields.TextField(default='No agent is online right now. Leave a message and we will get back to you.', unique=False)),
                ('default_group_ids', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('revision', fields.BigIntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'routing_settings', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'One row. revision moves on every change to groups, members or rules.'},
            bases=['Model'],
        ),
    ]
