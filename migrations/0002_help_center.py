from tortoise import migrations
from tortoise.migrations import operations as ops
from app.knowledge.models import HelpChannel, QuestionStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='HelpCategory',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=64)),
                ('description', fields.CharField(default='', max_length=500)),
                ('image_path', fields.CharField(null=True, max_length=128)),
                ('position', fields.IntField(db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'help_category', 'app': 'deskql', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HelpChannelSetting',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.CharEnumField(unique=True, description='APP: APP\nWEB: WEB\nH5: H5\nMINI_PROGRAM: MINI_PROGRAM', enum_type=HelpChannel, max_length=16)),
                ('enabled', fields.BooleanField(default=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'help_channel_setting', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'The help-center switch per channel (R-KC-4). A missing row means enabled.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HelpContentVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('version', fields.BigIntField(default=0)),
            ],
            options={'table': 'help_content_version', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'One row whose number grows with every edit of published content. Every server process'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HelpQuestion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('category', fields.ForeignKeyField('deskql.HelpCategory', source_field='category_id', db_constraint=True, to_field='id', related_name='questions', on_delete=OnDelete.RESTRICT)),
                ('title', fields.CharField(max_length=200)),
                ('answer_markdown', fields.TextField(unique=False)),
                ('answer_html', fields.TextField(unique=False)),
                ('answer_text', fields.TextField(description='Plain text of the answer, for search', unique=False)),
                ('status', fields.CharEnumField(default=QuestionStatus.DRAFT, description='DRAFT: DRAFT\nPUBLISHED: PUBLISHED', enum_type=QuestionStatus, max_length=16)),
                ('position', fields.IntField()),
                ('view_count', fields.IntField(default=0)),
                ('helpful_count', fields.IntField(default=0)),
                ('not_helpful_count', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'help_question', 'app': 'deskql', 'indexes': [Index(fields=['category_id', 'position'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HelpQuestionRevision',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('question', fields.ForeignKeyField('deskql.HelpQuestion', source_field='question_id', db_constraint=True, to_field='id', related_name='revisions', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('title', fields.CharField(max_length=200)),
                ('answer_markdown', fields.TextField(unique=False)),
                ('author', fields.ForeignKeyField('deskql.Account', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='help_revisions', on_delete=OnDelete.SET_NULL)),
                ('restored_from', fields.IntField(null=True, description='Revision number this one restored')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'help_question_revision', 'app': 'deskql', 'unique_together': (('question', 'number'),), 'pk_attr': 'id', 'table_description': 'Every save of a question keeps one. Restoring one creates a new one.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HelpVote',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('question', fields.ForeignKeyField('deskql.HelpQuestion', source_field='question_id', db_constraint=True, to_field='id', related_name='votes', on_delete=OnDelete.CASCADE)),
                ('client_hash', fields.CharField(max_length=64)),
                ('helpful', fields.BooleanField()),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'help_vote', 'app': 'deskql', 'unique_together': (('question', 'client_hash'),), 'pk_attr': 'id', 'table_description': 'One vote per client per question. The client is a keyed hash, never the raw address.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MediaFile',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sha256', fields.CharField(unique=True, max_length=64)),
                ('content_type', fields.CharField(max_length=32)),
                ('extension', fields.CharField(max_length=8)),
                ('size', fields.IntField()),
                ('data', fields.BinaryField()),
                ('uploaded_by', fields.ForeignKeyField('deskql.Account', source_field='uploaded_by_id', null=True, db_constraint=True, to_field='id', related_name='uploads', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'media_file', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'An uploaded image, content-addressed by SHA-256 and kept in the database so every server'},
            bases=['Model'],
        ),
    ]
