from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

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
    ]
