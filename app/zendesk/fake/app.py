"""The fake Zendesk's HTTP API (Starlette): the routes of ../shared/spec/zendesk-api.md that
deskql's sync uses, with Zendesk's auth, envelopes and rate-limit headers; ``.json`` optional.
``GET /__fake__/stats`` is the one non-Zendesk route (counts for tests)."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from app.zendesk.fake import tickets as tk
from app.zendesk.fake.state import FakeZendesk

Handler = Callable[[Request, FakeZendesk], Awaitable[Response]]


def error(status: int, name: str, description: str, **extra: object) -> JSONResponse:
    return JSONResponse({"error": name, "description": description, **extra}, status_code=status)


def invalid(exc: tk.Invalid) -> JSONResponse:
    return error(422, "RecordInvalid", "Record validation errors",
                 details={exc.field: [{"description": exc.description, "error": "InvalidValue"}]})  # fmt: skip


def not_found() -> JSONResponse:
    return error(404, "RecordNotFound", "Not found")


async def body_of(request: Request) -> dict:
    try:
        data = json.loads(await request.body() or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


# -- tickets ------------------------------------------------------------------------------------


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
    except tk.Invalid as exc:
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
    except tk.Invalid as exc:
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
    job = fake.new_job("bulk_update", items)
    return JSONResponse({"job_status": fake.job_view(job, lambda j: tk.apply_update_many(fake, j))})


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
    return JSONResponse({"job_status": fake.job_view(job, lambda j: tk.apply_update_many(fake, j))})


# -- users, search, fields ----------------------------------------------------------------------


async def create_or_update_user(request: Request, fake: FakeZendesk) -> Response:
    data = (await body_of(request)).get("user") or {}
    if not data.get("name"):
        return invalid(tk.Invalid("name", "Name: is too short"))
    user, created = fake.create_or_update_user(data)
    return JSONResponse({"user": user}, status_code=201 if created else 200)


async def show_user(request: Request, fake: FakeZendesk) -> Response:
    user = fake.users.get(int(request.path_params["id"]))
    return JSONResponse({"user": user}) if user else not_found()


async def search_users(request: Request, fake: FakeZendesk) -> Response:
    external = request.query_params.get("external_id")
    query = (request.query_params.get("query") or "").lower()
    found = [
        u for u in fake.users.values()
        if (external is not None and (u["external_id"] or "") == external)
        or (query and query in f"{u['name']} {u['email'] or ''} {u['external_id'] or ''}".lower())
    ]  # fmt: skip
    return JSONResponse(
        {"users": found, "count": len(found), "next_page": None, "previous_page": None}
    )


async def identities(request: Request, fake: FakeZendesk) -> Response:
    uid = int(request.path_params["id"])
    if uid not in fake.users:
        return not_found()
    if request.method == "POST":
        data = (await body_of(request)).get("identity") or {}
        identity = fake.add_identity(uid, str(data.get("type")), str(data.get("value")))
        return JSONResponse({"identity": identity}, status_code=201)
    return JSONResponse(
        {"identities": fake.identities.get(uid, []), "count": len(fake.identities.get(uid, []))}
    )


def _matches(fake: FakeZendesk, user: dict, terms: list[str]) -> bool:
    for term in terms:
        name, _, value = term.partition(":")
        if name == "type" and value != "user":
            return False
        if name == "role" and user["role"] != value:
            return False
        if name == "email" and (user["email"] or "").lower() != value.lower():
            return False
        if name == "external_id" and (user["external_id"] or "") != value:
            return False
        if name == "phone":
            phones = fake.phones(user["id"])
            if value.startswith("*"):
                if not any(p.endswith(value[1:]) for p in phones):
                    return False
            elif value not in phones:
                return False
    return True


async def search(request: Request, fake: FakeZendesk) -> Response:
    terms = (request.query_params.get("query") or "").split()
    results = [
        {**u, "result_type": "user"} for u in fake.users.values()
        if fake.searchable(u) and _matches(fake, u, terms)
    ]  # fmt: skip
    return JSONResponse({"results": results, "count": len(results), "next_page": None,
                         "previous_page": None, "facets": None})  # fmt: skip


async def ticket_fields(request: Request, fake: FakeZendesk) -> Response:
    if request.method == "POST":
        data = (await body_of(request)).get("ticket_field") or {}
        if data.get("type") not in {"text", "textarea", "checkbox", "date", "integer", "decimal",
                                    "regexp", "partialcreditcard", "tagger", "multiselect", "lookup"}:  # fmt: skip
            return invalid(tk.Invalid("type", "Type: is not valid"))
        fid = fake.next_id()
        field = {"id": fid, "url": f"{fake.base_url}/api/v2/ticket_fields/{fid}.json",
                 "type": data["type"], "title": data.get("title") or "", "active": True}  # fmt: skip
        fake.ticket_fields[fid] = field
        return JSONResponse({"ticket_field": field}, status_code=201)
    return JSONResponse(
        {"ticket_fields": list(fake.ticket_fields.values()), "count": len(fake.ticket_fields)}
    )


# -- the frame: auth, limits, routes -------------------------------------------------------------


def authorised(request: Request, fake: FakeZendesk) -> bool:
    header = request.headers.get("authorization", "")
    if header.startswith("Bearer "):
        return bool(header[7:].strip())
    if not header.startswith("Basic "):
        return False
    try:
        decoded = base64.b64decode(header[6:]).decode()
    except ValueError:
        return False
    return decoded == f"{fake.email}/token:{fake.token}"


def wrap(handler: Handler, fake: FakeZendesk) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        if not authorised(request, fake):
            return JSONResponse({"error": "Couldn't authenticate you"}, status_code=401)
        limit, remaining, retry_after = fake.count(request.method, request.url.path)
        headers = {"x-rate-limit": str(limit), "x-rate-limit-remaining": str(remaining),
                   "ratelimit-limit": str(limit), "ratelimit-remaining": str(remaining)}  # fmt: skip
        if retry_after is not None:
            return PlainTextResponse("Number of allowed API requests per minute exceeded",
                                     status_code=429, headers={**headers, "retry-after": str(retry_after)})  # fmt: skip
        response = await handler(request, fake)
        response.headers.update(headers)
        return response

    return endpoint


async def stats(fake: FakeZendesk) -> JSONResponse:
    return JSONResponse({"requests": len(fake.requests), "early_requests": fake.early_requests,
                         "sent_429": fake.sent_429})  # fmt: skip


def create_app(fake: FakeZendesk) -> Starlette:
    def route(path: str, handler: Handler, methods: list[str]) -> list[Route]:
        full = "/api/v2" + path
        return [Route(full + ".json", wrap(handler, fake), methods=methods),
                Route(full, wrap(handler, fake), methods=methods)]  # fmt: skip

    routes = [
        *route("/tickets/show_many", show_many, ["GET"]),
        *route("/tickets/update_many", update_many, ["PUT"]),
        *route("/tickets/{id:int}/comments", ticket_comments, ["GET"]),
        *route("/tickets/{id:int}", show_ticket, ["GET"]),
        *route("/tickets/{id:int}", update_ticket, ["PUT"]),
        *route("/tickets", list_tickets, ["GET"]),
        *route("/tickets", create_ticket, ["POST"]),
        *route("/job_statuses/{id}", job_status, ["GET"]),
        *route("/users/create_or_update", create_or_update_user, ["POST"]),
        *route("/users/search", search_users, ["GET"]),
        *route("/users/{id:int}/identities", identities, ["GET", "POST"]),
        *route("/users/{id:int}", show_user, ["GET"]),
        *route("/search", search, ["GET"]),
        *route("/ticket_fields", ticket_fields, ["GET", "POST"]),
        Route("/__fake__/stats", lambda request: stats(fake)),
    ]
    return Starlette(routes=routes)
