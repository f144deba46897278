from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0009_call_activity')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='ChatSession',
            index=Index(fields=['agent_id', 'started_at']),
        ),
        ops.AddIndex(
            model_name='SessionTransfer',
            index=Index(fields=['session_id', 'id']),
        ),
        ops.AddIndex(
            model_name='SessionTransfer',
            index=Index(fields=['to_agent_id']),
        ),
        ops.AddIndex(
            model_name='SessionTransfer',
            index=Index(fields=['from_agent_id']),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['created_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['updated_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['assignee_id', 'created_at']),
        ),
        ops.AddIndex(
            model_name='TicketComment',
            index=Index(fields=['ticket_id', 'id']),
        ),
    ]
