"""Live call events: a call built from its events, idempotency under replays, refusals that can
be sent again (R-CC-3..5), and the event log they write (who, through what, the catalogue)."""

from __future__ import annotations

import asyncio

import pytest

from app.accounts.models import Role
from app.events import consumers, log
from app.events.models import DomainEvent, IngestedEvent
from tests.support import error_codes, operation, snapshot

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
    result = await gql(
        CALL,
        {
            "input": {
                "eventId": event_id,
                "type": type_,
                "callId": call_id,
                "occurredAt": at(clock),
                **fields,
            }
        },
        token=token,
    )
    assert "errors" not in result, result
    return result["data"]["recordCallEvent"]


async def test_a_transferred_call_from_events(gql, pbx):
    """Incoming -> a rings and answers -> hold -> consult c -> transfer to b -> both end."""
    await send(
        gql,
        pbx,
        "e1",
        "INCOMING",
        "K1",
        "10:00:00",
        queue="sales",
        customerPhone="+8613800138000",
        caller="13800138000",
        callee="4008001234",
    )
    await send(gql, pbx, "e2", "RINGING", "K1", "10:00:05", agentAccount="a")
    await send(gql, pbx, "e3", "ANSWERED", "K1", "10:00:15")
    await send(gql, pbx, "e4", "HOLD", "K1", "10:01:00")
    await send(gql, pbx, "e5", "UNHOLD", "K1", "10:01:30")
    await send(
        gql,
        pbx,
        "e6",
        "CONSULT",
        "K1-c",
        "10:02:00",
        mainCallId="K1",
        callType="CONSULT_AGENT",
        agentAccount="c",
    )
    await send(gql, pbx, "e7", "ANSWERED", "K1-c", "10:02:10")
    await send(gql, pbx, "e8", "ENDED", "K1-c", "10:03:10", hangupParty="AGENT")
    await send(
        gql,
        pbx,
        "e9",
        "TRANSFER",
        "K1-b",
        "10:04:00",
        mainCallId="K1",
        callType="TRANSFER_AGENT",
        agentAccount="b",
    )
    await send(gql, pbx, "e10", "ANSWERED", "K1-b", "10:04:20")
    main = (await send(gql, pbx, "e11", "ENDED", "K1", "10:04:20", hangupParty="TRANSFER"))["call"]
    assert main == {
        "id": "K1",
        "mainCallId": "K1",
        "callType": "INBOUND",
        "agentAccount": "a",
        "answeredAt": "2026-03-02T02:00:15+00:00",
        "endedAt": "2026-03-02T02:04:20+00:00",
        "ringSeconds": 10,
        "talkSeconds": 215,
        "holdSeconds": 30,
        "queueSeconds": 5,
        "result": "ANSWERED",
        "hangupParty": "TRANSFER",
        "transferFlag": "TRANSFERRED",
        "consulted": True,
        "consultCount": 1,
        "voicemail": False,
    }
    leg = (
        await send(
            gql,
            pbx,
            "e12",
            "ENDED",
            "K1-b",
            "10:09:20",
            hangupParty="CUSTOMER",
            recordingUrl="https://rec.example/K1.mp3",
        )
    )["call"]
    assert (leg["callType"], leg["talkSeconds"], leg["ringSeconds"], leg["result"]) == (
        "TRANSFER_AGENT",
        300,
        20,
        "ANSWERED",
    )
    topics = [e.topic for e in await log.read(limit=100)]
    assert topics == [
        "call.incoming",
        "call.ringing",
        "call.answered",
        "call.hold",
        "call.unhold",
        "call.consult",
        "call.answered",
        "call.ended",
        "call.transfer",
        "call.answered",
        "call.ended",
        "call.ended",
    ]


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
    results = await asyncio.gather(
        *[
            gql(
                CALL,
                {
                    "input": {
                        "eventId": "dup",
                        "type": "ANSWERED",
                        "callId": "K3",
                        "occurredAt": at("10:00:10"),
                    }
                },
                token=pbx,
            )
            for _ in range(4)
        ]
    )
    duplicates = sorted(r["data"]["recordCallEvent"]["duplicate"] for r in results)
    assert duplicates == [False, True, True, True]
    assert await DomainEvent.filter(topic="call.answered").count() == 1


