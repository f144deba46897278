"""Live chat session events, transfer history, ratings given live (R-CC-6, R-SAT-1) and
service summaries (R-CC-7)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.accounts.models import Role
from app.channels import Channel
from app.chat import sessions
from app.surveys.models import SatisfactionRating
from tests.support import SYSTEM, error_codes, operation, snapshot

SESSION = operation("integration/RecordSessionEvent")


@pytest.fixture
async def pbx(make_account):
    for name in ("a", "b", "c"):
        await make_account(name, Role.AGENT)
    _, token = await make_account("pbx", Role.AGENT, groups=[["integration.write"]])
    return token


def at(clock: str) -> str:
    return f"2026-03-02T{clock}+08:00"


async def test_session_events_and_transfer_history(gql, pbx, make_account):
    async def session(event_id, type_, clock, **fields):
        result = await gql(
            SESSION,
            {
                "input": {
                    "eventId": event_id,
                    "type": type_,
                    "sessionId": "S1",
                    "occurredAt": at(clock),
                    **fields,
                }
            },
            token=pbx,
        )
        assert "errors" not in result, result
        return result["data"]["recordSessionEvent"]

    await session("s1", "STARTED", "10:00:00", channel="H5")
    await session("s2", "ASSIGNED", "10:00:05", agentAccount="a")
    await session("s3", "TRANSFERRED", "10:05:00", agentAccount="b", reason="billing")
    assert (await session("s3", "TRANSFERRED", "10:05:00", agentAccount="b"))["duplicate"]
    await session("s4", "ENDED", "10:20:00")
    done = await session("s5", "RATED", "10:21:00", level="SATISFIED", comment="thanks")
    assert done["session"]["transferCount"] == 1
    assert done["session"]["agent"]["account"] == "b"
    rating = await SatisfactionRating.get()
    assert (rating.level, rating.channel, rating.comment) == ("SATISFIED", "H5", "thanks")
    _, viewer = await make_account("viewer", Role.AGENT, groups=[["reports.view"]])
    listed = await gql(
        operation("reports/ChatSessions"), {"filter": {"transferredOnly": True}}, token=viewer
    )
    node = listed["data"]["chatSessions"]["nodes"][0]
    assert node["transfers"] == [
        {
            "transferredAt": "2026-03-02T02:05:00+00:00",
            "reason": "billing",
            "fromAgent": {"account": "a"},
            "toAgent": {"account": "b"},
        }
    ]
    # an agent who never touched the session does not see it
    a_token = (await make_account("a2", Role.AGENT))[1]
    assert (await gql(operation("reports/ChatSessions"), {}, token=a_token))["data"][
        "chatSessions"
    ]["nodes"] == []


async def test_service_summary_r_cc_7(gql, pbx, make_account):
    _, a_token = await make_account("agent-a", Role.AGENT)
    _, other = await make_account("agent-o", Role.AGENT)
    await sessions.import_sessions(
        actor=SYSTEM,
        items=[
            sessions.SessionInput(
                "S9",
                Channel.WEB,
                datetime(2026, 3, 2, tzinfo=UTC),
                agent_account="agent-a",
            )
        ],
    )
    query = operation("workspace/ServiceSummary")
    empty = await gql(query, {"sessionId": "S9"}, token=a_token)
    assert empty["data"]["serviceSummary"]["summarized"] is False
    submit = """mutation($id: ID!, $input: ServiceSummaryInput!) {
      submitServiceSummary(sessionId: $id, input: $input) { summarized } }"""
    summary = {
        "businessUnit": "Retail",
        "questionType": "Refund",
        "resolutionStatus": "RESOLVED",
        "remark": "refunded",
        "markedValid": True,
        "customFields": [{"name": "order", "value": "A-7"}],
    }
    done = await gql(submit, {"id": "S9", "input": summary}, token=a_token)
    assert done["data"]["submitServiceSummary"]["summarized"] is True
    got = (await gql(query, {"sessionId": "S9"}, token=a_token))["data"]["serviceSummary"]
    assert got == {
        "sessionId": "S9",
        "summarized": True,
        "agent": {"account": "agent-a", "displayName": "Agent-A"},
        **summary,
    }
    assert error_codes(await gql(query, {"sessionId": "S9"}, token=other)) == ["NOT_FOUND"]
    assert error_codes(await gql(submit, {"id": "S9", "input": summary}, token=other)) == [
        "NOT_FOUND"
    ]
    assert error_codes(await gql(query, {"sessionId": "nope"}, token=a_token)) == ["NOT_FOUND"]


async def test_only_the_current_agent_or_a_supervisor_writes_the_summary(gql, pbx, make_account):
    """a hands the session over to b: a still sees it, but may no longer write its summary
    (nor take the summary over); b may, and so may a supervisor (sessions.manage)."""
    _, a = await make_account("agent-a", Role.AGENT)
    _, b = await make_account("agent-b", Role.AGENT)
    _, boss = await make_account("boss", Role.AGENT, groups=[["sessions.manage"]])
    for n, (kind, extra) in enumerate(
        [
            ("STARTED", {"channel": "WEB", "agentAccount": "agent-a"}),
            ("TRANSFERRED", {"agentAccount": "agent-b"}),
        ]
    ):
        result = await gql(
            SESSION,
            {
                "input": {
                    "eventId": f"t{n}",
                    "type": kind,
                    "sessionId": "S5",
                    "occurredAt": at("10:00:00"),
                    **extra,
                }
            },
            token=pbx,
        )
        assert "errors" not in result, result
    submit = """mutation($input: ServiceSummaryInput!) {
      submitServiceSummary(sessionId: "S5", input: $input) { remark agent { account } } }"""
    before = await snapshot()

    refused = await gql(submit, {"input": {"remark": "mine now"}}, token=a)
    assert error_codes(refused) == ["FORBIDDEN"]
    assert await snapshot() == before
    by_b = await gql(submit, {"input": {"remark": "solved"}}, token=b)
    assert by_b["data"]["submitServiceSummary"] == {
        "remark": "solved",
        "agent": {"account": "agent-b"},
    }
    by_boss = await gql(submit, {"input": {"remark": "checked"}}, token=boss)
    assert by_boss["data"]["submitServiceSummary"] == {
        "remark": "checked",
        "agent": {"account": "boss"},
    }
