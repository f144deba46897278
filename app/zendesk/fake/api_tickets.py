"""The fake Zendesk's ticket and job routes (zendesk-api.md, "Tickets" and "Job statuses"):
create (with Idempotency-Key), list by external_id, show, show_many, update, update_many (bulk
and batch, a job), comments, and job statuses. Merges are in merges.py, uploads in uploads.py."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.zendesk.fake import tickets as tk
from app.zendesk.fake.responses import Invalid, body_of, error, invalid, not_found
from app.zendesk.fake.state import FakeZendesk


async def create_ticket(request: Request, fake: FakeZendesk) -> Response:
    raw = await request.body()
    key = request.headers.get("idempotency-key")
    if key:
        cached = fake.idempotent(key, raw)
        if cached == "mismatch":
            return error(400, "IdempotentRequestError",
                         "Request parameters don't match the given idempotency key")  # fmt: skip
        if isinstance(cached, tuple):
            return JSONResponse(cached[1], status_code=cached[0],
                                headers={"x-idempotency-lookup": "hit"})  # fmt: skip
    data = (await body_of(request)).get("ticket") or {}
    try:
        ticket = tk.create(fake, data)
    except Invalid as exc:
        return invalid(exc)
    answer = {"ticket": ticket, "audit": {"id": fake.next_id(), "ticket_id": ticket["id"]}}
    headers = {"location": ticket["url"]}
    if key:
        fake.remember(key, raw, 201, answer)
        headers["x-idempotency-lookup"] = "miss"
    return JSONResponse(answer, status_code=201, headers=headers)


async def list_tickets(request: Request, fake: FakeZendesk) -> Response:
    external = request.query_params.get("external_id")
    found = [t for t in fake.tickets.values() if external is None or t["external_id"] == external]
    return JSONResponse(
        {"tickets": found, "count": len(found), "next_page": None, "previous_page": None}
    )


async def show_ticket(request: Request, fake: FakeZendesk) -> Response:
    ticket = fake.tickets.get(int(request.path_params["id"]))
    return JSONResponse({"ticket": ticket}) if ticket else not_found()


async def show_many(request: Request, fake: FakeZendesk) -> Response:
    ids = [int(i) for i in request.query_params.get("ids", "").split(",") if i.strip().isdigit()]
    if len(ids) > 100:
        return error(400, "TooManyValues", "Too many values", max_count=100)
    return JSONResponse({"tickets": [fake.tickets[i] for i in ids if i in fake.tickets]})


async def update_ticket(request: Request, fake: FakeZendesk) -> Response:
    ticket = fake.tickets.get(int(request.path_params["id"]))
    if ticket is None:
        return not_found()
    data = (await body_of(request)).get("ticket") or {}
    try:
        tk.update(fake, ticket, data)
    except Invalid as exc:
        return invalid(exc)
    headers = {}
    if unknown := tk.unknown_keys(data):
        headers["x-zendesk-api-warn"] = json.dumps({"unpermitted_keys": unknown})
    return JSONResponse({"ticket": ticket, "audit": {"id": fake.next_id()}}, headers=headers)


async def update_many(request: Request, fake: FakeZendesk) -> Response:
    body = await body_of(request)
    if "tickets" in body:
        items = list(body["tickets"] or [])
    else:
        ids = [int(i) for i in request.query_params.get("ids", "").split(",") if i.isdigit()]
        items = [{"id": i, **(body.get("ticket") or {})} for i in ids]
    if len(items) > 100:
        return error(400, "TooManyValues", "Too many values", max_count=100)
    job = fake.new_job("bulk_update", items, lambda j: tk.apply_update_many(fake, j))
    return JSONResponse({"job_status": fake.job_view(job)})


async def ticket_comments(request: Request, fake: FakeZendesk) -> Response:
    tid = int(request.path_params["id"])
    if tid not in fake.tickets:
        return not_found()
    found = fake.comments.get(tid, [])
    return JSONResponse(
        {"comments": found, "count": len(found), "next_page": None, "previous_page": None}
    )


async def job_status(request: Request, fake: FakeZendesk) -> Response:
    job = fake.jobs.get(request.path_params["id"])
    if job is None:
        return not_found()
    return JSONResponse({"job_status": fake.job_view(job)})
