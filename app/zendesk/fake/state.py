"""The fake Zendesk's in-memory account: tickets with comments, users with identities, ticket
fields, uploads, jobs and idempotency keys, all timed by an injected clock (tests move a
ManualClock; nothing here reads the system time).

Jobs (update_many, merge) complete ``job_delay`` seconds of the clock after they were made: their
changes are applied, and their webhooks sent, by the first request the fake receives at or after
that instant (:meth:`FakeZendesk.run_due_jobs`, called before every request is answered). Seen
from outside this is what Zendesk does, since the status of a job can only be seen by asking.
Jobs are kept a day, then ``GET /job_statuses/{id}`` answers 404.

The knobs (``latency``, ``error_rate``, ``seed``, ``storm_until``, ``down_until``,
``search_delay``, ``job_delay``, ``plan``, ``account_limit``, ``webhook_url``,
``webhook_secret``) are plain attributes: set at construction, through ``PUT /__fake__/knobs``
(app/zendesk/fake/knobs.py) or by the flags of ``deskql zendesk-fake``."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.delivery.clock import Clock, SystemClock

# Account-wide requests per minute by plan (Enterprise Plus includes the High Volume add-on).
PLANS = {"team": 200, "growth": 400, "professional": 400, "enterprise": 700,
         "enterprise_plus": 2500, "high_volume": 2500}  # fmt: skip
HIGH_VOLUME = {"enterprise_plus", "high_volume"}
STATUSES = ("new", "open", "pending", "hold", "solved", "closed")
IDEMPOTENCY_TTL = timedelta(hours=2)
JOB_TTL = timedelta(days=1)
UPLOAD_TTL = timedelta(minutes=60)


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Job:
    id: str
    job_type: str
    created: datetime
    items: list[dict]
    apply: Callable[[Job], list[dict]] = field(repr=False, default=lambda job: [])
    results: list[dict] = field(default_factory=list)
    applied: bool = False
    completed: datetime | None = None


@dataclass
class FakeZendesk:
    clock: Clock = field(default_factory=SystemClock)
    plan: str = "team"
    email: str = "agent@example.com"
    token: str = "fake-token"
    job_delay: float = 0.5
    search_delay: float = 0.0
    account_limit: int | None = None
    base_url: str = "http://127.0.0.1"
    # -- knobs for tests and demos (see app/zendesk/fake/knobs.py) --------------------------------
    latency: float = 0.0  # real seconds added to every API answer
    error_rate: float = 0.0  # share of API requests answered 503 (nothing applied)
    seed: int = 0  # of the random draws deciding which requests fail
    storm_until: datetime | None = None  # every API request 429 until then
    down_until: datetime | None = None  # every API request a load balancer's 503 until then
    webhook_url: str | None = None  # where status changes and merges are posted
    webhook_secret: str | None = None  # the webhook's signing secret
    # -- the account ---------------------------------------------------------------------------
    tickets: dict[int, dict] = field(default_factory=dict)
    comments: dict[int, list[dict]] = field(default_factory=dict)
    users: dict[int, dict] = field(default_factory=dict)
    identities: dict[int, list[dict]] = field(default_factory=dict)
    ticket_fields: dict[int, dict] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    idempotency: dict[str, tuple[str, datetime, int, dict]] = field(default_factory=dict)
    # token -> {"expires": datetime, "attachments": [attachment ids]}
    uploads: dict[str, dict] = field(default_factory=dict)
    attachments: dict[int, dict] = field(default_factory=dict)  # as Zendesk shows them
    attachment_bytes: dict[int, bytes] = field(default_factory=dict)
    content_tokens: dict[str, int] = field(default_factory=dict)  # content_url token -> id
    # -- traffic (app/zendesk/fake/limits.py) --------------------------------------------------
    requests: list[tuple[str, str, datetime]] = field(default_factory=list)
    window: tuple[int, int] = (0, 0)  # the account's (minute, requests in it)
    buckets: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    blocked: dict[tuple[str, str], datetime] = field(default_factory=dict)  # Retry-After given
    early_requests: int = 0
    early_by_bucket: dict[str, int] = field(default_factory=dict)
    sent_429: int = 0
    limited: dict[str, int] = field(default_factory=dict)  # 429s by bucket
    sent_503: int = 0
    # -- webhooks (app/zendesk/fake/webhooks.py) -----------------------------------------------
    outbox: list[dict] = field(default_factory=list)  # events not yet handed to a delivery
    webhook_deliveries: list[dict] = field(default_factory=list)
    delivering: asyncio.Task | None = field(default=None, repr=False)  # the last delivery

    def __post_init__(self) -> None:
        self._ids = itertools.count(1000)
        self.rng = random.Random(self.seed)
        self.agent_id = self.next_id()
        now = self.clock.now()
        self.users[self.agent_id] = self._user(
            {"name": "API agent", "email": self.email, "role": "admin"}, now
        )

    @property
    def limit(self) -> int:
        return self.account_limit or PLANS.get(self.plan, 200)

    def next_id(self) -> int:
        return next(self._ids)

    def reseed(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)

    # -- records --------------------------------------------------------------------------------

    def _user(self, data: dict, now: datetime) -> dict:
        uid = data.get("id") or self.next_id()
        return {
            "id": uid,
            "url": f"{self.base_url}/api/v2/users/{uid}.json",
            "name": data.get("name") or "",
            "email": (data.get("email") or None),
            "external_id": data.get("external_id"),
            "role": data.get("role") or "end-user",
            "phone": data.get("phone"),
            "created_at": stamp(now),
            "updated_at": stamp(now),
        }

    def create_or_update_user(self, data: dict) -> tuple[dict, bool]:
        now = self.clock.now()
        for user in self.users.values():
            same_email = (
                data.get("email") and (user["email"] or "").lower() == data["email"].lower()
            )
            same_ext = (
                data.get("external_id")
                and (user["external_id"] or "").lower() == str(data["external_id"]).lower()
            )
            if same_email or same_ext:
                for key in ("name", "email", "external_id", "phone"):
                    if data.get(key):
                        user[key] = data[key]
                user["updated_at"] = stamp(now)
                return user, False
        user = self._user(data, now)
        self.users[user["id"]] = user
        self.identities[user["id"]] = []
        if user["email"]:
            self.add_identity(user["id"], "email", user["email"])
        for identity in data.get("identities") or []:
            self.add_identity(user["id"], identity.get("type", ""), identity.get("value", ""))
        if data.get("phone"):
            self.add_identity(user["id"], "phone_number", data["phone"])
        return user, True

    def add_identity(self, user_id: int, kind: str, value: str) -> dict:
        identity = {
            "id": self.next_id(),
            "user_id": user_id,
            "type": kind,
            "value": value,
            "verified": False,
            "primary": not self.identities.get(user_id),
            "created_at": stamp(self.clock.now()),
        }
        self.identities.setdefault(user_id, []).append(identity)
        return identity

    def searchable(self, record: dict) -> bool:
        created = datetime.fromisoformat(record["created_at"].replace("Z", "+00:00"))
        return self.clock.now() >= created + timedelta(seconds=self.search_delay)

    def phones(self, user_id: int) -> list[str]:
        return [
            i["value"].lstrip("+") for i in self.identities.get(user_id, [])
            if i["type"] == "phone_number"
        ]  # fmt: skip

    def idempotent(self, key: str, body: bytes) -> tuple[int, dict] | str | None:
        """A cached answer, "mismatch", or None (first use)."""
        now = self.clock.now()
        digest = hashlib.sha256(body).hexdigest()
        known = self.idempotency.get(key)
        if known is None or known[1] + IDEMPOTENCY_TTL < now:
            return None
        if known[0] != digest:
            return "mismatch"
        return known[2], known[3]

    def remember(self, key: str, body: bytes, status: int, answer: dict) -> None:
        digest = hashlib.sha256(body).hexdigest()
        self.idempotency[key] = (digest, self.clock.now(), status, answer)

    # -- jobs -----------------------------------------------------------------------------------

    def new_job(self, job_type: str, items: list[dict], apply: Callable[[Job], list[dict]]) -> Job:
        job = Job(
            id="V3-" + secrets.token_hex(16), job_type=job_type, created=self.clock.now(),
            items=items, apply=apply,
        )  # fmt: skip
        self.jobs[job.id] = job
        return job

    def run_due_jobs(self) -> None:
        """Complete the jobs whose time has come, oldest first; forget those over a day old."""
        now = self.clock.now()
        for job in list(self.jobs.values()):
            due = job.created + timedelta(seconds=self.job_delay)
            if not job.applied and now >= due:
                job.results = job.apply(job)
                job.applied, job.completed = True, due
            if job.applied and now - job.created > JOB_TTL:
                del self.jobs[job.id]

    def in_flight(self) -> list[Job]:
        """The queued and working jobs, oldest first."""
        return [job for job in self.jobs.values() if not job.applied]

    def job_view(self, job: Job) -> dict:
        self.run_due_jobs()
        elapsed = (self.clock.now() - job.created).total_seconds()
        status = (
            "completed" if job.applied else "working" if elapsed >= self.job_delay / 2 else "queued"
        )
        return {
            "id": job.id,
            "url": f"{self.base_url}/api/v2/job_statuses/{job.id}.json",
            "job_type": job.job_type,
            "status": status,
            "total": len(job.items),
            "progress": len(job.items) if job.applied else 0 if status == "working" else None,
            "message": (
                f"Completed at {job.completed:%Y-%m-%d %H:%M:%S} +0000" if job.completed else None
            ),
            "results": job.results if job.applied else None,
        }
