"""Live call and chat events, their idempotency, and the domain event log with several
consumers (R-CC-3..7, R-SAT-1)."""

from __future__ import annotations

import asyncio

import pytest

from app.accounts.models import Role
from app.contact import events, models
from tests.conftest import error_codes
from tests.support import operation, snapshot

CALL = operation("integration/RecordCallEvent")
SESSION = operation("integration/RecordSessionEvent")


@pytest.fixture
async def pbx(make_account):
    for name in ("a", "b", "c"):
        await make_account(name, Role.AGENT)
    _, token = await make_account("pbx", Role.AGENT, groups=[["integration.write"]])
    return token


def at(clock: str) -> str:
    return f"2026-03-02T{clock}+08:00"


async def send(gql, token, event_id, type_, call_id, clock, **fields):
    result = await gql(CALL, {"input": {"eventId": event_id, "type": type_, "callId": call_id,
                                        "occurredAt": at(clock), **fields}}, token=token)
    assert "errors" not in result, result
    return result["data"]["recordCallEvent"]


async def test_a_transferred_call_from_events(gql, pbx):
    """Incoming -> a rings and answers -> hold -> consult c -> transfer to b -> both end."""
    await send(gql, pbx, "e1", "INCOMING", "K1", "10:00:00", queue="sales",
               customerPhone="+8613800138000", caller="13800138000", callee="4008001234")
    await send(gql, pbx, "e2", "RINGING", "K1", "10:00:05", agentAccount="a")
    await send(gql, pbx, "e3", "ANSWERED", "K1", "10:00:15")
    await send(gql, pbx, "e4", "HOLD", "K1", "10:01:00")
    await send(gql, pbx, "e5", "UNHOLD", "K1", "10:01:30")
    await send(gql, pbx, "e6", "CONSULT", "K1-c", "10:02:00", mainCallId="K1",
               callType="CONSULT_AGENT", agentAccount="c")
    await send(gql, pbx, "e7", "ANSWERED", "K1-c", "10:02:10")
    await send(gql, pbx, "e8", "ENDED", "K1-c", "10:03:10", hangupParty="AGENT")
    await send(gql, pbx, "e9", "TRANSFER", "K1-b", "10:04:00", mainCallId="K1",
               callType="TRANSFER_AGENT", agentAccount="b")
    await send(gql, pbx, "e10", "ANSWERED", "K1-b", "10:04:20")
    main = (await send(gql, pbx, "e11", "ENDED", "K1", "10:04:20",
                       hangupParty="TRANSFER"))["call"]
    assert main == {
        "id": "K1", "mainCallId": "K1", "callType": "INBOUND", "agentAccount": "a",
        "answeredAt": "2026-03-02T02:00:15+00:00", "endedAt": "2026-03-02T02:04:20+00:00",
        "ringSeconds": 10, "talkSeconds": 215, "holdSeconds": 30, "queueSeconds": 5,
        "result": "ANSWERED", "hangupParty": "TRANSFER", "transferFlag": "TRANSFERRED",
        "consulted": True, "consultCount": 1, "voicemail": False}
    leg = (await send(gql, pbx, "e12", "ENDED", "K1-b", "10:09:20",
                      hangupParty="CUSTOMER", recordingUrl="https://rec.example/K1.mp3"))["call"]
    assert (leg["callType"], leg["talkSeconds"], leg["ringSeconds"], leg["result"]) == (
        "TRANSFER_AGENT", 300, 20, "ANSWERED")
    topics = [e.topic for e in await events.read(limit=100)]
    assert topics == ["call.incoming", "call.ringing", "call.answered", "call.hold",
                      "call.unhold", "call.consult", "call.answered", "call.ended",
                      "call.transfer", "call.answered", "call.ended", "call.ended"]


async def test_a_replayed_event_changes_nothing(gql, pbx):
    await send(gql, pbx, "e1", "INCOMING", "K2", "10:00:00")
    await send(gql, pbx, "e2", "ANSWERED", "K2", "10:00:10")
    before = await snapshot()
    again = await send(gql, pbx, "e2", "ANSWERED", "K2", "10:00:59")
    assert again["duplicate"] is True
    assert again["call"]["answeredAt"] == "2026-03-02T02:00:10+00:00"
    assert await snapshot() == before


