"""GraphQL subscriptions across server processes: an event written through process A reaches a
subscriber on process B within a second (PostgreSQL LISTEN/NOTIFY with a catch-up read;
polling on SQLite); each subscriber sees only what it may see (R-AUTH-3) and loses the
subscription when its token is revoked."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from app.accounts.models import Role
from tests.support import (
    DATABASE_URL,
    Subscription,
    cli_env,
    free_port,
    operation,
    server_process,
)

AGENT_EVENTS = operation("workspace/AgentEvents")
CALL_EVENTS = operation("workspace/CallEvents")
CALL = operation("integration/RecordCallEvent")
SESSION = operation("integration/RecordSessionEvent")
TICKET = "mutation($i: CreateTicketInput!) { createTicket(input: $i) { id } }"
# A subscriber must hear of an event within a second; slack for a busy test machine.
WITHIN = 1.0
SLACK = 2.0


@pytest.fixture(scope="module")
def servers(app, tmp_path_factory):
    """Two `deskql serve` processes on the test database: A takes writes, B has subscribers."""
    with (
        server_process(cli_env(DATABASE_URL, tmp_path_factory.mktemp("a")), free_port()) as a,
        server_process(cli_env(DATABASE_URL, tmp_path_factory.mktemp("b")), free_port()) as b,
    ):
        yield {"a": a, "b": b.replace("http://", "ws://") + "/graphql"}


@pytest.fixture
async def people(make_account):
    tokens = {}
    for name in ("a", "b"):
        _, tokens[name] = await make_account(name, Role.AGENT)
    _, tokens["supervisor"] = await make_account("sup", Role.AGENT, groups=[["calls.view_all"]])
    _, tokens["manager"] = await make_account(
        "mgr", Role.AGENT, groups=[["calls.view_all", "tickets.manage"]]
    )
    _, tokens["pbx"] = await make_account("pbx", Role.AGENT, groups=[["integration.write"]])
    return tokens


def write(base: str, token: str, document: str, variables: dict) -> dict:
    """A mutation through server process A (another process than the subscribers')."""
    response = httpx.post(
        f"{base}/graphql",
        json={"query": document, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def call_event(base, token, event_id, type_, call_id, **fields) -> float:
    """Record a call event through A; returns when it was committed (time.monotonic())."""
    write(
        base,
        token,
        CALL,
        {
            "input": {
                "eventId": event_id,
                "type": type_,
                "callId": call_id,
                "occurredAt": "2026-03-02T10:00:00+08:00",
                **fields,
            }
        },
    )
    return time.monotonic()


async def test_an_agent_hears_of_their_own_call_from_another_process(servers, people):
    async with Subscription(servers["b"], people["a"], AGENT_EVENTS) as sub:
        call_event(
            servers["a"],
            people["pbx"],
            "e1",
            "INCOMING",
            "K1",
            customerPhone="+8613800138000",
            customerName="Wang Fang",
        )
        committed = call_event(servers["a"], people["pbx"], "e2", "RINGING", "K1", agentAccount="a")
        event = await sub.data()
        latency = time.monotonic() - committed
        assert event["kind"] == "CALL_RINGING"
        assert event["call"]["id"] == "K1"
        assert event["call"]["customerPhone"] == "+8613800138000"
        assert event["call"]["customerName"] == "Wang Fang"
        assert event["call"]["agentAccount"] == "a"
        assert event["call"]["answeredAt"] is None
        assert latency < WITHIN + SLACK, latency
        call_event(servers["a"], people["pbx"], "e3", "ANSWERED", "K1")
        answered = await sub.data()
        assert answered["kind"] == "CALL_ANSWERED" and answered["call"]["answeredAt"]
        call_event(
            servers["a"],
            people["pbx"],
            "e4",
            "TRANSFER",
            "K1-b",
            mainCallId="K1",
            callType="TRANSFER_AGENT",
            agentAccount="b",
        )
        call_event(servers["a"], people["pbx"], "e5", "ENDED", "K1", hangupParty="TRANSFER")
        ended = await sub.data()  # the transfer leg is b's, not a's
        assert (ended["kind"], ended["call"]["id"], ended["call"]["result"]) == (
            "CALL_ENDED",
            "K1",
            "ANSWERED",
        )


async def test_an_agent_never_hears_of_a_colleagues_events(servers, people):
    async with (
        Subscription(servers["b"], people["a"], AGENT_EVENTS) as a,
        Subscription(servers["b"], people["b"], AGENT_EVENTS) as b,
    ):
        call_event(servers["a"], people["pbx"], "e1", "INCOMING", "K2")
        call_event(servers["a"], people["pbx"], "e2", "RINGING", "K2", agentAccount="b")
        write(
            servers["a"],
            people["pbx"],
            SESSION,
            {
                "input": {
                    "eventId": "s1",
                    "type": "STARTED",
                    "sessionId": "S1",
                    "channel": "WEB",
                    "occurredAt": "2026-03-02T10:00:00+08:00",
                    "agentAccount": "b",
                }
            },
        )
        write(
            servers["a"],
            people["pbx"],
            SESSION,
            {
                "input": {
                    "eventId": "s2",
                    "type": "ASSIGNED",
                    "sessionId": "S1",
                    "agentAccount": "b",
                    "occurredAt": "2026-03-02T10:00:01+08:00",
                }
            },
        )
        write(
            servers["a"],
            people["manager"],
            TICKET,
            {"i": {"subject": "For b", "assigneeId": str(await _id("b"))}},
        )
        kinds = [(await b.data())["kind"] for _ in range(3)]
        assert kinds == ["CALL_RINGING", "SESSION_ASSIGNED", "TICKET_ASSIGNED"]
        # a's own event comes after all of b's: the first thing a hears is its own.
        call_event(servers["a"], people["pbx"], "e3", "INCOMING", "K3")
        call_event(servers["a"], people["pbx"], "e4", "RINGING", "K3", agentAccount="a")
        first = await a.data()
        assert (first["kind"], first["call"]["id"]) == ("CALL_RINGING", "K3")


async def _id(name: str) -> int:
    from app.accounts.models import Account

    return (await Account.get(account=name)).id


async def test_supervisors_follow_an_agent_and_agents_may_not(servers, people):
    async with Subscription(
        servers["b"], people["a"], AGENT_EVENTS, {"agentAccount": "b"}
    ) as refused:
        assert (await refused.refusal())["code"] == "FORBIDDEN"
    async with (
        Subscription(
            servers["b"], people["supervisor"], AGENT_EVENTS, {"agentAccount": "b"}
        ) as supervisor,
        Subscription(
            servers["b"], people["manager"], AGENT_EVENTS, {"agentAccount": "b"}
        ) as manager,
    ):
        write(
            servers["a"],
            people["manager"],
            TICKET,
            {"i": {"subject": "For b", "assigneeId": str(await _id("b"))}},
        )
        call_event(servers["a"], people["pbx"], "e1", "INCOMING", "K4")
        call_event(servers["a"], people["pbx"], "e2", "RINGING", "K4", agentAccount="b")
        # calls.view_all alone does not show b's tickets; tickets.manage does.
        assert (await supervisor.data())["kind"] == "CALL_RINGING"
        ticket, call = await manager.data(), await manager.data()
        assert (ticket["kind"], ticket["ticket"]["subject"], call["kind"]) == (
            "TICKET_ASSIGNED",
            "For b",
            "CALL_RINGING",
        )
        assert await supervisor.silent(0.5)


async def test_call_events_need_calls_view_all_and_take_the_calls_filter(servers, people):
    async with Subscription(servers["b"], people["a"], CALL_EVENTS) as refused:
        assert (await refused.refusal())["code"] == "FORBIDDEN"
    async with Subscription(
        servers["b"],
        people["supervisor"],
        CALL_EVENTS,
        {"filter": {"agentAccounts": ["b"], "mainOnly": True}},
    ) as feed:
        call_event(servers["a"], people["pbx"], "e1", "INCOMING", "K5")
        call_event(servers["a"], people["pbx"], "e2", "RINGING", "K5", agentAccount="a")
        call_event(servers["a"], people["pbx"], "e3", "INCOMING", "K6")
        call_event(servers["a"], people["pbx"], "e4", "RINGING", "K6", agentAccount="b")
        call_event(servers["a"], people["pbx"], "e5", "ANSWERED", "K6")
        got = [await feed.data() for _ in range(2)]
        assert [(e["type"], e["call"]["id"]) for e in got] == [
            ("RINGING", "K6"),
            ("ANSWERED", "K6"),
        ]
        assert await feed.silent(0.8)
    async with Subscription(
        servers["b"], people["supervisor"], CALL_EVENTS, {"filter": {"agentAccounts": ["nobody"]}}
    ) as bad:
        assert await bad.refusal() == {"code": "BAD_USER_INPUT", "field": "filter.agentAccounts"}


async def test_a_revoked_token_ends_the_subscription(servers, people):
    async with Subscription(servers["b"], people["a"], AGENT_EVENTS) as sub:
        write(servers["a"], people["a"], operation("accounts/Logout"), {})
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(sub.ws.recv(), timeout=WITHIN + SLACK)
        assert closed.value.rcvd.code == 4403


async def test_subscribing_needs_a_token(servers):
    async with connect(servers["b"], subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": AGENT_EVENTS}})
        )
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_socket_holds_at_most_twenty_operations_in_flight(servers, people):
    """The twenty-first subscription on one socket is refused; the twenty go on working."""
    async with connect(servers["b"], subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps(
                {"type": "connection_init", "payload": {"Authorization": f"Bearer {people['a']}"}}
            )
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        for n in range(21):
            await ws.send(
                json.dumps({"id": str(n), "type": "subscribe", "payload": {"query": AGENT_EVENTS}})
            )
        refused = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert refused["id"] == "20" and refused["type"] == "error", refused
        call_event(servers["a"], people["pbx"], "e1", "INCOMING", "K7")
        call_event(servers["a"], people["pbx"], "e2", "RINGING", "K7", agentAccount="a")
        heard = {json.loads(await asyncio.wait_for(ws.recv(), 5))["id"] for _ in range(20)}
    assert heard == {str(n) for n in range(20)}
