from tortoise import migrations
from tortoise.migrations import operations as ops
from app.channels import Channel
from app.directory.models import ContactFieldType
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0011_routing')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BotEvaluationTag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('label_zh', fields.CharField(max_length=32)),
                ('label_en', fields.CharField(max_length=64)),
                ('position', fields.IntField()),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'bot_evaluation_tag', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'A tag a customer attaches to a rating of the bot (R-SAT-4). Archived tags stay counted.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ContactField',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, description='Stable key for integrations', max_length=64)),
                ('name', fields.CharField(max_length=64)),
                ('type', fields.CharEnumField(description='TEXT: TEXT\nNUMBER: NUMBER\nDATE: DATE\nSELECT: SELECT\nMULTI_SELECT: MULTI_SELECT', enum_type=ContactFieldType, max_length=16)),
                ('options', fields.JSONField(default=list, description='The choices of SELECT and MULTI_SELECT', encoder=JSON_DUMPS, decoder=loads)),
                ('position', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'contact_field', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'A custom contact field admins define and agents see in their workspace (R-QC-3).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ContactFieldValue',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact', fields.ForeignKeyField('deskql.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='field_values', on_delete=OnDelete.CASCADE)),
                ('field', fields.ForeignKeyField('deskql.ContactField', source_field='field_id', db_constraint=True, to_field='id', related_name='values', on_delete=OnDelete.CASCADE)),
                ('value', fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'contact_field_value', 'app': 'deskql', 'unique_together': (('contact', 'field'),), 'pk_attr': 'id', 'table_description': "One contact's value of one custom field, JSON encoded by the field's type."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HelpCategoryTranslation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('category', fields.ForeignKeyField('deskql.HelpCategory', source_field='category_id', db_constraint=True, to_field='id', related_name='translations', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=16)),
                ('name', fields.CharField(max_length=64)),
                ('description', fields.CharField(default='', max_length=500)),
                ('source_version', fields.IntField(description='The category text_version it translates')),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'help_category_translation', 'app': 'deskql', 'unique_together': (('category', 'locale'),), 'pk_attr': 'id', 'table_description': "A category's name and description in one locale other than the primary."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HelpLocaleSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('primary_locale', fields.CharField(default='zh-CN', max_length=16)),
                ('locales', fields.JSONField(default=list, description='Offered translation locales, primary excluded', encoder=JSON_DUMPS, decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'help_locale_settings', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'The single row of help-center locales (R-KC-6). Missing means zh-CN and no translations.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HelpQuestionTranslation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('question', fields.ForeignKeyField('deskql.HelpQuestion', source_field='question_id', db_constraint=True, to_field='id', related_name='translations', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=16)),
                ('title', fields.CharField(max_length=200)),
                ('answer_markdown', fields.TextField(unique=False)),
                ('answer_html', fields.TextField(unique=False)),
                ('answer_text', fields.TextField(description='Plain text of the answer, for search', unique=False)),
                ('source_version', fields.IntField(description='The question text_version it translates')),
                ('author', fields.ForeignKeyField('deskql.Account', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'help_question_translation', 'app': 'deskql', 'unique_together': (('question', 'locale'),), 'indexes': [Index(fields=['locale', 'question_id'])], 'pk_attr': 'id', 'table_description': "A question's title and answer in one locale other than the primary."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RatingChannelSetting',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.CharEnumField(unique=True, description='PHONE: PHONE\nEMAIL: EMAIL\nSDK: SDK\nWEB: WEB\nH5: H5\nWECHAT: WECHAT\nWECHAT_OA: WECHAT_OA\nMINI_PROGRAM: MINI_PROGRAM\nAPI: API', enum_type=Channel, max_length=16)),
                ('enabled', fields.BooleanField(default=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'rating_channel_setting', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'The rating switch of one channel (R-SAT-4). A missing row means on.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RatingTag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rating', fields.ForeignKeyField('deskql.SatisfactionRating', source_field='rating_id', db_constraint=True, to_field='id', related_name='tags', on_delete=OnDelete.CASCADE)),
                ('tag', fields.ForeignKeyField('deskql.BotEvaluationTag', source_field='tag_id', db_constraint=True, to_field='id', related_name='ratings', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'rating_tag', 'app': 'deskql', 'unique_together': (('rating', 'tag'),), 'indexes': [Index(fields=['tag_id', 'rating_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='ChatSession',
            name='channel',
            field=fields.CharEnumField(description='PHONE: PHONE\nEMAIL: EMAIL\nSDK: SDK\nWEB: WEB\nH5: H5\nWECHAT: WECHAT\nWECHAT_OA: WECHAT_OA\nMINI_PROGRAM: MINI_PROGRAM\nAPI: API', enum_type=Channel, max_length=16),
        ),
        ops.AddField(
            model_name='HelpCategory',
            name='text_version',
            field=fields.IntField(default=1, description='Grows when the name or description changes (translations compare)'),
        ),
        ops.AddField(
            model_name='HelpQuestion',
            name='text_version',
            field=fields.IntField(default=1, description='Grows when the title or answer changes (translations compare)'),
        ),
        ops.AlterField(
            model_name='SatisfactionRating',
            name='channel',
            field=fields.CharEnumField(description='PHONE: PHONE\nEMAIL: EMAIL\nSDK: SDK\nWEB: WEB\nH5: H5\nWECHAT: WECHAT\nWECHAT_OA: WECHAT_OA\nMINI_PROGRAM: MINI_PROGRAM\nAPI: API', enum_type=Channel, max_length=16),
        ),
        ops.AddField(
            model_name='SatisfactionRating',
            name='by_bot',
            field=fields.BooleanField(default=False, description="The rating is of the bot's service (a session without agent)"),
        ),
        ops.AlterField(
            model_name='Ticket',
            name='channel',
            field=fields.CharEnumField(default=Channel.WEB, description='PHONE: PHONE\nEMAIL: EMAIL\nSDK: SDK\nWEB: WEB\nH5: H5\nWECHAT: WECHAT\nWECHAT_OA: WECHAT_OA\nMINI_PROGRAM: MINI_PROGRAM\nAPI: API', enum_type=Channel, max_length=16),
        ),
        ops.AlterField(
            model_name='TicketSatisfactionInvitation',
            name='channel',
            field=fields.CharEnumField(description='PHONE: PHONE\nEMAIL: EMAIL\nSDK: SDK\nWEB: WEB\nH5: H5\nWECHAT: WECHAT\nWECHAT_OA: WECHAT_OA\nMINI_PROGRAM: MINI_PROGRAM\nAPI: API', enum_type=Channel, max_length=16),
        ),
        # The four bot evaluation tags of R-SAT-4, editable afterwards.
        ops.RunSQL(
            "INSERT INTO bot_evaluation_tag (label_zh, label_en, position, active, created_at, "
            "updated_at) VALUES "
            "('回答错误', 'Wrong answer', 1, TRUE, '2026-12-05 00:00:00+00:00', '2026-12-05 00:00:00+00:00'), "
            "('回答不好', 'Poor answer', 2, TRUE, '2026-12-05 00:00:00+00:00', '2026-12-05 00:00:00+00:00'), "
            "('无法回答', 'Unanswerable', 3, TRUE, '2026-12-05 00:00:00+00:00', '2026-12-05 00:00:00+00:00'), "
            "('不礼貌', 'Impolite', 4, TRUE, '2026-12-05 00:00:00+00:00', '2026-12-05 00:00:00+00:00')",
            reverse_sql="DELETE FROM bot_evaluation_tag",
        ),
    ]
