"""The fake Zendesk's in-memory account: tickets with comments, users with identities, ticket
fields, jobs and idempotency keys, all timed by an injected clock (tests move a ManualClock)."""

from __future__ import annotations

import hashlib
import itertools
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from app.delivery.clock import Clock, SystemClock

PLANS = {"team": 200, "growth": 400, "professional": 400, "enterprise": 700}
STATUSES = ("new", "open", "pending", "hold", "solved", "closed")
IDEMPOTENCY_TTL = timedelta(hours=2)


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Job:
    id: str
    job_type: str
    created: datetime
    items: list[dict]
    results: list[dict] = field(default_factory=list)
    applied: bool = False


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
    tickets: dict[int, dict] = field(default_factory=dict)
    comments: dict[int, list[dict]] = field(default_factory=dict)
    users: dict[int, dict] = field(default_factory=dict)
    identities: dict[int, list[dict]] = field(default_factory=dict)
    ticket_fields: dict[int, dict] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    idempotency: dict[str, tuple[str, datetime, int, dict]] = field(default_factory=dict)
    requests: list[tuple[str, str, datetime]] = field(default_factory=list)
    window: tuple[int, int] = (0, 0)  # (minute, requests in it)
    blocked_until: datetime | None = None
    early_requests: int = 0
    sent_429: int = 0

    def __post_init__(self) -> None:
        self._ids = itertools.count(1000)
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

    # -- rate limit (fixed one-minute windows of the clock) -----------------------------------

    def count(self, method: str, path: str) -> tuple[int, int, int | None]:
        """(limit, remaining, retry_after or None) for one request."""
        now = self.clock.now()
        self.requests.append((method, path, now))
        if self.blocked_until is not None and now < self.blocked_until:
            self.early_requests += 1
        minute = int(now.timestamp() // 60)
        used = self.window[1] + 1 if self.window[0] == minute else 1
        self.window = (minute, used)
        reset = 60 - int(now.timestamp()) % 60
        if used > self.limit:
            self.sent_429 += 1
            self.blocked_until = now + timedelta(seconds=reset)
            return self.limit, 0, reset
        return self.limit, self.limit - used, None

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

    def new_job(self, job_type: str, items: list[dict]) -> Job:
        job = Job(
            id="V3-" + secrets.token_hex(16), job_type=job_type, created=self.clock.now(),
            items=items,
        )  # fmt: skip
        self.jobs[job.id] = job
        return job

    def job_view(self, job: Job, apply: Any) -> dict:
        elapsed = (self.clock.now() - job.created).total_seconds()
        if elapsed >= self.job_delay and not job.applied:
            job.results = apply(job)
            job.applied = True
        status = (
            "completed" if job.applied else "working" if elapsed >= self.job_delay / 2 else "queued"
        )
        return {
            "id": job.id,
            "url": f"{self.base_url}/api/v2/job_statuses/{job.id}.json",
            "job_type": job.job_type,
            "status": status,
            "total": len(job.items),
            "progress": len(job.items) if job.applied else 0,
            "message": "Completed at " + stamp(self.clock.now()) if job.applied else None,
            "results": job.results if job.applied else None,
        }