async def test_concurrent_replays_apply_once(gql, pbx):
    await send(gql, pbx, "e1", "INCOMING", "K3", "10:00:00")
    results = await asyncio.gather(*[
        gql(CALL, {"input": {"eventId": "dup", "type": "ANSWERED", "callId": "K3",
                             "occurredAt": at("10:00:10")}}, token=pbx) for _ in range(4)])
    duplicates = sorted(r["data"]["recordCallEvent"]["duplicate"] for r in results)
    assert duplicates == [False, True, True, True]
    assert await models.DomainEvent.filter(topic="call.answered").count() == 1


async def test_bad_events_are_refused_and_can_be_sent_again(gql, pbx):
    unknown = await gql(CALL, {"input": {"eventId": "x1", "type": "ANSWERED", "callId": "nope",
                                         "occurredAt": at("10:00:00")}}, token=pbx)
    assert error_codes(unknown) == ["NOT_FOUND"]
    assert not await models.IngestedEvent.filter(event_id="x1").exists()
    await send(gql, pbx, "x2", "INCOMING", "K4", "10:00:00")
    early = await gql(CALL, {"input": {"eventId": "x3", "type": "ANSWERED", "callId": "K4",
                                       "occurredAt": at("09:59:00")}}, token=pbx)
    assert early["errors"][0]["extensions"]["field"] == "occurredAt"
    wrong_leg = await gql(CALL, {"input": {"eventId": "x4", "type": "CONSULT", "callId": "K4-1",
                                           "mainCallId": "K4", "callType": "TRANSFER_AGENT",
                                           "agentAccount": "b", "occurredAt": at("10:01:00")}},
                          token=pbx)
    assert wrong_leg["errors"][0]["extensions"]["field"] == "callType"
    await send(gql, pbx, "x5", "ABANDONED", "K4", "10:02:00", result="ABANDONED_IN_IVR")
    ended = await gql(CALL, {"input": {"eventId": "x6", "type": "RINGING", "callId": "K4",
                                       "occurredAt": at("10:03:00")}}, token=pbx)
    assert error_codes(ended) == ["CALL_ENDED"]
    naive = await gql(CALL, {"input": {"eventId": "x7", "type": "INCOMING", "callId": "K5",
                                       "occurredAt": "2026-03-02T10:00:00"}}, token=pbx)
    assert naive["errors"][0]["extensions"]["field"] == "occurredAt"


async def test_voicemail_and_unanswered_results(gql, pbx):
    await send(gql, pbx, "v1", "INCOMING", "V1", "10:00:00")
    await send(gql, pbx, "v2", "RINGING", "V1", "10:00:02", agentAccount="a")
    await send(gql, pbx, "v3", "VOICEMAIL", "V1", "10:00:30",
               voicemailUrl="https://rec.example/v.mp3")
    call = (await send(gql, pbx, "v4", "ENDED", "V1", "10:01:00", hangupParty="CUSTOMER"))["call"]
    assert (call["result"], call["voicemail"], call["talkSeconds"]) == ("VOICEMAIL", True, 0)
    await send(gql, pbx, "o1", "OUTGOING", "O1", "11:00:00", agentAccount="b")
    out = (await send(gql, pbx, "o2", "ENDED", "O1", "11:00:40"))["call"]
    assert out["result"] == "CUSTOMER_NO_ANSWER"


async def test_session_events_and_transfer_history(gql, pbx, make_account):
    async def session(event_id, type_, clock, **fields):
        result = await gql(SESSION, {"input": {"eventId": event_id, "type": type_,
                                               "sessionId": "S1", "occurredAt": at(clock),
                                               **fields}}, token=pbx)
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
    rating = await models.SatisfactionRating.get()
    assert (rating.level, rating.channel, rating.comment) == ("SATISFIED", "H5", "thanks")
    _, viewer = await make_account("viewer", Role.AGENT, groups=[["reports.view"]])
    listed = await gql(operation("reports/ChatSessions"), {"filter": {"transferredOnly": True}},
                       token=viewer)
    node = listed["data"]["chatSessions"]["nodes"][0]
    assert node["transfers"] == [{"transferredAt": "2026-03-02T02:05:00+00:00",
                                  "reason": "billing", "fromAgent": {"account": "a"},
                                  "toAgent": {"account": "b"}}]
    # an agent who never touched the session does not see it
    a_token = (await make_account("a2", Role.AGENT))[1]
    assert (await gql(operation("reports/ChatSessions"), {}, token=a_token))["data"][
        "chatSessions"]["nodes"] == []


