from tortoise import migrations
from tortoise.migrations import operations as ops
from app.notifications.models import EmailStatus, ReminderSound, TriggerKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0012_locales_ratings_contact_fields')]

    initial = False

    operations = [
        ops.CreateModel(
            name='EmailMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('dedupe_key', fields.CharField(unique=True, description='One email per cause', max_length=128)),
                ('to_address', fields.CharField(max_length=254)),
                ('subject', fields.CharField(max_length=200)),
                ('body_text', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(default=EmailStatus.PENDING, description='PENDING: PENDING\nSENT: SENT\nDEAD: DEAD', enum_type=EmailStatus, max_length=8)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(null=True, max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'email_message', 'app': 'deskql', 'indexes': [Index(fields=['status', 'next_attempt_at'])], 'pk_attr': 'id', 'table_description': 'An email to send over SMTP, kept until sent or given up (then listable and replayable).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EmailTrigger',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=100)),
                ('kind', fields.CharEnumField(description='FLOW: FLOW\nTIMED: TIMED', enum_type=TriggerKind, max_length=8)),
                ('mailbox', fields.CharField(description='Lower-cased address it matches', max_length=254)),
                ('after_minutes', fields.IntField(null=True, description='TIMED only')),
                ('assign_team', fields.ForeignKeyField('deskql.Team', source_field='assign_team_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('assign_agent', fields.ForeignKeyField('deskql.Account', source_field='assign_agent_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('position', fields.IntField()),
                ('enabled', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'email_trigger', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'Assigns tickets received at a mailbox to a team or an agent. Ordered, switchable.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EmailTriggerFiring',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('trigger', fields.ForeignKeyField('deskql.EmailTrigger', source_field='trigger_id', db_constraint=True, to_field='id', related_name='firings', on_delete=OnDelete.CASCADE)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('fired_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'email_trigger_firing', 'app': 'deskql', 'unique_together': (('trigger', 'ticket'),), 'pk_attr': 'id', 'table_description': 'A trigger fired on a ticket: each fires at most once per ticket.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReminderSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('email_enabled', fields.BooleanField(default=True)),
                ('popup_enabled', fields.BooleanField(default=True)),
                ('sound_enabled', fields.BooleanField(default=True)),
                ('sound', fields.CharEnumField(default=ReminderSound.DING, description='DING: DING\nCHIME: CHIME', enum_type=ReminderSound, max_length=8)),
                ('on_assigned', fields.BooleanField(default=True)),
                ('on_customer_update', fields.BooleanField(default=True)),
                ('on_overdue', fields.BooleanField(default=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'reminder_settings', 'app': 'deskql', 'pk_attr': 'id', 'table_description': "One agent's ticket reminders. A missing row means the defaults (all on, DING)."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Ticket',
            name='due_at',
            field=fields.DatetimeField(null=True, description='Overdue after this (reminders)', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='mailbox',
            field=fields.CharField(null=True, description='The address an email ticket came to, lower-cased', max_length=254),
        ),
        ops.AddField(
            model_name='Ticket',
            name='overdue_reminded_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='team',
            field=fields.ForeignKeyField('deskql.Team', source_field='team_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
    ]
