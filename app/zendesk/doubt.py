"""Work whose fate is unknown: sent to Zendesk when the worker died (SIGKILL, power) or timed
out, so deskql never heard whether it arrived. Such tasks are marked in flight (``job_id``)
before they are sent and, when found so later, are not sent blindly again — a comment would
appear twice. After a grace period (a job Zendesk accepted has run by then) the ticket's
comments are read: when the comment is there the work is done, otherwise it is sent again.
Updates without a comment set the ticket's state and are simply sent again; creations are
protected by their Idempotency-Key and the external-id look-up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from app.zendesk import items, models, outbox, records
from app.zendesk.jobs import IN_FLIGHT, Round
from app.zendesk.models import TaskStatus as T

GRACE = timedelta(seconds=30)


async def mark(tasks: Sequence[models.ZendeskTask], now: datetime) -> None:
    """About to send: should the worker die before it records the answer, wait GRACE and
    check before sending again."""
    await models.ZendeskTask.filter(id__in=[t.id for t in tasks]).update(
        job_id=IN_FLIGHT, due_at=now + GRACE
    )
    for task in tasks:
        task.job_id = IN_FLIGHT


async def arrived(round_: Round, tasks: list[models.ZendeskTask]) -> bool:
    """For a key whose head is in flight: True when the work is found in Zendesk (the in-flight
    tasks are then done); False to send it again (they are cleared)."""
    doubtful = [t for t in tasks if t.status is T.PENDING and t.job_id == IN_FLIGHT]
    comment_ids = [t.payload["commentId"] for t in doubtful if t.kind == outbox.COMMENT]
    found = False
    if comment_ids and "ticketId" in doubtful[0].payload:
        link = await models.ZendeskTicket.get_or_none(ticket_id=doubtful[0].payload["ticketId"])
        expected = await records.comment_body(comment_ids)
        target = items.target(link) if link is not None else None
        if target is not None and expected is not None:
            bodies = {
                str(c.get("body") or "").strip() for c in await round_.client.comments(target)
            }
            found = expected["body"].strip() in bodies
    if found:
        await round_.done(doubtful)
        return True
    await models.ZendeskTask.filter(id__in=[t.id for t in doubtful]).update(job_id=None)
    for task in doubtful:
        task.job_id = None
    return False
