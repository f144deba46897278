"""GraphQL types of the reports (R-RPT-1..4, R-SAT-1, R-SAT-3)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from app.api.directory.types import AgentRef, Queue, Team, load_agent, load_queue, load_team
from app.api.surveys.types import SatisfactionLevel
from app.reports import calls, efficiency


@strawberry.type(
    description="Call figures of one group (R-RPT-1). Talk seconds count customer-"
    "agent talk: INBOUND, OUTBOUND and TRANSFER_AGENT records."
)
class CallReportRow:
    _row: strawberry.Private[calls.CallReportRow]
    _zone: strawberry.Private[str]

    @strawberry.field(name="date", description="The day (groupBy DAY), in the business time zone.")
    def day_(self) -> date | None:
        return self._row.day

    @strawberry.field(description="The hour's start (groupBy HOUR), with the zone's offset.")
    def hour(self) -> datetime | None:
        return self._row.hour

    @strawberry.field(description="The queue (groupBy QUEUE); null for records without one.")
    async def queue(self, info: Info) -> Queue | None:
        return await load_queue(info, self._row.queue_id)

    @strawberry.field(
        description="Talk seconds of INBOUND, OUTBOUND and TRANSFER_AGENT records "
        "(includes talk after a transfer)."
    )
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

    @strawberry.field(
        description="totalTalkSeconds / successfulCalls; null when no call succeeded."
    )
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


@strawberry.type(
    description="Inbound reception and outbound figures (R-RPT-2): INBOUND and "
    "OUTBOUND records only, no transfer, consult or monitor legs."
)
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
        description="inboundAnswered / inboundOffered x 100, or null."
    )
    average_talk_seconds: float | None = strawberry.field(
        description="totalTalkSeconds / (inboundAnswered + outboundSuccessful), or null."
    )

    @classmethod
    def of(cls, f: efficiency.EfficiencyFigures) -> EfficiencyFigures:
        return cls(
            inbound_offered=f.inbound_offered,
            inbound_answered=f.inbound_answered,
            inbound_talk_seconds=f.inbound_talk_seconds,
            outbound_calls=f.outbound_calls,
            outbound_successful=f.outbound_successful,
            outbound_talk_seconds=f.outbound_talk_seconds,
            total_talk_seconds=f.total_talk_seconds,
            ring_seconds=f.ring_seconds,
            hold_seconds=f.hold_seconds,
            answer_rate=f.answer_rate,
            average_talk_seconds=f.average_talk_seconds,
        )


@strawberry.type(description="One agent's efficiency.")
class AgentReportRow:
    figures: EfficiencyFigures = strawberry.field(description="The agent's figures.")
    _agent_id: strawberry.Private[int]

    @strawberry.field(description="The agent.")
    async def agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._agent_id)


@strawberry.type(description="One team's efficiency (its agents' records at the time).")
class TeamReportRow:
    figures: EfficiencyFigures = strawberry.field(description="The team's figures.")
    _team_id: strawberry.Private[int]

    @strawberry.field(description="The team.")
    async def team(self, info: Info) -> Team | None:
        return await load_team(info, self._team_id)


@strawberry.type(
    description="One agent's work status (R-RPT-2): every leg they were on, and "
    "their status time clipped to the range."
)
class AgentWorkStatusRow:
    legs: int = strawberry.field(description="Records of any type with this agent.")
    ring_seconds: int = strawberry.field(description="Ring seconds of all those records.")
    talk_seconds: int = strawberry.field(
        description="Talk seconds of all those records (consulted, transferred, monitor, "
        "barge-in and force-disconnect legs included)."
    )
    sub_leg_talk_seconds: int = strawberry.field(description="Of that, on legs (not main).")
    online_seconds: int = strawberry.field(description="Logged-in seconds (all statuses).")
    idle_seconds: int = strawberry.field(description="IDLE seconds.")
    busy_seconds: int = strawberry.field(description="BUSY seconds.")
    acw_seconds: int = strawberry.field(description="After-call work seconds.")
    break_seconds: int = strawberry.field(description="BREAK seconds.")
    utilization: float | None = strawberry.field(
        description="(talk + idle + ACW) / online x 100; null when never online."
    )
    _agent_id: strawberry.Private[int]

    @strawberry.field(description="The agent.")
    async def agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._agent_id)


@strawberry.type(description="Count and rate of one satisfaction level.")
class LevelFigure:
    level: SatisfactionLevel = strawberry.field(description="The level.")
    count: int = strawberry.field(description="Ratings at this level.")
    rate: float | None = strawberry.field(description="count / participants x 100, or null.")


@strawberry.type(description="Session and call satisfaction (R-SAT-1).")
class SatisfactionReport:
    participants: int = strawberry.field(description="Ratings in the range.")
    levels: list[LevelFigure] = strawberry.field(
        description="All five levels, VERY_SATISFIED first."
    )


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
