"""Reports against figures worked out by hand from tests/support.py (the contact-center day)
(R-RPT-1..4, R-SAT-1, R-SAT-3). The web report documents in graphql/operations/reports/ are the
queries sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.accounts.models import Role
from app.channels import Channel
from app.chat import sessions
from app.reports.calls import GroupBy, call_report, call_report_sql
from app.reports.ranges import day_range
from app.surveys import ratings, ticket_surveys
from app.surveys.models import TicketSatisfactionInvitation
from app.telephony.filters import CallFilter
from app.telephony.importer import import_call_records
from app.tickets import service as tickets
from app.tickets.models import TicketStatus
from app.workforce import service as workforce
from tests import support as dataset
from tests.support import count_queries, error_codes, operation

DAYS = {"from": "2026-03-02", "to": "2026-03-03"}

ZERO_ROW = dict(
    totalTalkSeconds=0,
    inboundTalkSeconds=0,
    outboundTalkSeconds=0,
    successfulCalls=0,
    inboundAnswered=0,
    outboundSuccessful=0,
    averageTalkSeconds=None,
    inboundAverageTalkSeconds=None,
    outboundAverageTalkSeconds=None,
    offeredCalls=0,
    inboundOffered=0,
    outboundCalls=0,
    abandonedCalls=0,
    transferredCalls=0,
    records=0,
)


def figures(**values):
    return {**ZERO_ROW, **values}


def strip(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("date", "hour", "queue")}


@pytest.fixture
async def world(make_account):
    made = await dataset.build_contact_day(make_account)
    _, made["boss"] = await make_account("boss", Role.AGENT, groups=[["reports.view"]])
    return made


async def report(gql, token, name, **variables):
    result = await gql(operation(f"reports/{name}"), {**DAYS, **variables}, token=token)
    assert "errors" not in result, result
    return next(iter(result["data"].values()))


# R-RPT-1: whole range. Talk = INBOUND + OUTBOUND + TRANSFER_AGENT records:
# C1 240 + C1-2 300 + C2 100 (inbound) and C4 600 (outbound).
WHOLE = figures(
    totalTalkSeconds=1240,
    inboundTalkSeconds=640,
    outboundTalkSeconds=600,
    successfulCalls=3,
    inboundAnswered=2,
    outboundSuccessful=1,
    averageTalkSeconds=413.33,
    inboundAverageTalkSeconds=320.0,
    outboundAverageTalkSeconds=600.0,
    offeredCalls=6,
    inboundOffered=4,
    outboundCalls=2,
    abandonedCalls=1,
    transferredCalls=1,
    records=14,
)
DAY1 = figures(
    totalTalkSeconds=640,
    inboundTalkSeconds=640,
    successfulCalls=2,
    inboundAnswered=2,
    averageTalkSeconds=320.0,
    inboundAverageTalkSeconds=320.0,
    offeredCalls=3,
    inboundOffered=3,
    abandonedCalls=1,
    transferredCalls=1,
    records=9,
)
DAY2 = figures(
    totalTalkSeconds=600,
    outboundTalkSeconds=600,
    successfulCalls=1,
    outboundSuccessful=1,
    averageTalkSeconds=600.0,
    outboundAverageTalkSeconds=600.0,
    offeredCalls=3,
    inboundOffered=1,
    outboundCalls=2,
    records=5,
)


async def test_call_report_whole_range_r_rpt_1(gql, world):
    rows = await report(gql, world["boss"], "CallReport")
    assert [strip(r) for r in rows] == [WHOLE]


async def test_call_report_by_day(gql, world):
    rows = await report(gql, world["boss"], "CallReport", groupBy="DAY")
    assert [r["date"] for r in rows] == ["2026-03-02", "2026-03-03"]
    assert [strip(r) for r in rows] == [DAY1, DAY2]


async def test_call_report_by_hour(gql, world):
    rows = await report(gql, world["boss"], "CallReport", groupBy="HOUR")
    by_hour = {r["hour"]: strip(r) for r in rows}
    assert sorted(by_hour) == [
        "2026-03-02T10:00:00+00:00",
        "2026-03-02T11:00:00+00:00",
        "2026-03-02T23:00:00+00:00",
        "2026-03-03T09:00:00+00:00",
        "2026-03-03T10:00:00+00:00",
        "2026-03-03T12:00:00+00:00",
    ]
    assert by_hour["2026-03-02T10:00:00+00:00"] == figures(
        totalTalkSeconds=540,
        inboundTalkSeconds=540,
        successfulCalls=1,
        inboundAnswered=1,
        averageTalkSeconds=540.0,
        inboundAverageTalkSeconds=540.0,
        offeredCalls=1,
        inboundOffered=1,
        transferredCalls=1,
        records=4,
    )
    assert by_hour["2026-03-02T23:00:00+00:00"] == figures(
        offeredCalls=1, inboundOffered=1, abandonedCalls=1, records=1
    )


async def test_call_report_by_queue(gql, world):
    rows = await report(gql, world["boss"], "CallReport", groupBy="QUEUE")
    by_queue = {(r["queue"] or {}).get("name"): strip(r) for r in rows}
    assert by_queue["q1"] == figures(
        totalTalkSeconds=640,
        inboundTalkSeconds=640,
        successfulCalls=2,
        inboundAnswered=2,
        averageTalkSeconds=320.0,
        inboundAverageTalkSeconds=320.0,
        offeredCalls=2,
        inboundOffered=2,
        transferredCalls=1,
        records=3,
    )
    assert by_queue["q2"] == figures(offeredCalls=2, inboundOffered=2, abandonedCalls=1, records=2)
    assert by_queue[None] == figures(
        totalTalkSeconds=600,
        outboundTalkSeconds=600,
        successfulCalls=1,
        outboundSuccessful=1,
        averageTalkSeconds=600.0,
        outboundAverageTalkSeconds=600.0,
        offeredCalls=2,
        outboundCalls=2,
        records=9,
    )


@pytest.mark.parametrize(
    "flt, expected",
    [
        (
            {"callTypes": ["INBOUND"]},
            figures(
                totalTalkSeconds=340,
                inboundTalkSeconds=340,
                successfulCalls=2,
                inboundAnswered=2,
                averageTalkSeconds=170.0,
                inboundAverageTalkSeconds=170.0,
                offeredCalls=4,
                inboundOffered=4,
                abandonedCalls=1,
                transferredCalls=1,
                records=4,
            ),
        ),
        (
            {"agentAccounts": ["a"]},
            figures(
                totalTalkSeconds=240,
                inboundTalkSeconds=240,
                successfulCalls=1,
                inboundAnswered=1,
                averageTalkSeconds=240.0,
                inboundAverageTalkSeconds=240.0,
                offeredCalls=2,
                inboundOffered=1,
                outboundCalls=1,
                transferredCalls=1,
                records=3,
            ),
        ),
        (
            {"transferredOnly": True},
            figures(
                totalTalkSeconds=340,
                inboundTalkSeconds=340,
                successfulCalls=2,
                inboundAnswered=2,
                averageTalkSeconds=170.0,
                inboundAverageTalkSeconds=170.0,
                offeredCalls=2,
                inboundOffered=2,
                transferredCalls=1,
                records=2,
            ),
        ),
        ({"hangupParties": ["THIRD_PARTY"]}, figures(records=2)),
        (
            {"results": ["ABANDONED_IN_QUEUE", "VOICEMAIL"]},
            figures(offeredCalls=2, inboundOffered=2, abandonedCalls=1, records=2),
        ),
        (
            {"callTypes": ["TRANSFER_AGENT"]},
            figures(totalTalkSeconds=300, inboundTalkSeconds=300, records=1),
        ),
        (
            {"mainOnly": True},
            figures(
                totalTalkSeconds=940,
                inboundTalkSeconds=340,
                outboundTalkSeconds=600,
                successfulCalls=3,
                inboundAnswered=2,
                outboundSuccessful=1,
                averageTalkSeconds=313.33,
                inboundAverageTalkSeconds=170.0,
                outboundAverageTalkSeconds=600.0,
                offeredCalls=6,
                inboundOffered=4,
                outboundCalls=2,
                abandonedCalls=1,
                transferredCalls=1,
                records=6,
            ),
        ),
    ],
)
async def test_call_report_filters_r_rpt_3(gql, world, flt, expected):
    rows = await report(gql, world["boss"], "CallReport", filter=flt)
    assert [strip(r) for r in rows] == [expected]


async def test_call_report_team_and_queue_filters(gql, world):
    t2 = str(world["T2"].id)
    rows = await report(gql, world["boss"], "CallReport", filter={"teams": [t2]})
    # c's records: C1-3 (consult, 60 s not customer talk), C4 (600), C6 (voicemail)
    assert [strip(r) for r in rows] == [
        figures(
            totalTalkSeconds=600,
            outboundTalkSeconds=600,
            successfulCalls=1,
            outboundSuccessful=1,
            averageTalkSeconds=600.0,
            outboundAverageTalkSeconds=600.0,
            offeredCalls=2,
            inboundOffered=1,
            outboundCalls=1,
            records=3,
        )
    ]


async def test_empty_range_gives_one_row_of_zeros(gql, world):
    rows = await report(
        gql, world["boss"], "CallReport", **{"from": "2025-01-01", "to": "2025-01-31"}
    )
    assert [strip(r) for r in rows] == [ZERO_ROW]


async def test_agent_report_counts_only_reception_and_outbound_r_rpt_2(gql, world):
    rows = await report(gql, world["boss"], "AgentReport")
    got = {r["agent"]["account"]: r["figures"] for r in rows}
    assert sorted(got) == ["a", "b", "c"]  # s only has monitor/barge-in/force legs
    assert got["a"] == dict(
        inboundOffered=1,
        inboundAnswered=1,
        inboundTalkSeconds=240,
        outboundCalls=1,
        outboundSuccessful=0,
        outboundTalkSeconds=0,
        totalTalkSeconds=240,
        ringSeconds=60,
        holdSeconds=0,
        answerRate=100.0,
        averageTalkSeconds=240.0,
    )
    assert got["b"] == dict(
        inboundOffered=1,
        inboundAnswered=1,
        inboundTalkSeconds=100,
        outboundCalls=0,
        outboundSuccessful=0,
        outboundTalkSeconds=0,
        totalTalkSeconds=100,
        ringSeconds=30,
        holdSeconds=20,
        answerRate=100.0,
        averageTalkSeconds=100.0,
    )
    assert got["c"] == dict(
        inboundOffered=1,
        inboundAnswered=0,
        inboundTalkSeconds=0,
        outboundCalls=1,
        outboundSuccessful=1,
        outboundTalkSeconds=600,
        totalTalkSeconds=600,
        ringSeconds=40,
        holdSeconds=0,
        answerRate=0.0,
        averageTalkSeconds=600.0,
    )


async def test_team_report(gql, world):
    rows = await report(gql, world["boss"], "TeamReport")
    got = {r["team"]["name"]: r["figures"] for r in rows}
    assert got["T1"] == dict(
        inboundOffered=2,
        inboundAnswered=2,
        inboundTalkSeconds=340,
        outboundCalls=1,
        outboundSuccessful=0,
        outboundTalkSeconds=0,
        totalTalkSeconds=340,
        ringSeconds=90,
        holdSeconds=20,
        answerRate=100.0,
        averageTalkSeconds=170.0,
    )
    assert got["T2"]["totalTalkSeconds"] == 600 and got["T2"]["inboundOffered"] == 1


async def test_agent_work_status_includes_every_leg_and_utilization(gql, world):
    await workforce.import_intervals(
        actor=dataset.SYSTEM,
        items=[
            workforce.IntervalInput(
                i["agentAccount"],
                i["status"],
                datetime.fromisoformat(i["startedAt"]),
                datetime.fromisoformat(i["endedAt"]),
            )
            for i in dataset.INTERVALS
        ],
    )
    rows = await report(gql, world["boss"], "AgentWorkStatusReport")
    got = {r.pop("agent")["account"]: r for r in rows}
    assert got["a"] == dict(
        legs=3,
        ringSeconds=70,
        talkSeconds=270,
        subLegTalkSeconds=30,
        onlineSeconds=7200,
        idleSeconds=3600,
        busySeconds=1800,
        acwSeconds=600,
        breakSeconds=1200,
        utilization=62.08,
    )
    assert got["b"] == dict(
        legs=2,
        ringSeconds=40,
        talkSeconds=400,
        subLegTalkSeconds=300,
        onlineSeconds=3600,
        idleSeconds=3600,
        busySeconds=0,
        acwSeconds=0,
        breakSeconds=0,
        utilization=111.11,
    )
    assert got["c"] == dict(
        legs=3,
        ringSeconds=45,
        talkSeconds=660,
        subLegTalkSeconds=60,
        onlineSeconds=0,
        idleSeconds=0,
        busySeconds=0,
        acwSeconds=0,
        breakSeconds=0,
        utilization=None,
    )
    assert got["s"] == dict(
        legs=3,
        ringSeconds=0,
        talkSeconds=270,
        subLegTalkSeconds=270,
        onlineSeconds=0,
        idleSeconds=0,
        busySeconds=0,
        acwSeconds=0,
        breakSeconds=0,
        utilization=None,
    )
    only_t1 = await report(
        gql, world["boss"], "AgentWorkStatusReport", filter={"teams": [str(world["T1"].id)]}
    )
    assert sorted(r["agent"]["account"] for r in only_t1) == ["a", "b"]


async def test_business_time_zone_moves_calls_between_days():
    """Asia/Shanghai is UTC+8: C3 (23:50 UTC on day 1) falls on local day 2."""
    rng = day_range(date(2026, 3, 2), date(2026, 3, 3), "Asia/Shanghai")
    assert rng.start == datetime(2026, 3, 1, 16, tzinfo=UTC)
    sql, _ = call_report_sql(rng, GroupBy.DAY, CallFilter())
    assert "+ 28800" in sql


async def test_business_time_zone_report(make_account):
    await dataset.build_contact_day(make_account)
    rng = day_range(date(2026, 3, 2), date(2026, 3, 3), "Asia/Shanghai")
    rows = await call_report(rng, GroupBy.DAY, CallFilter())
    assert [(r.day.isoformat(), r.figures.offered_calls, r.figures.records) for r in rows] == [
        ("2026-03-02", 2, 8),
        ("2026-03-03", 4, 6),
    ]


async def test_daylight_saving_change_is_exact_to_the_second(make_account):
    """New York switches to EDT at 2026-03-08 07:00:00 UTC (02:00 EST -> 03:00 EDT)."""
    await make_account("a", Role.AGENT)
    records_ = [
        dataset.call(f"D{n}", f"D{n}", "INBOUND", "a", at, result="AGENT_NO_ANSWER", endedAt=at)
        for n, at in enumerate(
            [
                "2026-03-08T06:59:59Z",
                "2026-03-08T07:00:00Z",
                "2026-03-08T04:59:59Z",
                "2026-03-09T03:59:59Z",
                "2026-03-09T04:00:00Z",
            ]
        )
    ]
    await import_call_records(actor=dataset.SYSTEM, records=records_)
    rng = day_range(date(2026, 3, 8), date(2026, 3, 8), "America/New_York")
    assert rng.end - rng.start == timedelta(hours=23)
    hours = await call_report(rng, GroupBy.HOUR, CallFilter())
    assert [(r.hour.strftime("%H:%M %Z"), r.figures.offered_calls) for r in hours] == [
        ("01:00 EST", 1),
        ("03:00 EDT", 1),
        ("23:00 EDT", 1),
    ]
    days = await call_report(rng, GroupBy.DAY, CallFilter())
    assert [(r.day.isoformat(), r.figures.offered_calls) for r in days] == [("2026-03-08", 3)]


async def test_satisfaction_report_r_sat_1(gql, world):
    await sessions.import_sessions(
        actor=dataset.SYSTEM,
        items=[
            sessions.SessionInput(f"S{n}", Channel.WEB, datetime(2026, 3, 2, 9, tzinfo=UTC))
            for n in (1, 2)
        ],
    )
    at = datetime(2026, 3, 2, 12, tzinfo=UTC)
    rating = ratings.RatingInput
    await ratings.import_ratings(
        actor=dataset.SYSTEM,
        items=[
            rating(Channel.WEB, "VERY_SATISFIED", at, session_id="S1"),
            rating(Channel.WEB, "SATISFIED", at, session_id="S2"),
            rating(Channel.PHONE, "SATISFIED", at, main_call_id="C1"),
            rating(Channel.PHONE, "UNSATISFIED", at, main_call_id="C2"),
            rating(
                Channel.PHONE,
                "VERY_UNSATISFIED",
                datetime(2026, 3, 5, tzinfo=UTC),
                main_call_id="C4",
            ),  # outside the range
        ],
    )
    whole = await report(gql, world["boss"], "SatisfactionReport")
    assert whole == {
        "participants": 4,
        "levels": [
            {"level": "VERY_SATISFIED", "count": 1, "rate": 25.0},
            {"level": "SATISFIED", "count": 2, "rate": 50.0},
            {"level": "NEUTRAL", "count": 0, "rate": 0.0},
            {"level": "UNSATISFIED", "count": 1, "rate": 25.0},
            {"level": "VERY_UNSATISFIED", "count": 0, "rate": 0.0},
        ],
    }
    phone = await report(gql, world["boss"], "SatisfactionReport", channel="PHONE")
    assert phone["participants"] == 2
    assert [(x["count"], x["rate"]) for x in phone["levels"]] == [
        (0, 0.0),
        (1, 50.0),
        (0, 0.0),
        (1, 50.0),
        (0, 0.0),
    ]


async def test_ticket_satisfaction_report_r_sat_3(gql, world, make_account, settings):
    actor = dataset.SYSTEM
    await ticket_surveys.update_settings(
        actor=actor,
        enabled=True,
        channels=[Channel.EMAIL, Channel.WEB],
        question="How did we do?",
        valid_days=7,
    )
    links = []
    for n in range(4):
        ticket = await tickets.create_ticket(
            actor=actor, data=tickets.TicketInput(subject=f"T{n}", channel=Channel.EMAIL)
        )
        await tickets.change_status(
            actor=actor,
            ticket_id=ticket.id,
            status=TicketStatus.SOLVED,
            public_url=settings.public_url,
            secret_key=settings.secret_key,
        )
        invitation = await TicketSatisfactionInvitation.get(ticket_id=ticket.id)
        links.append(ticket_surveys.token_for(invitation.id, settings.secret_key))
    phone = await tickets.create_ticket(
        actor=actor, data=tickets.TicketInput(subject="P", channel=Channel.PHONE)
    )
    await tickets.change_status(
        actor=actor,
        ticket_id=phone.id,
        status=TicketStatus.SOLVED,
        public_url=settings.public_url,
        secret_key=settings.secret_key,
    )  # PHONE is not a survey channel
    for link, score in zip(links, (5, 4, 1), strict=False):
        await ticket_surveys.submit(
            actor=actor, token=link, score=score, comment=None, secret_key=settings.secret_key
        )
    today = datetime.now(UTC).date().isoformat()
    got = await report(
        gql, world["boss"], "TicketSatisfactionReport", **{"from": today, "to": today}
    )
    assert got == {
        "invited": 4,
        "rated": 3,
        "ratingRate": 75.0,
        "averageScore": 3.33,
        "goodCount": 1,
        "goodRate": 33.33,
        "mediumCount": 1,
        "mediumRate": 33.33,
        "badCount": 1,
        "badRate": 33.33,
        "scoreCounts": [
            {"score": 5, "count": 1},
            {"score": 4, "count": 1},
            {"score": 3, "count": 0},
            {"score": 2, "count": 0},
            {"score": 1, "count": 1},
        ],
    }


async def test_reports_need_reports_view(gql, world):
    agent_token = world["a"][1]
    for name in (
        "CallReport",
        "AgentReport",
        "TeamReport",
        "AgentWorkStatusReport",
        "SatisfactionReport",
        "TicketSatisfactionReport",
    ):
        result = await gql(operation(f"reports/{name}"), DAYS, token=agent_token)
        assert error_codes(result) == ["FORBIDDEN"], name
        result = await gql(operation(f"reports/{name}"), DAYS)
        assert error_codes(result) == ["UNAUTHENTICATED"], name


async def test_report_input_errors(gql, world):
    bad = [
        ({"from": "2026-03-03", "to": "2026-03-02"}, "to"),
        ({"from": "2024-01-01", "to": "2026-01-01"}, "to"),
        ({**DAYS, "filter": {"agentAccounts": ["nobody"]}}, "filter.agentAccounts"),
        ({**DAYS, "filter": {"teams": ["x"]}}, "filter.teams"),
    ]
    for variables, field in bad:
        result = await gql(operation("reports/CallReport"), variables, token=world["boss"])
        assert error_codes(result) == ["BAD_USER_INPUT"], variables
        assert result["errors"][0]["extensions"]["field"] == field


async def test_each_report_is_a_fixed_number_of_statements(gql, world):
    """R-RPT-4: computed by the database: one aggregate, plus one name look-up per kind."""
    expected = {
        "CallReport": 2,
        "AgentReport": 2,
        "TeamReport": 2,
        "SatisfactionReport": 1,
        "TicketSatisfactionReport": 1,
        "AgentWorkStatusReport": 3,
    }
    for name, statements in expected.items():
        variables = {**DAYS, "groupBy": "QUEUE"} if name == "CallReport" else DAYS
        with count_queries() as queries:
            result = await gql(operation(f"reports/{name}"), variables, token=world["boss"])
        assert "errors" not in result
        # + the token check (auth) and its account look-up
        work = [q for q in queries if "auth_token" not in q and "permission_group" not in q]
        assert len(work) == statements, (name, work)
