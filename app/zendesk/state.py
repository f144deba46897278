"""The sync's settings row and the state its workers share through the database: rate-limit
waits (so a second worker process never sends into a bucket the first was told to rest) and
the counters of ``zendeskSyncStatus``."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import F

from app.zendesk import models
from app.zendesk.client import Buckets


async def settings() -> models.ZendeskSettings:
    row = await models.ZendeskSettings.get_or_none(id=1)
    if row is None:
        row, _ = await models.ZendeskSettings.get_or_create(id=1)
    return row


async def shared() -> models.ZendeskState:
    row = await models.ZendeskState.get_or_none(id=1)
    if row is None:
        row, _ = await models.ZendeskState.get_or_create(id=1)
    return row


async def load_buckets(now: datetime) -> Buckets:
    row = await shared()
    blocked = {
        name: until
        for name, text in (row.blocked or {}).items()
        if (until := datetime.fromisoformat(text)) > now
    }
    routes = {route: set(names) for route, names in (row.routes or {}).items()}
    return Buckets(blocked_until=blocked, routes=routes)


async def save(
    buckets: Buckets,
    now: datetime,
    *,
    sent: int = 0,
    saved: int = 0,
    limited: int = 0,
    error: str | None = None,
) -> None:
    """Add the round's counts and merge its waits with what other workers wrote meanwhile."""
    updates: dict = {}
    if sent:
        updates["requests_sent"] = F("requests_sent") + sent
    if saved:
        updates["requests_saved"] = F("requests_saved") + saved
    if limited:
        updates["rate_limited"] = F("rate_limited") + limited
    if error is not None:
        updates["last_error"], updates["last_error_at"] = error[:2000], now
    if buckets.changed:
        row = await shared()
        blocked = {
            name: text
            for name, text in (row.blocked or {}).items()
            if datetime.fromisoformat(text) > now
        }
        for name, until in buckets.blocked_until.items():
            if until > now and (
                name not in blocked or datetime.fromisoformat(blocked[name]) < until
            ):
                blocked[name] = until.isoformat()
        routes = {route: sorted(names) for route, names in buckets.routes.items()}
        updates["blocked"], updates["routes"] = blocked, {**(row.routes or {}), **routes}
        buckets.changed = False
    if updates:
        await shared()
        await models.ZendeskState.filter(id=1).update(**updates)
