"""The fake Zendesk's HTTP API (Starlette): the routes of ../shared/spec/zendesk-api.md that
deskql's sync uses, with Zendesk's auth, envelopes and rate-limit headers; ``.json`` optional.

Every API request goes through :func:`wrap`, in this order: jobs that are due complete
(state.py); the early-request check (limits.py); ``latency``; downtime and storm (knobs.py);
auth (401 ``{"error":"Couldn't authenticate you"}``); the account's limit; ``error_rate``'s 503;
the route's endpoint buckets; on job-creating routes, the 30 jobs in flight; the handler. The
answer then gets the account's headers, the buckets' ``zendesk-ratelimit-<name>`` headers (and
``zendesk-ratelimit-inflight-jobs`` on job-creating routes), and the webhook deliveries its
changes caused are started (webhooks.py). Nothing a refused or failed request would have
changed is applied.

Routes outside Zendesk's API: ``GET /__fake__/stats`` (counters), ``GET|PUT /__fake__/knobs``
(knobs.py), ``GET /__fake__/webhooks`` (the deliveries, once those under way have ended) — no
auth, not counted, never failed — and ``GET /attachments/token/{t}/`` (an upload's bytes,
uploads.py)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from app.zendesk.fake import api_tickets as tickets
from app.zendesk.fake import api_users as users
from app.zendesk.fake import knobs, limits, merges, uploads, webhooks
from app.zendesk.fake.state import FakeZendesk

Handler = Callable[[Request, FakeZendesk], Awaitable[Response]]


@dataclass(frozen=True)
class Spec:
    """A route's handler, the endpoint buckets it counts into, and whether it makes a job."""

    handler: Handler
    limits: tuple[limits.Limit, ...] = ()
    job: bool = False


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


def _too_many_jobs(headers: dict[str, str], value: str, wait: int) -> Response:
    return JSONResponse(
        {"error": "TooManyJobs",
         "description": f"Number of allowed concurrent jobs ({limits.MAX_JOBS_IN_FLIGHT}) exceeded. "
                        "Wait for queued or running jobs to complete."},
        status_code=429,
        headers={**headers, f"zendesk-ratelimit-{limits.INFLIGHT}": value, "retry-after": str(wait)},
    )  # fmt: skip


def wrap(spec: Spec, fake: FakeZendesk) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        fake.run_due_jobs()
        webhooks.dispatch(fake)
        fake.requests.append((request.method, request.url.path, fake.clock.now()))
        keyed = []
        for limit in spec.limits:
            key = await limit.key(request) if limit.key else ""
            if key is not None:
                keyed.append((limit, key))
        buckets = [(limits.ACCOUNT, ""), *((limit.name, key) for limit, key in keyed)]
        limits.note_early(fake, buckets + [(limits.INFLIGHT, "")] * spec.job)
        if fake.latency > 0:
            await asyncio.sleep(fake.latency)
        if (refused := knobs.outage(fake)) is not None:
            return refused
        if not authorised(request, fake):
            return JSONResponse({"error": "Couldn't authenticate you"}, status_code=401)
        headers, retry_after = limits.account(fake)
        if retry_after is not None:
            return PlainTextResponse(limits.PER_MINUTE, status_code=429,
                                     headers={**headers, "retry-after": str(retry_after)})  # fmt: skip
        if (failed := knobs.failure(fake)) is not None:
            failed.headers.update(headers)
            return failed
        bucket_headers, empty = limits.endpoint(fake, keyed)
        headers.update(bucket_headers)
        if empty is not None:
            return PlainTextResponse(empty[0].message, status_code=429,
                                     headers={**headers, "retry-after": str(empty[2])})  # fmt: skip
        if spec.job:
            value, remaining, resets = limits.jobs_header(fake)
            if remaining == 0:
                limits.refuse(fake, limits.INFLIGHT, "", resets)
                return _too_many_jobs(headers, value, resets)
        response = await spec.handler(request, fake)
        if spec.job and response.status_code < 300:
            headers[f"zendesk-ratelimit-{limits.INFLIGHT}"] = limits.jobs_header(fake)[0]
        response.headers.update(headers)
        webhooks.dispatch(fake)
        return response

    return endpoint


def _fake_routes(fake: FakeZendesk) -> list[Route]:
    async def stats(request: Request) -> Response:
        fake.run_due_jobs()
        return JSONResponse({
            "requests": len(fake.requests), "early_requests": fake.early_requests,
            "early_by_bucket": fake.early_by_bucket, "sent_429": fake.sent_429,
            "limited": fake.limited, "sent_503": fake.sent_503,
            "jobs_in_flight": len(fake.in_flight()),
            "webhook_deliveries": len(fake.webhook_deliveries),
        })  # fmt: skip

    async def knob_route(request: Request) -> Response:
        return await knobs.knobs_route(request, fake)

    async def deliveries(request: Request) -> Response:
        fake.run_due_jobs()
        await webhooks.flush(fake)
        return JSONResponse({"deliveries": fake.webhook_deliveries})

    async def content(request: Request) -> Response:
        return await uploads.content(request, fake)

    return [
        Route("/__fake__/stats", stats),
        Route("/__fake__/knobs", knob_route, methods=["GET", "PUT"]),
        Route("/__fake__/webhooks", deliveries),
        Route("/attachments/token/{token}/", content),
        Route("/attachments/token/{token}", content),
    ]


def create_app(fake: FakeZendesk) -> Starlette:
    def route(path: str, methods: list[str], spec: Spec) -> list[Route]:
        full = "/api/v2" + path
        return [Route(full + ".json", wrap(spec, fake), methods=methods),
                Route(full, wrap(spec, fake), methods=methods)]  # fmt: skip

    routes = [
        *route("/tickets/show_many", ["GET"], Spec(tickets.show_many)),
        *route("/tickets/update_many", ["PUT"],
               Spec(tickets.update_many, limits.TICKETS_UPDATE_MANY, job=True)),
        *route("/tickets/{id:int}/merge", ["POST"], Spec(merges.merge, job=True)),
        *route("/tickets/{id:int}/comments", ["GET"], Spec(tickets.ticket_comments)),
        *route("/tickets/{id:int}", ["GET"], Spec(tickets.show_ticket)),
        *route("/tickets/{id:int}", ["PUT"], Spec(tickets.update_ticket, limits.TICKETS_UPDATE)),
        *route("/tickets", ["GET"], Spec(tickets.list_tickets)),
        *route("/tickets", ["POST"], Spec(tickets.create_ticket)),
        *route("/job_statuses/{id}", ["GET"], Spec(tickets.job_status)),
        *route("/users/create_or_update", ["POST"],
               Spec(users.create_or_update_user, limits.USERS_CREATE_OR_UPDATE)),
        *route("/users/search", ["GET"], Spec(users.search_users)),
        *route("/users/{id:int}/identities", ["GET", "POST"], Spec(users.identities)),
        *route("/users/{id:int}", ["GET"], Spec(users.show_user)),
        *route("/search", ["GET"], Spec(users.search)),
        *route("/ticket_fields", ["GET", "POST"], Spec(users.ticket_fields)),
        *route("/uploads", ["POST"], Spec(uploads.create_upload)),
        *route("/uploads/{token}", ["DELETE"], Spec(uploads.delete_upload)),
        *route("/attachments/{id:int}", ["GET"], Spec(uploads.show_attachment)),
        *_fake_routes(fake),
    ]  # fmt: skip
    return Starlette(routes=routes)
