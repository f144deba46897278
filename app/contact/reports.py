"""Reports computed by the database (R-RPT-1..4, R-SAT-1, R-SAT-3).

Each report is one aggregate statement (two for the work-status report). Date ranges are
inclusive days in the business time zone. Calls are bucketed by ``started_epoch`` plus the zone's
UTC offset, written as a CASE over the offset changes (DST) inside the range, so the SQL is the
same on SQLite and PostgreSQL and a day or hour is exact to the second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.accounts.models import Account
from app.contact import models
from app.contact.sql import connection, db_datetime, dialect, is_postgres
from app.errors import InvalidInput

MAX_RANGE_DAYS = 366
TALK_TYPES = ("INBOUND", "OUTBOUND", "TRANSFER_AGENT")  # customer-agent talk (R-RPT-1)


class GroupBy(StrEnum):
    NONE = "NONE"
    DAY = "DAY"
    HOUR = "HOUR"
    QUEUE = "QUEUE"


@dataclass(frozen=True)
class Range:
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    zone: ZoneInfo

    @property
    def start_epoch(self) -> int:
        return int(self.start.timestamp())

    @property
    def end_epoch(self) -> int:
        return int(self.end.timestamp())


def day_range(first: date, last: date, zone_name: str) -> Range:
    if last < first:
        raise InvalidInput("`to` is before `from`.", field="to")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput(f"A report covers at most {MAX_RANGE_DAYS} days.", field="to")
    zone = ZoneInfo(zone_name)
    start = datetime.combine(first, time(), zone).astimezone(timezone.utc)
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(timezone.utc)
    return Range(start, end, zone)


def _offset_sql(column: str, rng: Range) -> str:
    """``column`` (Unix seconds) shifted to local wall-clock seconds, for the range's zone."""
    changes: list[tuple[int, int]] = []  # (from epoch, offset seconds)
    step = 3600
    epoch = rng.start_epoch - step
    offset = _offset(rng.zone, epoch)
    first_offset = offset
    while epoch < rng.end_epoch + step:
        nxt = epoch + step
        nxt_offset = _offset(rng.zone, nxt)
        if nxt_offset != offset:
            lo, hi = epoch, nxt  # the change happens in (lo, hi]: find the second
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _offset(rng.zone, mid) == offset:
                    lo = mid
                else:
                    hi = mid
            changes.append((hi, nxt_offset))
            offset = nxt_offset
        epoch = nxt
    if not changes:
        return f"({column} + {first_offset})"
    whens, current = [], first_offset
    for at, new_offset in changes:
        whens.append(f"WHEN {column} < {at} THEN {current}")
        current = new_offset
    return f"({column} + CASE {' '.join(whens)} ELSE {current} END)"


def _offset(zone: ZoneInfo, epoch: int) -> int:
    return int(datetime.fromtimestamp(epoch, zone).utcoffset().total_seconds())


@dataclass
class CallFilter:
    agent_ids: list[int] | None = None
    team_ids: list[int] | None = None
    queue_ids: list[int] | None = None
    call_types: list[str] | None = None
    hangup_parties: list[str] | None = None
    results: list[str] | None = None
    transferred_only: bool = False
    main_only: bool = False

    def apply_to(self, query):
        """The same conditions on an ORM queryset (the `calls` list)."""
        for column, values in (("agent_id", self.agent_ids), ("team_id", self.team_ids),
                               ("queue_id", self.queue_ids), ("call_type", self.call_types),
                               ("hangup_party", self.hangup_parties), ("result", self.results)):
            if values is not None:
                query = query.filter(**{f"{column}__in": [str(v) if isinstance(v, str) else v
                                                          for v in values]})
        if self.transferred_only:
            query = query.exclude(transfer_flag=models.TransferFlag.NONE)
        if self.main_only:
            query = query.filter(is_main=True)
        return query

    def where(self, params: list, *, team_via_membership: bool = False) -> str:
        clauses = []

        def within(column: str, values) -> None:
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)

        if self.agent_ids is not None:
            within("agent_id", self.agent_ids or [0])
        if self.team_ids is not None:
            if team_via_membership:
                ids = self.team_ids or [0]
                clauses.append("agent_id IN (SELECT account_id FROM team_member WHERE team_id IN "
                               f"({', '.join('?' * len(ids))}))")
                params.extend(ids)
            else:
                within("team_id", self.team_ids or [0])
        if self.queue_ids is not None:
            within("queue_id", self.queue_ids or [0])
        for column, values in (("call_type", self.call_types),
                               ("hangup_party", self.hangup_parties), ("result", self.results)):
            if values is not None:
                within(column, [str(v) for v in values] or [""])
        if self.transferred_only:
            clauses.append("transfer_flag <> 'NONE'")
        if self.main_only:
            clauses.append("is_main")
        return "".join(f" AND {c}" for c in clauses)


