"""Merging in the fake Zendesk: ``POST /api/v2/tickets/{target}/merge`` with ``{"ids":[…],
"source_comment"?, "target_comment"?, "source_comment_is_public"?, "target_comment_is_public"?}``
answers ``{"job_status":{…}}`` (job_type ``merge_tickets``); when the job completes
(``job_delay`` of the clock later):

- each source is closed, tagged ``closed_by_merge`` and given a comment, by default the private
  note ``This request was closed and merged into request #<target>.`` (exactly that text: a
  client reads the target from it, as deskql's app/zendesk/merges.py does; a given
  ``source_comment`` replaces it, as in Zendesk, and then says what the caller wrote). The ticket
  itself carries nothing more (no field names the target, as in Zendesk). Updating a merged
  source afterwards gets the 422 any closed ticket gets.
- the target gets one comment, by default private, ``Request #A was closed and merged into this
  request.`` (``Requests #A, #B were …`` for several) or the given ``target_comment``.
- ``ticket.merged`` and then ``ticket.status_changed`` are posted to the webhook for each source.

Refusals (the choice made where Zendesk's docs are silent): an unknown target → 404
RecordNotFound; a closed target, ``ids`` missing, empty or not ids, or the target among them →
422 RecordInvalid, no job; more than 100 ids → 400 TooManyValues. A source that is unknown or
closed (or a target closed meanwhile) is found when the job runs: that item's result is
``{"index","id","error":"TicketMergeFailed","details"}`` and the other sources are merged (a
failed item does not fail the job, which still says ``completed``). Merged sources' results are
``{"id","action":"merge","status":"Merged","success":true}``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.zendesk.fake import tickets as tk
from app.zendesk.fake import webhooks
from app.zendesk.fake.responses import Invalid, body_of, error, invalid, not_found
from app.zendesk.fake.state import FakeZendesk, Job, stamp

MERGED_NOTE = "This request was closed and merged into request #{target}."
MERGED_TAG = "closed_by_merge"


def _ids(body: dict, target_id: int) -> list[int]:
    given = body.get("ids")
    if isinstance(given, str):
        given = [i for i in given.split(",") if i.strip()]
    if not isinstance(given, list) or not given:
        raise Invalid("ids", "Ids: cannot be blank")
    try:
        ids = [int(i) for i in given]
    except (TypeError, ValueError):
        raise Invalid("ids", "Ids: must be ticket ids") from None
    if target_id in ids:
        raise Invalid("ids", "Ids: a ticket cannot be merged into itself")
    return list(dict.fromkeys(ids))


async def merge(request: Request, fake: FakeZendesk) -> Response:
    target = fake.tickets.get(int(request.path_params["id"]))
    if target is None:
        return not_found()
    body = await body_of(request)
    try:
        if target["status"] == "closed":
            raise Invalid("status", "Status: closed prevents ticket update")
        ids = _ids(body, target["id"])
    except Invalid as exc:
        return invalid(exc)
    if len(ids) > 100:
        return error(400, "TooManyValues", "Too many values", max_count=100)
    options = {k: body.get(k) for k in ("source_comment", "target_comment",
                                        "source_comment_is_public", "target_comment_is_public")}  # fmt: skip
    job = fake.new_job(
        "merge_tickets", [{"id": i} for i in ids],
        lambda j: apply_merge(fake, j, target["id"], options),
    )  # fmt: skip
    return JSONResponse({"job_status": fake.job_view(job)})


def _refusal(fake: FakeZendesk, target: dict | None, source_id: int) -> str | None:
    source = fake.tickets.get(source_id)
    if target is None or target["status"] == "closed":
        return "Target ticket is closed or was deleted"
    if source is None:
        return f"Ticket {source_id} not found"
    if source["status"] == "closed":
        return f"Ticket {source_id} is closed"
    return None


def apply_merge(fake: FakeZendesk, job: Job, target_id: int, options: dict) -> list[dict]:
    target = fake.tickets.get(target_id)
    results: list[dict[str, Any]] = []
    merged: list[int] = []
    for index, item in enumerate(job.items):
        sid = int(item["id"])
        problem = _refusal(fake, target, sid)
        if problem is not None:
            results.append({"index": index, "id": sid, "error": "TicketMergeFailed",
                            "details": problem})  # fmt: skip
            continue
        source = fake.tickets[sid]
        note = options.get("source_comment") or MERGED_NOTE.format(target=target_id)
        tk.add_comment(
            fake,
            source,
            {"body": str(note), "public": bool(options.get("source_comment_is_public"))},
        )
        previous = source["status"]
        source["status"] = "closed"
        source["tags"] = [*[t for t in source["tags"] if t != MERGED_TAG], MERGED_TAG]
        source["updated_at"] = stamp(fake.clock.now())
        webhooks.merged(fake, source, target_id)
        webhooks.status_changed(fake, source, previous)
        merged.append(sid)
        results.append({"id": sid, "action": "merge", "status": "Merged", "success": True})
    if merged and target is not None:
        numbers = ", ".join(f"#{i}" for i in merged)
        default = (
            f"Request {numbers} was closed and merged into this request." if len(merged) == 1
            else f"Requests {numbers} were closed and merged into this request."
        )  # fmt: skip
        text = options.get("target_comment") or default
        tk.add_comment(
            fake,
            target,
            {"body": str(text), "public": bool(options.get("target_comment_is_public"))},
        )
        target["updated_at"] = stamp(fake.clock.now())
    return results
