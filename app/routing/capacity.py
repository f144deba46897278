"""Whether a reception group can take a session now, and the overflow across up to three groups
(R-CC-8). Pure: the router (app/routing/router.py) reads the state, this decides.

A group has capacity when it is open (its weekly schedule in its own time zone, minus its
holidays), someone in it is online, and either an online member has a free slot (fewer active
sessions than their maximum) or, every one of them being busy, its *smart judgement* lets the
visitor wait: a queue shorter than ``max_queue_length`` and an expected wait within
``max_wait_seconds``. A group with neither threshold set does not queue: all busy means no
capacity. The expected wait is ``(waiting + 1) × average handle time ÷ the online members'
slots``. A group without capacity overflows to the next level; the last level does not: the
visitor gets the no-agent answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.routing.models import Outcome

DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
MAX_LEVELS = 3


class Reason(StrEnum):
    """Why a level was passed over."""

    OFF_HOURS = "OFF_HOURS"
    HOLIDAY = "HOLIDAY"
    NOBODY_ONLINE = "NOBODY_ONLINE"
    ALL_BUSY = "ALL_BUSY"
    QUEUE_FULL = "QUEUE_FULL"
    WAIT_TOO_LONG = "WAIT_TOO_LONG"
    AGENT_UNAVAILABLE = "AGENT_UNAVAILABLE"  # a rule's agent: offline or at their maximum


@dataclass(frozen=True)
class Period:
    day: int  # 0 = Monday
    start: time
    end: time  # exclusive; 24:00 is written as time.max


@dataclass(frozen=True)
class Member:
    account_id: int
    online: bool
    max_sessions: int
    active: int  # sessions they serve now (and sessions routed to them not yet assigned)


@dataclass(frozen=True)
class GroupState:
    id: int
    name: str
    zone: ZoneInfo
    periods: tuple[Period, ...] = ()  # empty: always open
    holidays: frozenset[date] = frozenset()
    members: tuple[Member, ...] = ()
    waiting: int = 0  # sessions queued in the group now
    max_queue_length: int | None = None
    max_wait_seconds: int | None = None
    average_handle_seconds: int = 300


@dataclass(frozen=True)
class Skip:
    level: int
    group_id: int | None
    group_name: str | None
    reason: Reason


@dataclass
class Decision:
    outcome: Outcome
    level: int | None = None
    group: GroupState | None = None
    agent_id: int | None = None
    queue_position: int | None = None
    skipped: list[Skip] = field(default_factory=list)


def is_open(group: GroupState, at: datetime) -> Reason | None:
    """None when the group is open at ``at`` (aware), else why not."""
    local = at.astimezone(group.zone)
    if local.date() in group.holidays:
        return Reason.HOLIDAY
    if not group.periods:
        return None
    now, day = local.time().replace(tzinfo=None), local.weekday()
    for period in group.periods:
        if (
            period.day == day
            and period.start <= now
            and (now < period.end or period.end == time.max)
        ):
            return None
    return Reason.OFF_HOURS


def expected_wait_seconds(group: GroupState) -> int:
    slots = sum(m.max_sessions for m in group.members if m.online)
    return math.ceil((group.waiting + 1) * group.average_handle_seconds / max(slots, 1))


def assess(group: GroupState, at: datetime) -> tuple[Outcome, int | None, int | None] | Reason:
    """(ASSIGNED, agent, None) / (QUEUED, None, position), or the reason it has no capacity."""
    closed = is_open(group, at)
    if closed is not None:
        return closed
    online = [m for m in group.members if m.online]
    if not online:
        return Reason.NOBODY_ONLINE
    free = [m for m in online if m.active < m.max_sessions]
    if free:
        chosen = min(free, key=lambda m: (m.active / m.max_sessions, m.active, m.account_id))
        return Outcome.ASSIGNED, chosen.account_id, None
    if group.max_queue_length is None and group.max_wait_seconds is None:
        return Reason.ALL_BUSY
    if group.max_queue_length is not None and group.waiting >= group.max_queue_length:
        return Reason.QUEUE_FULL
    if group.max_wait_seconds is not None and expected_wait_seconds(group) > group.max_wait_seconds:
        return Reason.WAIT_TOO_LONG
    return Outcome.QUEUED, None, group.waiting + 1


def decide(levels: list[GroupState], at: datetime, *, agent: Member | None = None) -> Decision:
    """Route across ``levels`` (1 to 3 groups, in order); ``agent`` is a rule's chosen agent,
    tried first (level 0) when given."""
    skipped: list[Skip] = []
    if agent is not None:
        if agent.online and agent.active < agent.max_sessions:
            return Decision(Outcome.ASSIGNED, level=0, agent_id=agent.account_id)
        skipped.append(Skip(0, None, None, Reason.AGENT_UNAVAILABLE))
    for level, group in enumerate(levels[:MAX_LEVELS], start=1):
        verdict = assess(group, at)
        if isinstance(verdict, Reason):
            skipped.append(Skip(level, group.id, group.name, verdict))
            continue
        outcome, agent_id, position = verdict
        return Decision(outcome, level, group, agent_id, position, skipped)
    return Decision(Outcome.NO_AGENT, skipped=skipped)


def parse_periods(schedule: list[dict]) -> tuple[Period, ...]:
    """Stored periods ({"day": "MON", "start": "09:00", "end": "18:00"}) as Periods."""
    return tuple(
        Period(DAYS.index(p["day"]), parse_clock(p["start"]), parse_clock(p["end"], end=True))
        for p in schedule
    )


def parse_clock(text: str, *, end: bool = False) -> time:
    """HH:MM (24:00 allowed as an end: the end of the day). ValueError otherwise."""
    if end and text == "24:00":
        return time.max
    hours, sep, minutes = text.partition(":")
    if not sep or len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError(text)
    return time(int(hours), int(minutes))