async def resolve_agents(names: list[str] | None, field_name: str) -> list[int] | None:
    """Login names to account ids. An unknown name is the caller's mistake, not an empty report."""
    if names is None:
        return None
    found = dict(await Account.filter(account__in=names).values_list("account", "id"))
    unknown = [n for n in names if n not in found]
    if unknown:
        raise InvalidInput(f"Unknown agent {unknown[0]!r}.", field=field_name)
    return [found[n] for n in names]


def _in_range(rng: Range) -> str:
    """The range as integer literals (always ints we computed): PostgreSQL then plans each
    report for its own range (parallel scans for long ranges, the index for short ones) instead
    of reusing a generic plan of a prepared statement."""
    return (f"started_epoch >= {int(rng.start_epoch)} "
            f"AND started_epoch < {int(rng.end_epoch)}")


def _ratio(numerator: float, divisor: float, scale: float = 1.0) -> float | None:
    if not divisor:
        return None
    return round(numerator * scale / divisor, 2)


def _params(params: list, conn) -> list:
    if is_postgres(conn):
        return params
    return [int(p) if isinstance(p, bool) else p for p in params]


async def _rows(sql: str, params: list) -> list[dict]:
    conn = connection()
    return await conn.execute_query_dict(dialect(sql, conn), _params(params, conn))


# --- call report (R-RPT-1) ---

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
        return _ratio(self.total_talk_seconds, self.successful_calls)

    @property
    def inbound_average_talk_seconds(self) -> float | None:
        return _ratio(self.inbound_talk_seconds, self.inbound_answered)

    @property
    def outbound_average_talk_seconds(self) -> float | None:
        return _ratio(self.outbound_talk_seconds, self.outbound_successful)


@dataclass
class CallReportRow:
    figures: CallFigures
    day: date | None = None
    hour: datetime | None = None
    queue_id: int | None = None


_TALK = "call_type IN ('INBOUND', 'OUTBOUND', 'TRANSFER_AGENT')"
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
_FIGURE_NAMES = ("total_talk_seconds", "inbound_talk_seconds", "outbound_talk_seconds",
                 "successful_calls", "inbound_answered", "outbound_successful", "offered_calls",
                 "inbound_offered", "outbound_calls", "abandoned_calls", "transferred_calls",
                 "records")


def call_report_sql(rng: Range, group_by: GroupBy, flt: CallFilter) -> tuple[str, list]:
    local = _offset_sql("started_epoch", rng)
    key = {GroupBy.NONE: "0", GroupBy.DAY: f"{local} / 86400", GroupBy.HOUR: f"{local} / 3600",
           GroupBy.QUEUE: "queue_id"}[group_by]
    params: list = []
    where = flt.where(params)
    grouping = "" if group_by is GroupBy.NONE else f" GROUP BY {key} ORDER BY 1"
    sql = (f"SELECT {key} AS bucket, {CALL_FIGURES_SQL}\nFROM call_record "
           f"WHERE {_in_range(rng)}{where}{grouping}")
    return sql, params


async def call_report(rng: Range, group_by: GroupBy, flt: CallFilter) -> list[CallReportRow]:
    sql, params = call_report_sql(rng, group_by, flt)
    rows = await _rows(sql, params)
    result = []
    for row in rows:
        figures = CallFigures(**{name: int(row[name] or 0) for name in _FIGURE_NAMES})
        bucket = row["bucket"]
        report_row = CallReportRow(figures=figures)
        if group_by is GroupBy.DAY:
            report_row.day = date(1970, 1, 1) + timedelta(days=int(bucket))
        elif group_by is GroupBy.HOUR:
            wall = datetime(1970, 1, 1) + timedelta(hours=int(bucket))
            report_row.hour = wall.replace(tzinfo=rng.zone)
        elif group_by is GroupBy.QUEUE:
            report_row.queue_id = bucket
        result.append(report_row)
    return result


# --- agent and team efficiency (R-RPT-2): inbound reception and outbound calls only ---

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
        return _ratio(self.inbound_answered, self.inbound_offered, 100)

    @property
    def average_talk_seconds(self) -> float | None:
        return _ratio(self.total_talk_seconds, self.inbound_answered + self.outbound_successful)


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
_EFFICIENCY_NAMES = ("inbound_offered", "inbound_answered", "inbound_talk_seconds",
                     "outbound_calls", "outbound_successful", "outbound_talk_seconds",
                     "ring_seconds", "hold_seconds")


def efficiency_sql(rng: Range, flt: CallFilter, *, by: str) -> tuple[str, list]:
    params: list = []
    where = flt.where(params)
    sql = (f"SELECT {by} AS subject, {_EFFICIENCY_SQL}\nFROM call_record "
           f"WHERE {_in_range(rng)} "
           f"AND call_type IN ('INBOUND', 'OUTBOUND') AND {by} IS NOT NULL{where} "
           f"GROUP BY {by} ORDER BY {by}")
    return sql, params


async def efficiency(rng: Range, flt: CallFilter, *, by: str) -> list[tuple[int, EfficiencyFigures]]:
    """``by`` is ``agent_id`` or ``team_id``."""
    sql, params = efficiency_sql(rng, flt, by=by)
    return [(row["subject"], EfficiencyFigures(**{n: int(row[n] or 0) for n in _EFFICIENCY_NAMES}))
            for row in await _rows(sql, params)]