async def test_service_summary_r_cc_7(gql, pbx, make_account):
    from datetime import datetime, timezone

    from app.contact import records

    _, a_token = await make_account("agent-a", Role.AGENT)
    _, other = await make_account("agent-o", Role.AGENT)
    await records.import_sessions([records.SessionInput(
        "S9", models.Channel.WEB, datetime(2026, 3, 2, tzinfo=timezone.utc),
        agent_account="agent-a")])
    query = operation("workspace/ServiceSummary")
    empty = await gql(query, {"sessionId": "S9"}, token=a_token)
    assert empty["data"]["serviceSummary"]["summarized"] is False
    submit = """mutation($id: ID!, $input: ServiceSummaryInput!) {
      submitServiceSummary(sessionId: $id, input: $input) { summarized } }"""
    summary = {"businessUnit": "Retail", "questionType": "Refund",
               "resolutionStatus": "RESOLVED", "remark": "refunded", "markedValid": True,
               "customFields": [{"name": "order", "value": "A-7"}]}
    done = await gql(submit, {"id": "S9", "input": summary}, token=a_token)
    assert done["data"]["submitServiceSummary"]["summarized"] is True
    got = (await gql(query, {"sessionId": "S9"}, token=a_token))["data"]["serviceSummary"]
    assert got == {"sessionId": "S9", "summarized": True,
                   "agent": {"account": "agent-a", "displayName": "Agent-A"}, **summary}
    assert error_codes(await gql(query, {"sessionId": "S9"}, token=other)) == ["NOT_FOUND"]
    assert error_codes(await gql(submit, {"id": "S9", "input": summary}, token=other)) == [
        "NOT_FOUND"]
    assert error_codes(await gql(query, {"sessionId": "nope"}, token=a_token)) == ["NOT_FOUND"]


async def test_domain_event_consumers_have_their_own_cursors():
    from tortoise.transactions import in_transaction

    async with in_transaction() as conn:
        for n in range(5):
            await events.append(conn, "test.event", str(n), {"n": n})
    seen: dict[str, list[int]] = {"zendesk": [], "webhooks": []}

    def handler(name):
        async def handle(batch):
            seen[name].extend(e.payload["n"] for e in batch)
        return handle

    assert await events.consume("zendesk", handler("zendesk"), limit=3) == 3
    assert await events.consume("webhooks", handler("webhooks"), limit=10) == 5
    assert await events.consume("zendesk", handler("zendesk"), limit=3) == 2
    assert await events.consume("zendesk", handler("zendesk")) == 0
    assert seen == {"zendesk": [0, 1, 2, 3, 4], "webhooks": [0, 1, 2, 3, 4]}

    async def failing(batch):
        raise RuntimeError("target down")

    async with in_transaction() as conn:
        await events.append(conn, "test.event", "5", {"n": 5})
    position = await events.cursor("webhooks")
    with pytest.raises(RuntimeError):
        await events.consume("webhooks", failing)
    assert await events.cursor("webhooks") == position  # not moved: the event is not lost
    assert await events.consume("webhooks", handler("webhooks")) == 1


async def test_a_rolled_back_change_logs_no_event():
    from tortoise.transactions import in_transaction

    with pytest.raises(ZeroDivisionError):
        async with in_transaction() as conn:
            await events.append(conn, "test.event", None, {})
            1 / 0
    assert await models.DomainEvent.all().count() == 0


async def test_event_log_and_consumer_lag_can_be_inspected(gql, pbx, make_account):
    _, admin = await make_account("ops", Role.FULL_ADMIN)
    await send(gql, pbx, "i1", "INCOMING", "K7", "10:00:00")
    await send(gql, pbx, "i2", "ANSWERED", "K7", "10:00:09")

    async def handle(batch):
        pass

    await events.consume("zendesk", handle, limit=1)
    listed = await gql("{ domainEvents { id topic subjectId payload } "
                       "eventConsumers { name lag } }", token=admin)
    log = listed["data"]["domainEvents"]
    assert [(e["topic"], e["subjectId"]) for e in log] == [("call.incoming", "K7"),
                                                            ("call.answered", "K7")]
    assert log[1]["payload"]["eventId"] == "i2"
    assert listed["data"]["eventConsumers"] == [{"name": "zendesk", "lag": 1}]
    after = await gql("query($a: ID) { domainEvents(after: $a) { topic } }",
                      {"a": log[0]["id"]}, token=admin)
    assert [e["topic"] for e in after["data"]["domainEvents"]] == ["call.answered"]
    refused = await gql("{ eventConsumers { name } }", token=pbx)
    assert error_codes(refused) == ["FORBIDDEN"]
