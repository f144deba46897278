"""Every report and every date or datetime filter in a business time zone that is not UTC
(Asia/Shanghai, UTC+8), on a real server process configured with it, on SQLite and PostgreSQL.

Instants near the edges of local days, and rows the server re-saves after they were written
(a rating replaced, a survey answered, a session ended, a ticket edited): a re-saved instant
once came back as text with a +08:00 offset on SQLite and was compared, as text, with UTC
bounds. Local day 2026-03-02 is [2026-03-01 16:00, 2026-03-02 16:00) UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest

from app.accounts.models import Role
from app.surveys.models import TicketSatisfactionInvitation
from app.tickets.models import Ticket
from tests.support import DATABASE_URL, cli_env, free_port, operation, server_process

ZONE = "Asia/Shanghai"
DAY = {"from": "2026-03-02", "to": "2026-03-02"}
NEXT = {"from": "2026-03-03", "to": "2026-03-03"}


@pytest.fixture(scope="module")
def shanghai(app, tmp_path_factory):
    port = free_port()
    env = cli_env(
        DATABASE_URL,
        tmp_path_factory.mktemp("tz"),
        DESKQL_TIMEZONE=ZONE,
        DESKQL_PUBLIC_URL=f"http://127.0.0.1:{port}",
    )
    with server_process(env, port) as base:
        yield base


@pytest.fixture
async def api(shanghai, make_account):
    """post(document or name, variables) as the super admin, through the Shanghai server."""
    _, token = await make_account("boss", Role.SUPER_ADMIN)
    async with httpx.AsyncClient(
        base_url=shanghai, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as http:

        async def post(document: str, variables: dict | None = None) -> dict:
            query = operation(document) if "{" not in document else document
            body = (
                await http.post("/graphql", json={"query": query, "variables": variables or {}})
            ).json()
            assert "errors" not in body, body
            return body["data"]

        yield post


def call(call_id: str, kind: str, started: str, talk: int) -> dict:
    """An answered call of agent a, ending `talk` seconds after it started."""
    start = datetime.fromisoformat(started)
    return {
        "id": call_id,
        "mainCallId": call_id,
        "callType": kind,
        "agentAccount": "a",
        "startedAt": started,
        "answeredAt": started,
        "result": "ANSWERED",
        "endedAt": (start + timedelta(seconds=talk)).isoformat(),
        "talkSeconds": talk,
    }


@pytest.fixture
async def calls(api, make_account):
    """X1 at 00:30 and X2 at 23:59:59 local on 03-02; X3 at 00:00:00 local on 03-03."""
    agent, _ = await make_account("a", Role.AGENT)
    team = (await api('mutation { createTeam(name: "T") { id } }'))["createTeam"]["id"]
    await api(
        "mutation($t: ID!, $a: [ID!]!) { setTeamMembers(teamId: $t, accountIds: $a) { id } }",
        {"t": team, "a": [str(agent.id)]},
    )
    await api(
        operation("integration/ImportCallRecords"),
        {
            "records": [
                call("X1", "INBOUND", "2026-03-01T16:30:00+00:00", 60),
                call("X2", "INBOUND", "2026-03-02T15:59:59+00:00", 30),
                call("X3", "OUTBOUND", "2026-03-02T16:00:00+00:00", 45),
            ]
        },
    )
    await api(
        "mutation($i: [AgentStatusIntervalInput!]!) { importAgentStatusIntervals("
        "intervals: $i) { created } }",
        {
            "i": [
                {
                    "agentAccount": "a",
                    "status": "IDLE",
                    "startedAt": "2026-03-01T15:00:00Z",
                    "endedAt": "2026-03-01T17:00:00Z",
                }
            ]
        },
    )  # 23:00-01:00 local
    return team


async def test_call_reports_and_the_calls_list_count_by_local_day(api, calls):
    whole = (await api("reports/CallReport", DAY))["callReport"]
    assert [(r["offeredCalls"], r["totalTalkSeconds"]) for r in whole] == [(2, 90)]
    days = await api("reports/CallReport", {**DAY, "to": "2026-03-03", "groupBy": "DAY"})
    assert [(r["date"], r["offeredCalls"]) for r in days["callReport"]] == [
        ("2026-03-02", 2),
        ("2026-03-03", 1),
    ]
    hours = (await api("reports/CallReport", {**DAY, "groupBy": "HOUR"}))["callReport"]
    assert [(r["hour"], r["offeredCalls"]) for r in hours] == [
        ("2026-03-02T00:00:00+08:00", 1),
        ("2026-03-02T23:00:00+08:00", 1),
    ]
    agents = (await api("reports/AgentReport", DAY))["agentReport"]
    assert [
        (r["agent"]["account"], r["figures"]["inboundOffered"], r["figures"]["outboundCalls"])
        for r in agents
    ] == [("a", 2, 0)]
    teams = (await api("reports/TeamReport", NEXT))["teamReport"]
    assert [(r["team"]["name"], r["figures"]["outboundCalls"]) for r in teams] == [("T", 1)]
    status = (await api("reports/AgentWorkStatusReport", DAY))["agentWorkStatusReport"]
    assert [(r["legs"], r["talkSeconds"], r["onlineSeconds"]) for r in status] == [(2, 90, 3600)]
    listed = (await api("reports/CallRecords", {"filter": DAY}))["calls"]["nodes"]
    assert [c["id"] for c in listed] == ["X2", "X1"]
    listed = (await api("reports/CallRecords", {"filter": NEXT}))["calls"]["nodes"]
    assert [c["id"] for c in listed] == ["X3"]


async def test_ratings_count_on_their_local_day(api, calls):
    """A rating given at 10:00 UTC is 18:00 in Shanghai: the same local day."""
    await api(
        "mutation($s: [ChatSessionInput!]!) { importChatSessions(sessions: $s) { created } }",
        {"s": [{"sessionId": "S1", "channel": "WEB", "startedAt": "2026-03-02T09:00:00Z"}]},
    )
    live = operation("integration/RecordSessionEvent")
    for n, (kind, at, extra) in enumerate(
        [
            ("STARTED", "2026-03-02T09:30:00Z", {"channel": "H5"}),
            ("ENDED", "2026-03-02T09:50:00Z", {}),
            ("RATED", "2026-03-02T10:00:00Z", {"level": "SATISFIED"}),
        ]
    ):
        await api(
            live,
            {
                "input": {
                    "eventId": f"s2-{n}",
                    "type": kind,
                    "sessionId": "S2",
                    "occurredAt": at,
                    **extra,
                }
            },
        )
    ratings = (
        "mutation($r: [SatisfactionRatingInput!]!) { importSatisfactionRatings("
        "ratings: $r) { created updated } }"
    )
    batch = [
        {
            "sessionId": "S1",
            "channel": "WEB",
            "level": "VERY_SATISFIED",
            "ratedAt": "2026-03-02T10:00:00Z",
        },
        {
            "mainCallId": "X1",
            "channel": "PHONE",
            "level": "NEUTRAL",
            "ratedAt": "2026-03-02T17:00:00Z",
        },
    ]  # 01:00 local on 03-03
    await api(ratings, {"r": batch})
    await api(ratings, {"r": batch})  # replaced: re-saved

    day = (await api("reports/SatisfactionReport", DAY))["satisfactionReport"]
    next_day = (await api("reports/SatisfactionReport", NEXT))["satisfactionReport"]

    assert day["participants"] == 2
    assert [(x["level"], x["count"]) for x in day["levels"] if x["count"]] == [
        ("VERY_SATISFIED", 1),
        ("SATISFIED", 1),
    ]
    assert next_day["participants"] == 1


async def test_ticket_survey_invitations_count_on_their_local_day(api):
    await api(
        "mutation { updateTicketSatisfactionSettings(enabled: true, channels: [EMAIL], "
        'question: "How did we do?") { enabled } }'
    )
    ticket = (
        await api('mutation { createTicket(input: {subject: "Refund", channel: EMAIL}) { id } }')
    )["createTicket"]
    solved = await api(
        operation("workspace/ChangeTicketStatus"), {"id": ticket["id"], "status": "SOLVED"}
    )
    url = solved["changeTicketStatus"]["satisfaction"]["surveyUrl"]
    await TicketSatisfactionInvitation.filter(ticket_id=int(ticket["id"])).update(
        invited_at=datetime(2026, 3, 2, 10, tzinfo=UTC)
    )  # 18:00 local
    token = url.rsplit("/", 1)[1]
    await api(
        "mutation($t: String!) { submitTicketSatisfaction(token: $t, score: 4) }", {"t": token}
    )  # the invitation is re-saved with its answer

    day = (await api("reports/TicketSatisfactionReport", DAY))["ticketSatisfactionReport"]
    next_day = (await api("reports/TicketSatisfactionReport", NEXT))["ticketSatisfactionReport"]

    assert (day["invited"], day["rated"], day["averageScore"]) == (1, 1, 4.0)
    assert next_day["invited"] == 0


async def test_chat_sessions_filter_by_local_start_day(api):
    live = operation("integration/RecordSessionEvent")
    for n, (session, kind, at) in enumerate(
        [
            ("S3", "STARTED", "2026-03-02T15:30:00Z"),  # 23:30 local
            ("S3", "ENDED", "2026-03-02T16:30:00Z"),  # re-saves S3
            ("S4", "STARTED", "2026-03-02T16:30:00Z"),
        ]
    ):  # 00:30 local on 03-03
        await api(
            live,
            {
                "input": {
                    "eventId": f"e{n}",
                    "type": kind,
                    "sessionId": session,
                    "occurredAt": at,
                    "channel": "WEB",
                }
            },
        )

    day = (await api("reports/ChatSessions", {"filter": DAY}))["chatSessions"]["nodes"]
    next_day = (await api("reports/ChatSessions", {"filter": NEXT}))["chatSessions"]["nodes"]

    assert [s["id"] for s in day] == ["S3"]
    assert [s["id"] for s in next_day] == ["S4"]


async def test_tickets_filter_by_local_creation_day(api):
    made = await api('mutation { createTicket(input: {subject: "Late"}) { id } }')
    ticket_id = made["createTicket"]["id"]
    await Ticket.filter(id=int(ticket_id)).update(created_at=datetime(2026, 3, 2, 10, tzinfo=UTC))
    await api(
        'mutation($id: ID!) { updateTicket(id: $id, input: {subject: "Later"}) { id } }',
        {"id": ticket_id},
    )  # re-saves the ticket, created_at included

    day = (await api("workspace/Tickets", {"filter": DAY}))["tickets"]["nodes"]
    next_day = (await api("workspace/Tickets", {"filter": NEXT}))["tickets"]["nodes"]

    assert [t["id"] for t in day] == [ticket_id]
    assert next_day == []


async def test_qc_results_by_local_completion_day(api):
    qc = "mutation($r: [QcResultInput!]!) { importOnlineQcResults(results: $r) { created } }"
    results = [
        {
            "id": f"Q{n}",
            "startedAt": "2026-03-02T08:00:00Z",
            "completedAt": at,
            "fullScore": 100,
            "score": 90,
        }
        for n, at in enumerate(["2026-03-02T15:59:59Z", "2026-03-02T16:00:00Z"])
    ]
    await api(qc, {"r": results})
    await api(qc, {"r": results})  # replaced: re-saved

    day = (await api("reports/OnlineQcResults", DAY))["onlineQcResults"]
    next_day = (await api("reports/OnlineQcResults", NEXT))["onlineQcResults"]

    assert (day["total"], [r["id"] for r in day["rows"]]) == (1, ["Q0"])
    assert (next_day["total"], [r["id"] for r in next_day["rows"]]) == (1, ["Q1"])


async def test_domain_events_after_an_instant_in_any_offset(api):
    await api('mutation { createTicket(input: {subject: "One"}) { id } }')
    events = (await api("{ domainEvents { id occurredAt } }"))["domainEvents"]
    logged = events[0]["occurredAt"]
    instant = datetime.fromisoformat(logged)
    before = (instant - timedelta(seconds=1)).astimezone(timezone(timedelta(hours=8)))
    after = (instant + timedelta(seconds=1)).astimezone(timezone(timedelta(hours=-5)))
    query = "query($t: DateTime) { domainEvents(occurredAfter: $t) { id } }"

    assert (await api(query, {"t": before.isoformat()}))["domainEvents"] == [
        {"id": events[0]["id"]}
    ]
    assert (await api(query, {"t": after.isoformat()}))["domainEvents"] == []
    assert logged.endswith("+00:00")  # instants come back in UTC whatever the business zone