# --- agent work status (R-RPT-2): every leg the agent was on, and their status time ---

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
        return _ratio(self.talk_seconds + self.idle_seconds + self.acw_seconds,
                      self.online_seconds, 100)


async def work_status(rng: Range, flt: CallFilter) -> list[tuple[int, WorkStatusFigures]]:
    conn = connection()
    least, greatest = ("LEAST", "GREATEST") if is_postgres(conn) else ("MIN", "MAX")
    params: list = []
    where = flt.where(params, team_via_membership=True)
    legs = await _rows(
        "SELECT agent_id, COUNT(*) AS legs, SUM(ring_seconds) AS ring_seconds, "
        "SUM(talk_seconds) AS talk_seconds, SUM(CASE WHEN is_main THEN 0 ELSE talk_seconds END) "
        f"AS sub_leg_talk_seconds FROM call_record WHERE {_in_range(rng)} "
        f"AND agent_id IS NOT NULL{where} GROUP BY agent_id", params)
    clip = f"({least}(end_epoch, {rng.end_epoch}) - {greatest}(start_epoch, {rng.start_epoch}))"
    status_params: list = [rng.end_epoch, rng.start_epoch]
    status_filter = CallFilter(agent_ids=flt.agent_ids, team_ids=flt.team_ids)
    status_where = status_filter.where(status_params, team_via_membership=True)
    statuses = await _rows(
        f"SELECT agent_id, SUM({clip}) AS online_seconds, "
        f"SUM(CASE WHEN status = 'IDLE' THEN {clip} ELSE 0 END) AS idle_seconds, "
        f"SUM(CASE WHEN status = 'BUSY' THEN {clip} ELSE 0 END) AS busy_seconds, "
        f"SUM(CASE WHEN status = 'ACW' THEN {clip} ELSE 0 END) AS acw_seconds, "
        f"SUM(CASE WHEN status = 'BREAK' THEN {clip} ELSE 0 END) AS break_seconds "
        "FROM agent_status_interval WHERE start_epoch < ? AND end_epoch > ?"
        f"{status_where} GROUP BY agent_id", status_params)
    figures: dict[int, WorkStatusFigures] = {}
    for row in legs:
        f = figures.setdefault(row["agent_id"], WorkStatusFigures())
        f.legs, f.ring_seconds = int(row["legs"]), int(row["ring_seconds"] or 0)
        f.talk_seconds = int(row["talk_seconds"] or 0)
        f.sub_leg_talk_seconds = int(row["sub_leg_talk_seconds"] or 0)
    for row in statuses:
        f = figures.setdefault(row["agent_id"], WorkStatusFigures())
        for name in ("online_seconds", "idle_seconds", "busy_seconds", "acw_seconds",
                     "break_seconds"):
            setattr(f, name, int(row[name] or 0))
    return sorted(figures.items())


# --- satisfaction (R-SAT-1) and ticket satisfaction (R-SAT-3) ---

LEVELS = [level.value for level in models.SatisfactionLevel]


@dataclass
class SatisfactionFigures:
    participants: int
    counts: dict[str, int] = field(default_factory=dict)

    def rate(self, level: str) -> float | None:
        return _ratio(self.counts.get(level, 0), self.participants, 100)


async def satisfaction(rng: Range, channel: str | None) -> SatisfactionFigures:
    conn = connection()
    params: list = [db_datetime(rng.start, conn), db_datetime(rng.end, conn)]
    where = ""
    if channel is not None:
        where = " AND channel = ?"
        params.append(str(channel))
    rows = await _rows("SELECT level, COUNT(*) AS n FROM satisfaction_rating "
                       f"WHERE rated_at >= ? AND rated_at < ?{where} GROUP BY level", params)
    counts = {row["level"]: int(row["n"]) for row in rows}
    return SatisfactionFigures(participants=sum(counts.values()), counts=counts)


@dataclass
class TicketSatisfactionFigures:
    invited: int
    rated: int
    score_sum: int
    score_counts: dict[int, int]

    @property
    def rating_rate(self) -> float | None:
        return _ratio(self.rated, self.invited, 100)

    @property
    def average_score(self) -> float | None:
        return _ratio(self.score_sum, self.rated)

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
        return _ratio(count, self.rated, 100)


async def ticket_satisfaction(rng: Range) -> TicketSatisfactionFigures:
    conn = connection()
    params = [db_datetime(rng.start, conn), db_datetime(rng.end, conn)]
    rows = await _rows("SELECT score, COUNT(*) AS n FROM ticket_satisfaction_invitation "
                       "WHERE invited_at >= ? AND invited_at < ? GROUP BY score", params)
    counts = {int(row["score"]): int(row["n"]) for row in rows if row["score"] is not None}
    invited = sum(int(row["n"]) for row in rows)
    return TicketSatisfactionFigures(
        invited=invited, rated=sum(counts.values()),
        score_sum=sum(score * n for score, n in counts.items()), score_counts=counts)
