"""Report date ranges: inclusive days in the business time zone, and the SQL that shifts Unix
seconds to local wall-clock seconds exactly to the second, DST included, the same on SQLite and
PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.errors import InvalidInput

MAX_RANGE_DAYS = 366


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
    start = datetime.combine(first, time(), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
    return Range(start, end, zone)


def offset_sql(column: str, rng: Range) -> str:
    """``column`` (Unix seconds) shifted to local wall-clock seconds, for the range's zone: a
    CASE over the offset changes (DST) inside the range, found to the second."""
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
    offset = datetime.fromtimestamp(epoch, zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def in_range(rng: Range, column: str = "started_epoch") -> str:
    """The range as integer literals (always ints we computed): PostgreSQL then plans each
    report for its own range (parallel scans for long ranges, the index for short ones) instead
    of reusing a generic plan of a prepared statement. With bound parameters the GraphQL
    reports were 1.5-1.7x the hand-written SQL on 1M records, inlined 1.1-1.2x."""
    return f"{column} >= {int(rng.start_epoch)} AND {column} < {int(rng.end_epoch)}"


def ratio(numerator: float, divisor: float, scale: float = 1.0) -> float | None:
    if not divisor:
        return None
    return round(numerator * scale / divisor, 2)
