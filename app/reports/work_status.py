"""The agent work-status report (R-RPT-2): every leg the agent was on (consulted, transferred,
monitor, barge-in and force-disconnect legs included), and their status time clipped to the
range. Utilization = (talk + idle + after-call work) / online time x 100."""

from __future__ import annotations

from dataclasses import dataclass

from app.db import connection, is_postgres, rows
from app.reports.ranges import Range, in_range, ratio
from app.telephony.filters import CallFilter


@dataclass
class WorkStatusFigures:
    legs: int = 0
    ring_seconds: int = 0
    talk_seconds: int = 0
    sub_leg_talk_seconds: int = 0
    online_seconds: int = 0
    idle_seconds: int = 0
    busy_seconds: int = 0
    acw_seconds: int = 0
    break_seconds: int = 0

    @property
    def utilization(self) -> float | None:
        return ratio(
            self.talk_seconds + self.idle_seconds + self.acw_seconds, self.online_seconds, 100
        )


_STATUS_NAMES = ("online_seconds", "idle_seconds", "busy_seconds", "acw_seconds", "break_seconds")


async def work_status(rng: Range, flt: CallFilter) -> list[tuple[int, WorkStatusFigures]]:
    least, greatest = ("LEAST", "GREATEST") if is_postgres(connection()) else ("MIN", "MAX")
    params: list = []
    where = flt.where(params, team_via_membership=True)
    legs = await rows(
        "SELECT agent_id, COUNT(*) AS legs, SUM(ring_seconds) AS ring_seconds, "
        "SUM(talk_seconds) AS talk_seconds, SUM(CASE WHEN is_main THEN 0 ELSE talk_seconds END) "
        f"AS sub_leg_talk_seconds FROM call_record WHERE {in_range(rng)} "
        f"AND agent_id IS NOT NULL{where} GROUP BY agent_id",
        params,
    )
    clip = f"({least}(end_epoch, {rng.end_epoch}) - {greatest}(start_epoch, {rng.start_epoch}))"
    status_params: list = [rng.end_epoch, rng.start_epoch]
    status_filter = CallFilter(agent_ids=flt.agent_ids, team_ids=flt.team_ids)
    status_where = status_filter.where(status_params, team_via_membership=True)
    statuses = await rows(
        f"SELECT agent_id, SUM({clip}) AS online_seconds, "
        f"SUM(CASE WHEN status = 'IDLE' THEN {clip} ELSE 0 END) AS idle_seconds, "
        f"SUM(CASE WHEN status = 'BUSY' THEN {clip} ELSE 0 END) AS busy_seconds, "
        f"SUM(CASE WHEN status = 'ACW' THEN {clip} ELSE 0 END) AS acw_seconds, "
        f"SUM(CASE WHEN status = 'BREAK' THEN {clip} ELSE 0 END) AS break_seconds "
        "FROM agent_status_interval WHERE start_epoch < ? AND end_epoch > ?"
        f"{status_where} GROUP BY agent_id",
        status_params,
    )
    figures: dict[int, WorkStatusFigures] = {}
    for row in legs:
        f = figures.setdefault(row["agent_id"], WorkStatusFigures())
        f.legs, f.ring_seconds = int(row["legs"]), int(row["ring_seconds"] or 0)
        f.talk_seconds = int(row["talk_seconds"] or 0)
        f.sub_leg_talk_seconds = int(row["sub_leg_talk_seconds"] or 0)
    for row in statuses:
        f = figures.setdefault(row["agent_id"], WorkStatusFigures())
        for name in _STATUS_NAMES:
            setattr(f, name, int(row[name] or 0))
    return sorted(figures.items())
