"""Report queries (R-RPT-1..4, R-SAT-1, R-SAT-3). All need `reports.view`; each is one or two
aggregate statements, plus one look-up of the names of the agents, teams or queues it lists."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.contact import types as t
from app.api.contact.queries import CallFilter, FromDay, ToDay, to_report_filter
from app.api.permissions import requires
from app.contact import reports
from app.contact.reports import GroupBy as GroupByEnum

GroupBy = strawberry.enum(GroupByEnum, description="How callReport groups its rows.")
_REPORTS = [requires(Permission.REPORTS_VIEW)]
Filter = Annotated[CallFilter | None, strawberry.argument(description=(
    "Optional conditions (its from/to are ignored: the report's own range applies)."))]


@strawberry.type(description="Call figures of one group (R-RPT-1). Talk seconds count customer-"
                             "agent talk: INBOUND, OUTBOUND and TRANSFER_AGENT records.")
class CallReportRow:
    _row: strawberry.Private[reports.CallReportRow]
    _zone: strawberry.Private[str]

    @strawberry.field(name="date", description="The day (groupBy DAY), in the business time zone.")
    def day_(self) -> date | None:
        return self._row.day

    @strawberry.field(description="The hour's start (groupBy HOUR), with the zone's offset.")
    def hour(self) -> datetime | None:
        return self._row.hour

    @strawberry.field(description="The queue (groupBy QUEUE); null for records without one.")
    async def queue(self, info: Info) -> t.Queue | None:
        return await t.load_queue(info, self._row.queue_id)

    @strawberry.field(description="Talk seconds of INBOUND, OUTBOUND and TRANSFER_AGENT records "
                                  "(includes talk after a transfer).")
    def total_talk_seconds(self) -> int:
        return self._row.figures.total_talk_seconds

    @strawberry.field(description="Talk seconds of calls whose main record is INBOUND.")
    def inbound_talk_seconds(self) -> int:
        return self._row.figures.inbound_talk_seconds

    @strawberry.field(description="Talk seconds of calls whose main record is OUTBOUND.")
    def outbound_talk_seconds(self) -> int:
        return self._row.figures.outbound_talk_seconds

    @strawberry.field(description="Answered main records.")
    def successful_calls(self) -> int:
        return self._row.figures.successful_calls

    @strawberry.field(description="Answered INBOUND main records.")
    def inbound_answered(self) -> int:
        return self._row.figures.inbound_answered

    @strawberry.field(description="Answered OUTBOUND main records.")
    def outbound_successful(self) -> int:
        return self._row.figures.outbound_successful

    @strawberry.field(description="totalTalkSeconds / successfulCalls; null when no call succeeded.")
    def average_talk_seconds(self) -> float | None:
        return self._row.figures.average_talk_seconds

    @strawberry.field(description="inboundTalkSeconds / inboundAnswered, or null.")
    def inbound_average_talk_seconds(self) -> float | None:
        return self._row.figures.inbound_average_talk_seconds

    @strawberry.field(description="outboundTalkSeconds / outboundSuccessful, or null.")
    def outbound_average_talk_seconds(self) -> float | None:
        return self._row.figures.outbound_average_talk_seconds

    @strawberry.field(description="Main records (calls), both directions.")
    def offered_calls(self) -> int:
        return self._row.figures.offered_calls

    @strawberry.field(description="INBOUND main records.")
    def inbound_offered(self) -> int:
        return self._row.figures.inbound_offered

    @strawberry.field(description="OUTBOUND main records.")
    def outbound_calls(self) -> int:
        return self._row.figures.outbound_calls

    @strawberry.field(description="Main records abandoned in the queue or the IVR.")
    def abandoned_calls(self) -> int:
        return self._row.figures.abandoned_calls

    @strawberry.field(description="Main records whose transfer succeeded (TRANSFERRED).")
    def transferred_calls(self) -> int:
        return self._row.figures.transferred_calls

    @strawberry.field(description="Records (main and legs) in the group.")
    def records(self) -> int:
        return self._row.figures.records


@strawberry.type(description="Inbound reception and outbound figures (R-RPT-2): INBOUND and "
                             "OUTBOUND records only, no transfer, consult or monitor legs.")
class EfficiencyFigures:
    inbound_offered: int = strawberry.field(description="INBOUND records that reached the agent.")
    inbound_answered: int = strawberry.field(description="Of those, answered.")
    inbound_talk_seconds: int = strawberry.field(description="Their talk seconds.")
    outbound_calls: int = strawberry.field(description="OUTBOUND records placed.")
    outbound_successful: int = strawberry.field(description="Of those, answered.")
    outbound_talk_seconds: int = strawberry.field(description="Their talk seconds.")
    total_talk_seconds: int = strawberry.field(description="Inbound plus outbound talk.")
    ring_seconds: int = strawberry.field(description="Ring seconds of these records.")
    hold_seconds: int = strawberry.field(description="Hold seconds of these records.")
    answer_rate: float | None = strawberry.field(
        description="inboundAnswered / inboundOffered x 100, or null.")
    average_talk_seconds: float | None = strawberry.field(
        description="totalTalkSeconds / (inboundAnswered + outboundSuccessful), or null.")

    @classmethod
    def of(cls, f: reports.EfficiencyFigures) -> EfficiencyFigures:
        return cls(inbound_offered=f.inbound_offered, inbound_answered=f.inbound_answered,
                   inbound_talk_seconds=f.inbound_talk_seconds, outbound_calls=f.outbound_calls,
                   outbound_successful=f.outbound_successful,
                   outbound_talk_seconds=f.outbound_talk_seconds,
                   total_talk_seconds=f.total_talk_seconds, ring_seconds=f.ring_seconds,
                   hold_seconds=f.hold_seconds, answer_rate=f.answer_rate,
                   average_talk_seconds=f.average_talk_seconds)


@strawberry.type(description="One agent's efficiency.")
class AgentReportRow:
    figures: EfficiencyFigures = strawberry.field(description="The agent's figures.")
    _agent_id: strawberry.Private[int]

    @strawberry.field(description="The agent.")
    async def agent(self, info: Info) -> t.AgentRef | None:
        return await t.load_agent(info, self._agent_id)


@strawberry.type(description="One team's efficiency (its agents' records at the time).")
class TeamReportRow:
    figures: EfficiencyFigures = strawberry.field(description="The team's figures.")
    _team_id: strawberry.Private[int]

    @strawberry.field(description="The team.")
    async def team(self, info: Info) -> t.Team | None:
        return await t.load_team(info, self._team_id)


@strawberry.type(description="One agent's work status (R-RPT-2): every leg they were on, and "
                             "their status time clipped to the range.")
class AgentWorkStatusRow:
    legs: int = strawberry.field(description="Records of any type with this agent.")
    ring_seconds: int = strawberry.field(description="Ring seconds of all those records.")
    talk_seconds: int = strawberry.field(
        description="Talk seconds of all those records (consulted, transferred, monitor, "
                    "barge-in and force-disconnect legs included).")
    sub_leg_talk_seconds: int = strawberry.field(description="Of that, on legs (not main).")
    online_seconds: int = strawberry.field(description="Logged-in seconds (all statuses).")
    idle_seconds: int = strawberry.field(description="IDLE seconds.")
    busy_seconds: int = strawberry.field(description="BUSY seconds.")
    acw_seconds: int = strawberry.field(description="After-call work seconds.")
    break_seconds: int = strawberry.field(description="BREAK seconds.")
    utilization: float | None = strawberry.field(
        description="(talk + idle + ACW) / online x 100; null when never online.")
    _agent_id: strawberry.Private[int]

    @strawberry.field(description="The agent.")
    async def agent(self, info: Info) -> t.AgentRef | None:
        return await t.load_agent(info, self._agent_id)


@strawberry.type(description="Count and rate of one satisfaction level.")
class LevelFigure:
    level: t.SatisfactionLevel = strawberry.field(description="The level.")
    count: int = strawberry.field(description="Ratings at this level.")
    rate: float | None = strawberry.field(description="count / participants x 100, or null.")


@strawberry.type(description="Session and call satisfaction (R-SAT-1).")
class SatisfactionReport:
    participants: int = strawberry.field(description="Ratings in the range.")
    levels: list[LevelFigure] = strawberry.field(
        description="All five levels, VERY_SATISFIED first.")


@strawberry.type(description="Count of one ticket score.")
class ScoreCount:
    score: int = strawberry.field(description="1-5.")
    count: int = strawberry.field(description="Tickets rated with it.")


@strawberry.type(description="Ticket satisfaction (R-SAT-3) of invitations sent in the range.")
class TicketSatisfactionReport:
    invited: int = strawberry.field(description="Invitations sent.")
    rated: int = strawberry.field(description="Of those, answered.")
    rating_rate: float | None = strawberry.field(description="rated / invited x 100, or null.")
    average_score: float | None = strawberry.field(description="Mean score, or null.")
    good_count: int = strawberry.field(description="Scores of 5.")
    good_rate: float | None = strawberry.field(description="goodCount / rated x 100, or null.")
    medium_count: int = strawberry.field(description="Scores of 3 or 4.")
    medium_rate: float | None = strawberry.field(description="mediumCount / rated x 100.")
    bad_count: int = strawberry.field(description="Scores of 1 or 2.")
    bad_rate: float | None = strawberry.field(description="badCount / rated x 100.")
    score_counts: list[ScoreCount] = strawberry.field(description="Scores 5 down to 1.")


def _range(info: Info, first, last) -> reports.Range:
    return reports.day_range(first, last, info.context.settings.timezone)


@strawberry.type
class Query:
    @strawberry.field(description="Call report (R-RPT-1), one aggregate statement. Requires "
                                  "`reports.view`.", extensions=_REPORTS)
    async def call_report(self, info: Info, from_: FromDay, to: ToDay,
                          group_by: Annotated[GroupBy, strawberry.argument(
                              description="Grouping of the rows.")] = GroupByEnum.NONE,
                          filter: Filter = None) -> list[CallReportRow]:
        rows = await reports.call_report(_range(info, from_, to), group_by,
                                         await to_report_filter(filter))
        return [CallReportRow(_row=r, _zone=info.context.settings.timezone) for r in rows]

    @strawberry.field(description="Agent efficiency (R-RPT-2). Requires `reports.view`.",
                      extensions=_REPORTS)
    async def agent_report(self, info: Info, from_: FromDay, to: ToDay,
                           filter: Filter = None) -> list[AgentReportRow]:
        rows = await reports.efficiency(_range(info, from_, to), await to_report_filter(filter),
                                        by="agent_id")
        return [AgentReportRow(figures=EfficiencyFigures.of(f), _agent_id=a) for a, f in rows]

    @strawberry.field(description="Team (skill group) efficiency (R-RPT-2). Requires "
                                  "`reports.view`.", extensions=_REPORTS)
    async def team_report(self, info: Info, from_: FromDay, to: ToDay,
                          filter: Filter = None) -> list[TeamReportRow]:
        rows = await reports.efficiency(_range(info, from_, to), await to_report_filter(filter),
                                        by="team_id")
        return [TeamReportRow(figures=EfficiencyFigures.of(f), _team_id=a) for a, f in rows]

    @strawberry.field(description="Agent work status and utilization (R-RPT-2). Requires "
                                  "`reports.view`.", extensions=_REPORTS)
    async def agent_work_status_report(self, info: Info, from_: FromDay, to: ToDay,
                                       filter: Filter = None) -> list[AgentWorkStatusRow]:
        flt = await to_report_filter(filter)
        rows = await reports.work_status(_range(info, from_, to), flt)
        return [AgentWorkStatusRow(
            legs=f.legs, ring_seconds=f.ring_seconds, talk_seconds=f.talk_seconds,
            sub_leg_talk_seconds=f.sub_leg_talk_seconds, online_seconds=f.online_seconds,
            idle_seconds=f.idle_seconds, busy_seconds=f.busy_seconds, acw_seconds=f.acw_seconds,
            break_seconds=f.break_seconds, utilization=f.utilization, _agent_id=a)
            for a, f in rows]

    @strawberry.field(description="Session and call satisfaction (R-SAT-1). Requires "
                                  "`reports.view`.", extensions=_REPORTS)
    async def satisfaction_report(self, info: Info, from_: FromDay, to: ToDay,
                                  channel: Annotated[t.Channel | None, strawberry.argument(
                                      description="Only this channel.")] = None
                                  ) -> SatisfactionReport:
        f = await reports.satisfaction(_range(info, from_, to), channel)
        return SatisfactionReport(participants=f.participants, levels=[
            LevelFigure(level=level, count=f.counts.get(level, 0), rate=f.rate(level))
            for level in reports.LEVELS])

    @strawberry.field(description="Ticket satisfaction (R-SAT-3). Requires `reports.view`.",
                      extensions=_REPORTS)
    async def ticket_satisfaction_report(self, info: Info, from_: FromDay,
                                         to: ToDay) -> TicketSatisfactionReport:
        f = await reports.ticket_satisfaction(_range(info, from_, to))
        return TicketSatisfactionReport(
            invited=f.invited, rated=f.rated, rating_rate=f.rating_rate,
            average_score=f.average_score, good_count=f.good, good_rate=f.rate_of(f.good),
            medium_count=f.medium, medium_rate=f.rate_of(f.medium), bad_count=f.bad,
            bad_rate=f.rate_of(f.bad),
            score_counts=[ScoreCount(score=s, count=f.score_counts.get(s, 0))
                          for s in (5, 4, 3, 2, 1)])
