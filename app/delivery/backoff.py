"""When to try again after a failure: a fixed schedule of waits with random jitter (so many
failed deliveries do not all come back at the same second), never sooner than a server's
Retry-After."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from app.parsing import whole_number

# About a day: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (27 h 35 min in all).
WEBHOOK_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 36000)


@dataclass(frozen=True)
class RetrySchedule:
    delays: Sequence[float] = WEBHOOK_SCHEDULE
    jitter: float = 0.1  # each wait is stretched or shrunk by up to this share

    def next_delay(
        self, failures: int, *, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float | None:
        """Seconds to wait after the ``failures``-th failure (1 for the first), or None when
        the schedule is used up."""
        if failures < 1 or failures > len(self.delays):
            return None
        base = self.delays[failures - 1]
        spread = (rng or random).uniform(-self.jitter, self.jitter)
        delay = base * (1 + spread)
        return max(delay, retry_after or 0.0)


def retry_after_seconds(header: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header as seconds: delta-seconds or an HTTP date; None when absent or
    unreadable (then the schedule alone decides)."""
    if not header:
        return None
    header = header.strip()
    seconds = whole_number(header, highest=7 * 24 * 3600)
    if seconds is not None:
        return float(seconds)
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def after(now: datetime, seconds: float) -> datetime:
    return now + timedelta(seconds=seconds)