async def test_bad_events_are_refused_and_can_be_sent_again(gql, pbx):
    unknown = await gql(
        CALL,
        {
            "input": {
                "eventId": "x1",
                "type": "ANSWERED",
                "callId": "nope",
                "occurredAt": at("10:00:00"),
            }
        },
        token=pbx,
    )
    assert error_codes(unknown) == ["NOT_FOUND"]
    assert not await IngestedEvent.filter(event_id="x1").exists()
    await send(gql, pbx, "x2", "INCOMING", "K4", "10:00:00")
    early = await gql(
        CALL,
        {
            "input": {
                "eventId": "x3",
                "type": "ANSWERED",
                "callId": "K4",
                "occurredAt": at("09:59:00"),
            }
        },
        token=pbx,
    )
    assert early["errors"][0]["extensions"]["field"] == "occurredAt"
    wrong_leg = await gql(
        CALL,
        {
            "input": {
                "eventId": "x4",
                "type": "CONSULT",
                "callId": "K4-1",
                "mainCallId": "K4",
                "callType": "TRANSFER_AGENT",
                "agentAccount": "b",
                "occurredAt": at("10:01:00"),
            }
        },
        token=pbx,
    )
    assert wrong_leg["errors"][0]["extensions"]["field"] == "callType"
    await send(gql, pbx, "x5", "ABANDONED", "K4", "10:02:00", result="ABANDONED_IN_IVR")
    ended = await gql(
        CALL,
        {
            "input": {
                "eventId": "x6",
                "type": "RINGING",
                "callId": "K4",
                "occurredAt": at("10:03:00"),
            }
        },
        token=pbx,
    )
    assert error_codes(ended) == ["CALL_ENDED"]
    naive = await gql(
        CALL,
        {
            "input": {
                "eventId": "x7",
                "type": "INCOMING",
                "callId": "K5",
                "occurredAt": "2026-03-02T10:00:00",
            }
        },
        token=pbx,
    )
    assert naive["errors"][0]["extensions"]["field"] == "occurredAt"


async def test_voicemail_and_unanswered_results(gql, pbx):
    await send(gql, pbx, "v1", "INCOMING", "V1", "10:00:00")
    await send(gql, pbx, "v2", "RINGING", "V1", "10:00:02", agentAccount="a")
    await send(
        gql, pbx, "v3", "VOICEMAIL", "V1", "10:00:30", voicemailUrl="https://rec.example/v.mp3"
    )
    call = (await send(gql, pbx, "v4", "ENDED", "V1", "10:01:00", hangupParty="CUSTOMER"))["call"]
    assert (call["result"], call["voicemail"], call["talkSeconds"]) == ("VOICEMAIL", True, 0)
    await send(gql, pbx, "o1", "OUTGOING", "O1", "11:00:00", agentAccount="b")
    out = (await send(gql, pbx, "o2", "ENDED", "O1", "11:00:40"))["call"]
    assert out["result"] == "CUSTOMER_NO_ANSWER"


async def test_event_log_and_consumer_lag_can_be_inspected(gql, pbx, make_account):
    _, admin = await make_account("ops", Role.FULL_ADMIN)
    await send(gql, pbx, "i1", "INCOMING", "K7", "10:00:00")
    await send(gql, pbx, "i2", "ANSWERED", "K7", "10:00:09")

    async def handle(batch):
        pass

    await consumers.consume("zendesk", handle, limit=1)
    listed = await gql(
        "{ domainEvents { id topic subjectId payload } eventConsumers { name lag } }", token=admin
    )
    log = listed["data"]["domainEvents"]
    assert [(e["topic"], e["subjectId"]) for e in log] == [
        ("call.incoming", "K7"),
        ("call.answered", "K7"),
    ]
    assert log[1]["payload"]["eventId"] == "i2"
    assert listed["data"]["eventConsumers"] == [{"name": "zendesk", "lag": 1}]
    after = await gql(
        "query($a: ID) { domainEvents(after: $a) { topic } }", {"a": log[0]["id"]}, token=admin
    )
    assert [e["topic"] for e in after["data"]["domainEvents"]] == ["call.answered"]
    refused = await gql("{ eventConsumers { name } }", token=pbx)
    assert error_codes(refused) == ["FORBIDDEN"]
