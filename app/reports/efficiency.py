"""Agent and team efficiency (R-RPT-2): inbound reception and outbound calls only, never the
transfer, consult or monitor legs."""

from __future__ import annotations

from dataclasses import dataclass

from app.db import rows
from app.reports.ranges import Range, in_range, ratio
from app.telephony.filters import CallFilter


@dataclass
class EfficiencyFigures:
    inbound_offered: int
    inbound_answered: int
    inbound_talk_seconds: int
    outbound_calls: int
    outbound_successful: int
    outbound_talk_seconds: int
    ring_seconds: int
    hold_seconds: int

    @property
    def total_talk_seconds(self) -> int:
        return self.inbound_talk_seconds + self.outbound_talk_seconds

    @property
    def answer_rate(self) -> float | None:
        return ratio(self.inbound_answered, self.inbound_offered, 100)

    @property
    def average_talk_seconds(self) -> float | None:
        return ratio(self.total_talk_seconds, self.inbound_answered + self.outbound_successful)


_EFFICIENCY_SQL = """
  SUM(CASE WHEN call_type = 'INBOUND' THEN 1 ELSE 0 END) AS inbound_offered,
  SUM(CASE WHEN call_type = 'INBOUND' AND result = 'ANSWERED' THEN 1 ELSE 0 END)
    AS inbound_answered,
  SUM(CASE WHEN call_type = 'INBOUND' THEN talk_seconds ELSE 0 END) AS inbound_talk_seconds,
  SUM(CASE WHEN call_type = 'OUTBOUND' THEN 1 ELSE 0 END) AS outbound_calls,
  SUM(CASE WHEN call_type = 'OUTBOUND' AND result = 'ANSWERED' THEN 1 ELSE 0 END)
    AS outbound_successful,
  SUM(CASE WHEN call_type = 'OUTBOUND' THEN talk_seconds ELSE 0 END) AS outbound_talk_seconds,
  SUM(ring_seconds) AS ring_seconds,
  SUM(hold_seconds) AS hold_seconds"""
_EFFICIENCY_NAMES = (
    "inbound_offered",
    "inbound_answered",
    "inbound_talk_seconds",
    "outbound_calls",
    "outbound_successful",
    "outbound_talk_seconds",
    "ring_seconds",
    "hold_seconds",
)
_SUBJECTS = ("agent_id", "team_id")


def efficiency_sql(rng: Range, flt: CallFilter, *, by: str) -> tuple[str, list]:
    if by not in _SUBJECTS:  # a column name goes into the SQL: only ours
        raise ValueError(by)
    params: list = []
    where = flt.where(params)
    sql = (
        f"SELECT {by} AS subject, {_EFFICIENCY_SQL}\nFROM call_record "
        f"WHERE {in_range(rng)} "
        f"AND call_type IN ('INBOUND', 'OUTBOUND') AND {by} IS NOT NULL{where} "
        f"GROUP BY {by} ORDER BY {by}"
    )
    return sql, params


async def efficiency(
    rng: Range, flt: CallFilter, *, by: str
) -> list[tuple[int, EfficiencyFigures]]:
    """``by`` is ``agent_id`` or ``team_id``."""
    sql, params = efficiency_sql(rng, flt, by=by)
    return [
        (row["subject"], EfficiencyFigures(**{n: int(row[n] or 0) for n in _EFFICIENCY_NAMES}))
        for row in await rows(sql, params)
    ]
