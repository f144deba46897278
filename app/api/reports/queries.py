"""Report queries (R-RPT-1..4, R-SAT-1, R-SAT-3). All need `reports.view`; each is one or two
aggregate statements, plus one look-up of the names of the agents, teams or queues it lists."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.common import Channel
from app.api.permissions import requires
from app.api.reports.types import (
    AgentReportRow,
    AgentWorkStatusRow,
    CallReportRow,
    EfficiencyFigures,
    LevelFigure,
    SatisfactionReport,
    ScoreCount,
    TeamReportRow,
    TicketSatisfactionReport,
)
from app.api.surveys.types import SatisfactionLevel
from app.api.telephony.inputs import CallFilter, FromDay, ToDay, report_range, to_call_filter
from app.reports import calls, efficiency, satisfaction, work_status
from app.reports.calls import GroupBy as GroupByEnum

GroupBy = GroupByEnum
strawberry.enum(GroupBy, description="How callReport groups its rows.")
_REPORTS = [requires(Permission.REPORTS_VIEW)]
Filter = Annotated[
    CallFilter | None,
    strawberry.argument(
        description=(
            "Optional conditions (its from/to are ignored: the report's own range applies)."
        )
    ),
]


@strawberry.type
class Query:
    @strawberry.field(
        description="Call report (R-RPT-1), one aggregate statement. Requires `reports.view`.",
        extensions=_REPORTS,
    )
    async def call_report(
        self,
        info: Info,
        from_: FromDay,
        to: ToDay,
        group_by: Annotated[
            GroupBy, strawberry.argument(description="Grouping of the rows.")
        ] = GroupByEnum.NONE,
        filter: Filter = None,
    ) -> list[CallReportRow]:
        rows = await calls.call_report(
            report_range(info, from_, to), group_by, await to_call_filter(filter)
        )
        return [CallReportRow(_row=r, _zone=info.context.settings.timezone) for r in rows]

    @strawberry.field(
        description="Agent efficiency (R-RPT-2). Requires `reports.view`.", extensions=_REPORTS
    )
    async def agent_report(
        self, info: Info, from_: FromDay, to: ToDay, filter: Filter = None
    ) -> list[AgentReportRow]:
        rows = await efficiency.efficiency(
            report_range(info, from_, to), await to_call_filter(filter), by="agent_id"
        )
        return [AgentReportRow(figures=EfficiencyFigures.of(f), _agent_id=a) for a, f in rows]

    @strawberry.field(
        description="Team (skill group) efficiency (R-RPT-2). Requires `reports.view`.",
        extensions=_REPORTS,
    )
    async def team_report(
        self, info: Info, from_: FromDay, to: ToDay, filter: Filter = None
    ) -> list[TeamReportRow]:
        rows = await efficiency.efficiency(
            report_range(info, from_, to), await to_call_filter(filter), by="team_id"
        )
        return [TeamReportRow(figures=EfficiencyFigures.of(f), _team_id=a) for a, f in rows]

    @strawberry.field(
        description="Agent work status and utilization (R-RPT-2). Requires `reports.view`.",
        extensions=_REPORTS,
    )
    async def agent_work_status_report(
        self, info: Info, from_: FromDay, to: ToDay, filter: Filter = None
    ) -> list[AgentWorkStatusRow]:
        flt = await to_call_filter(filter)
        rows = await work_status.work_status(report_range(info, from_, to), flt)
        return [
            AgentWorkStatusRow(
                legs=f.legs,
                ring_seconds=f.ring_seconds,
                talk_seconds=f.talk_seconds,
                sub_leg_talk_seconds=f.sub_leg_talk_seconds,
                online_seconds=f.online_seconds,
                idle_seconds=f.idle_seconds,
                busy_seconds=f.busy_seconds,
                acw_seconds=f.acw_seconds,
                break_seconds=f.break_seconds,
                utilization=f.utilization,
                _agent_id=a,
            )
            for a, f in rows
        ]

    @strawberry.field(
        description="Session and call satisfaction (R-SAT-1). Requires `reports.view`.",
        extensions=_REPORTS,
    )
    async def satisfaction_report(
        self,
        info: Info,
        from_: FromDay,
        to: ToDay,
        channel: Annotated[
            Channel | None, strawberry.argument(description="Only this channel.")
        ] = None,
    ) -> SatisfactionReport:
        f = await satisfaction.satisfaction(report_range(info, from_, to), channel)
        return SatisfactionReport(
            participants=f.participants,
            levels=[
                LevelFigure(
                    level=SatisfactionLevel(level), count=f.counts.get(level, 0), rate=f.rate(level)
                )
                for level in satisfaction.LEVELS
            ],
        )

    @strawberry.field(
        description="Ticket satisfaction (R-SAT-3). Requires `reports.view`.", extensions=_REPORTS
    )
    async def ticket_satisfaction_report(
        self, info: Info, from_: FromDay, to: ToDay
    ) -> TicketSatisfactionReport:
        f = await satisfaction.ticket_satisfaction(report_range(info, from_, to))
        return TicketSatisfactionReport(
            invited=f.invited,
            rated=f.rated,
            rating_rate=f.rating_rate,
            average_score=f.average_score,
            good_count=f.good,
            good_rate=f.rate_of(f.good),
            medium_count=f.medium,
            medium_rate=f.rate_of(f.medium),
            bad_count=f.bad,
            bad_rate=f.rate_of(f.bad),
            score_counts=[
                ScoreCount(score=s, count=f.score_counts.get(s, 0)) for s in (5, 4, 3, 2, 1)
            ],
        )
