"""Satisfaction reports: five-level ratings of sessions and calls (R-SAT-1) and ticket
satisfaction (R-SAT-3)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.db import connection, db_datetime, rows
from app.reports.ranges import Range, ratio
from app.surveys.models import SatisfactionLevel

LEVELS = [level.value for level in SatisfactionLevel]


@dataclass
class SatisfactionFigures:
    participants: int
    counts: dict[str, int] = field(default_factory=dict)

    def rate(self, level: str) -> float | None:
        return ratio(self.counts.get(level, 0), self.participants, 100)


async def satisfaction(rng: Range, channel: str | None) -> SatisfactionFigures:
    conn = connection()
    params: list = [db_datetime(rng.start, conn), db_datetime(rng.end, conn)]
    where = ""
    if channel is not None:
        where = " AND channel = ?"
        params.append(str(channel))
    found = await rows(
        "SELECT level, COUNT(*) AS n FROM satisfaction_rating "
        f"WHERE rated_at >= ? AND rated_at < ?{where} GROUP BY level",
        params,
    )
    counts = {row["level"]: int(row["n"]) for row in found}
    return SatisfactionFigures(participants=sum(counts.values()), counts=counts)


@dataclass
class TicketSatisfactionFigures:
    invited: int
    rated: int
    score_sum: int
    score_counts: dict[int, int]

    @property
    def rating_rate(self) -> float | None:
        return ratio(self.rated, self.invited, 100)

    @property
    def average_score(self) -> float | None:
        return ratio(self.score_sum, self.rated)

    @property
    def good(self) -> int:
        return self.score_counts.get(5, 0)

    @property
    def medium(self) -> int:
        return self.score_counts.get(3, 0) + self.score_counts.get(4, 0)

    @property
    def bad(self) -> int:
        return self.score_counts.get(1, 0) + self.score_counts.get(2, 0)

    def rate_of(self, count: int) -> float | None:
        return ratio(count, self.rated, 100)


async def ticket_satisfaction(rng: Range) -> TicketSatisfactionFigures:
    conn = connection()
    params = [db_datetime(rng.start, conn), db_datetime(rng.end, conn)]
    found = await rows(
        "SELECT score, COUNT(*) AS n FROM ticket_satisfaction_invitation "
        "WHERE invited_at >= ? AND invited_at < ? GROUP BY score",
        params,
    )
    counts = {int(row["score"]): int(row["n"]) for row in found if row["score"] is not None}
    invited = sum(int(row["n"]) for row in found)
    return TicketSatisfactionFigures(
        invited=invited,
        rated=sum(counts.values()),
        score_sum=sum(score * n for score, n in counts.items()),
        score_counts=counts,
    )
