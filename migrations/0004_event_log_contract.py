from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0003_contact_center')]

    initial = False

    operations = [
        ops.AddField(
            model_name='DomainEvent',
            name='actor',
            field=fields.CharField(default='deskql', description='Who caused it: account:<id> or the integration', max_length=96),
        ),
        ops.AddField(
            model_name='DomainEvent',
            name='source',
            field=fields.CharField(default='system', description='Through what: graphql, import, live, zendesk ...', max_length=16),
        ),
        ops.AddField(
            model_name='DomainEvent',
            name='tx',
            field=fields.BigIntField(default=0, description="PostgreSQL: the writing transaction's id (0 on SQLite)"),
        ),
        ops.AddIndex(
            model_name='DomainEvent',
            index=Index(fields=['tx', 'id']),
        ),
        ops.AddField(
            model_name='EventConsumer',
            name='position_tx',
            field=fields.BigIntField(default=0, description='The tx of that event'),
        ),
    ]
