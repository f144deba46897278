from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.accounts.models import AccountStatus, Role
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Account',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.CharField(unique=True, description='Login name', max_length=64)),
                ('display_name', fields.CharField(max_length=128)),
                ('email', fields.CharField(null=True, max_length=254)),
                ('phone', fields.CharField(null=True, max_length=32)),
                ('role', fields.CharEnumField(description='SUPER_ADMIN: SUPER_ADMIN\nFULL_ADMIN: FULL_ADMIN\nAGENT: AGENT', enum_type=Role, max_length=16)),
                ('status', fields.CharEnumField(default=AccountStatus.INACTIVE, description='INACTIVE: INACTIVE\nACTIVE: ACTIVE\nDISABLED: DISABLED', enum_type=AccountStatus, max_length=16)),
                ('password_hash', fields.CharField(max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'account', 'app': 'deskql', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuthToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='tokens', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'auth_token', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'A bearer token. Only its SHA-256 is stored, so a leaked table grants nothing.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LoginThrottle',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account_name', fields.CharField(unique=True, max_length=64)),
                ('failures', fields.IntField(default=0)),
                ('locked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'login_throttle', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'Consecutive failed logins per login name, known or not (no account enumeration).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PermissionGroup',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=64)),
                ('permissions', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'permission_group', 'app': 'deskql', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AccountPermissionGroup',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='group_links', on_delete=OnDelete.CASCADE)),
                ('group', fields.ForeignKeyField('deskql.PermissionGroup', source_field='group_id', db_constraint=True, to_field='id', related_name='account_links', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'account_permission_group', 'app': 'deskql', 'unique_together': (('account', 'group'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PhoneLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='phone_line', on_delete=OnDelete.CASCADE)),
                ('phone', fields.CharField(null=True, max_length=32)),
                ('sip_extension', fields.CharField(null=True, unique=True, max_length=16)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'phone_line', 'app': 'deskql', 'pk_attr': 'id', 'table_description': "An account's phone-line settings: the number calls ring and the bound SIP extension."},
            bases=['Model'],
        ),
    ]
