from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.migrations.constraints import UniqueConstraint

class Migration(migrations.Migration):
    dependencies = [('deskql', '0004_event_log_contract')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuthRevision',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('revision', fields.BigIntField(default=0)),
            ],
            options={'table': 'auth_revision', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'One row: bumped by every change that takes access away (a token revoked, an account'},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='LoginThrottle',
            options={'table': 'login_throttle', 'app': 'deskql', 'unique_together': (('account_name', 'client'),), 'pk_attr': 'id', 'table_description': 'Consecutive failed sign-ins per login name (known or not: no account enumeration), from'},
        ),
        ops.AlterField(
            model_name='LoginThrottle',
            name='account_name',
            field=fields.CharField(db_index=True, max_length=64),
        ),
        ops.AddField(
            model_name='LoginThrottle',
            name='client',
            field=fields.CharField(default='*', description='Client hash or *', max_length=64),
        ),
        ops.AddConstraint(
            model_name='LoginThrottle',
            constraint=UniqueConstraint(fields=('account_name', 'client'), name=None),
        ),
    ]
