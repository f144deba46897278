"""Settling the update_many and merge jobs the sync sent: polled until Zendesk says they are
done; each task then done or, when its item failed, retried alone (a failed item does not fail
the job)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from app.zendesk import items, models, outbox
from app.zendesk.client import ZendeskClient, ZendeskError
from app.zendesk.models import TaskStatus as T

IN_FLIGHT = "in-flight"  # job_id of work whose fate is unknown (app/zendesk/doubt.py)
FIRST_POLL = timedelta(seconds=1)
POLL_AGAIN = timedelta(seconds=2)


class Round(Protocol):
    """What jobs.py and doubt.py use of the sync's round (app/zendesk/sync.py)."""

    client: ZendeskClient
    now: datetime
    saved: int
    stopped: bool

    async def done(self, tasks: Sequence[models.ZendeskTask]) -> None: ...

    async def failed(
        self, tasks: Sequence[models.ZendeskTask], exc: ZendeskError, *, count: bool = True
    ) -> None: ...


async def _links(tasks: Sequence[models.ZendeskTask]) -> dict[int, models.ZendeskTicket]:
    ids = [t.payload["ticketId"] for t in tasks if "ticketId" in t.payload]
    return {link.ticket_id: link for link in await models.ZendeskTicket.filter(ticket_id__in=ids)}

    # -- settling sent jobs ---------------------------------------------------------------------


async def poll(self: Round) -> None:
    """Ask about the jobs that are due to be asked about (a second after sending, then every
    two seconds while Zendesk says they run: not every round)."""
    sent = await models.ZendeskTask.filter(status=T.SENT, due_at__lte=self.now).order_by("id")
    by_job: dict[str, list[models.ZendeskTask]] = {}
    for task in sent:
        by_job.setdefault(task.job_id or "", []).append(task)
    for job_id, tasks in by_job.items():
        if self.stopped:
            return
        self.saved -= 1  # what a batch saves is counted net of asking about its job
        try:
            job = await self.client.job_status(job_id)
        except ZendeskError as exc:
            ids = [t.id for t in tasks]
            if exc.status == 404:  # gone (kept a day): did it arrive? (doubt.py) then resend
                await models.ZendeskTask.filter(id__in=ids).update(
                    status=T.PENDING, job_id=IN_FLIGHT, due_at=self.now, alone=True
                )
                continue
            # Not hearing about a job is not the job failing: it may well have run. Ask again.
            wait = getattr(exc, "wait", None) or POLL_AGAIN.total_seconds() * 5
            await models.ZendeskTask.filter(id__in=ids).update(
                due_at=self.now + timedelta(seconds=wait)
            )
            self.stopped = self.stopped or exc.status == 429
            continue
        if job.get("status") in ("queued", "working"):
            await models.ZendeskTask.filter(id__in=[t.id for t in tasks]).update(
                due_at=self.now + POLL_AGAIN
            )
            continue
        await settle(self, job, tasks)


async def settle(self: Round, job: dict, tasks: list[models.ZendeskTask]) -> None:
    if job.get("status") != "completed":
        await self.failed(tasks, ZendeskError(f"job {job.get('id')} {job.get('status')}"))
        return
    links = await _links(tasks)
    results = {int(r["id"]): r for r in job.get("results") or [] if r.get("id") is not None}
    ok: list[models.ZendeskTask] = []
    for task in tasks:
        link = links.get(int(task.payload.get("ticketId") or 0))
        result = results.get(items.target(link) or -1) if link is not None else None
        if task.kind == outbox.MERGE or (result is not None and not result.get("error")):
            ok.append(task)
        else:
            error = (result or {}).get("details") or (result or {}).get("error") or "no result"
            # Retried alone (a 4xx there dead-letters it with Zendesk's own answer).
            await self.failed([task], ZendeskError(f"batch item failed: {error}", retryable=True))
    await self.done(ok)
