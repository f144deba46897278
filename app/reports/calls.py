"""The call report (R-RPT-1): talk time and call counts, by day, hour or queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from app.db import rows
from app.reports.ranges import Range, in_range, offset_sql, ratio
from app.telephony.filters import CallFilter

# Customer-agent talk (R-RPT-1): including the talk after a transfer to another agent.
TALK_TYPES = ("INBOUND", "OUTBOUND", "TRANSFER_AGENT")


class GroupBy(StrEnum):
    NONE = "NONE"
    DAY = "DAY"
    HOUR = "HOUR"
    QUEUE = "QUEUE"


@dataclass
class CallFigures:
    total_talk_seconds: int
    inbound_talk_seconds: int
    outbound_talk_seconds: int
    successful_calls: int
    inbound_answered: int
    outbound_successful: int
    offered_calls: int
    inbound_offered: int
    outbound_calls: int
    abandoned_calls: int
    transferred_calls: int
    records: int

    @property
    def average_talk_seconds(self) -> float | None:
        return ratio(self.total_talk_seconds, self.successful_calls)

    @property
    def inbound_average_talk_seconds(self) -> float | None:
        return ratio(self.inbound_talk_seconds, self.inbound_answered)

    @property
    def outbound_average_talk_seconds(self) -> float | None:
        return ratio(self.outbound_talk_seconds, self.outbound_successful)


@dataclass
class CallReportRow:
    figures: CallFigures
    day: date | None = None
    hour: datetime | None = None
    queue_id: int | None = None


_TALK = f"call_type IN ({', '.join(repr(t) for t in TALK_TYPES)})"
CALL_FIGURES_SQL = f"""
  SUM(CASE WHEN {_TALK} THEN talk_seconds ELSE 0 END) AS total_talk_seconds,
  SUM(CASE WHEN {_TALK} AND direction = 'INBOUND' THEN talk_seconds ELSE 0 END)
    AS inbound_talk_seconds,
  SUM(CASE WHEN {_TALK} AND direction = 'OUTBOUND' THEN talk_seconds ELSE 0 END)
    AS outbound_talk_seconds,
  SUM(CASE WHEN is_main AND result = 'ANSWERED' THEN 1 ELSE 0 END) AS successful_calls,
  SUM(CASE WHEN is_main AND direction = 'INBOUND' AND result = 'ANSWERED' THEN 1 ELSE 0 END)
    AS inbound_answered,
  SUM(CASE WHEN is_main AND direction = 'OUTBOUND' AND result = 'ANSWERED' THEN 1 ELSE 0 END)
    AS outbound_successful,
  SUM(CASE WHEN is_main THEN 1 ELSE 0 END) AS offered_calls,
  SUM(CASE WHEN is_main AND direction = 'INBOUND' THEN 1 ELSE 0 END) AS inbound_offered,
  SUM(CASE WHEN is_main AND direction = 'OUTBOUND' THEN 1 ELSE 0 END) AS outbound_calls,
  SUM(CASE WHEN is_main AND result IN ('ABANDONED_IN_QUEUE', 'ABANDONED_IN_IVR') THEN 1 ELSE 0
      END) AS abandoned_calls,
  SUM(CASE WHEN is_main AND transfer_flag = 'TRANSFERRED' THEN 1 ELSE 0 END)
    AS transferred_calls,
  COUNT(*) AS records"""
_FIGURE_NAMES = (
    "total_talk_seconds",
    "inbound_talk_seconds",
    "outbound_talk_seconds",
    "successful_calls",
    "inbound_answered",
    "outbound_successful",
    "offered_calls",
    "inbound_offered",
    "outbound_calls",
    "abandoned_calls",
    "transferred_calls",
    "records",
)


def call_report_sql(rng: Range, group_by: GroupBy, flt: CallFilter) -> tuple[str, list]:
    local = offset_sql("started_epoch", rng)
    key = {
        GroupBy.NONE: "0",
        GroupBy.DAY: f"{local} / 86400",
        GroupBy.HOUR: f"{local} / 3600",
        GroupBy.QUEUE: "queue_id",
    }[group_by]
    params: list = []
    where = flt.where(params)
    grouping = "" if group_by is GroupBy.NONE else f" GROUP BY {key} ORDER BY 1"
    sql = (
        f"SELECT {key} AS bucket, {CALL_FIGURES_SQL}\nFROM call_record "
        f"WHERE {in_range(rng)}{where}{grouping}"
    )
    return sql, params


async def call_report(rng: Range, group_by: GroupBy, flt: CallFilter) -> list[CallReportRow]:
    sql, params = call_report_sql(rng, group_by, flt)
    result = []
    for row in await rows(sql, params):
        figures = CallFigures(**{name: int(row[name] or 0) for name in _FIGURE_NAMES})
        bucket = row["bucket"]
        report_row = CallReportRow(figures=figures)
        if group_by is GroupBy.DAY:
            report_row.day = date(1970, 1, 1) + timedelta(days=int(bucket))
        elif group_by is GroupBy.HOUR:
            # wall-clock arithmetic: the bucket counts local hours since 1970-01-01 00:00
            report_row.hour = datetime(1970, 1, 1, tzinfo=rng.zone) + timedelta(hours=int(bucket))
        elif group_by is GroupBy.QUEUE:
            report_row.queue_id = bucket
        result.append(report_row)
    return result
