"""Call events pushed to a real local receiver (R-WH-1): every event type and payload field of a
call with a consult and a transfer leg, Standard Webhooks signatures checked with the README's
own snippet, order per call, the retry schedule on a manual clock, 410 and five failing days,
test messages, redelivery and secret rotation."""

from __future__ import annotations

from app.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.support import (
    Answer,
    Receiver,
    call_event,
    deliveries,
    drain,
    operation,
    readme_verifier,
    register,
)

verify = readme_verifier()


async def transferred_call(gql, pbx: str, *, until: str = "all") -> None:
    """Customer calls, a answers, consults c, transfers to b; the main record ends at the
    transfer, b's leg later."""
    send = lambda *args, **kw: call_event(gql, pbx, *args, **kw)  # noqa: E731
    await send(
        "e1",
        "INCOMING",
        "K1",
        "10:00:00",
        queue="sales",
        customerPhone="+8613800138000",
        customerName="Wang Fang",
        caller="13800138000",
        callee="4008001234",
    )
    await send("e2", "RINGING", "K1", "10:00:05", agentAccount="a", callWay="SIP_PHONE")
    await send("e3", "ANSWERED", "K1", "10:00:15")
    await send("e4", "HOLD", "K1", "10:01:00")
    await send("e5", "UNHOLD", "K1", "10:01:30")
    await send(
        "e6",
        "CONSULT",
        "K1-c",
        "10:02:00",
        mainCallId="K1",
        callType="CONSULT_AGENT",
        agentAccount="c",
    )
    await send("e7", "RINGING", "K1-c", "10:02:02", agentAccount="c")
    await send("e8", "ANSWERED", "K1-c", "10:02:10")
    await send("e9", "ENDED", "K1-c", "10:03:10", hangupParty="AGENT")
    await send(
        "e10",
        "TRANSFER",
        "K1-b",
        "10:04:00",
        mainCallId="K1",
        callType="TRANSFER_AGENT",
        agentAccount="b",
    )
    await send("e11", "RINGING", "K1-b", "10:04:05", agentAccount="b")
    await send("e12", "ANSWERED", "K1-b", "10:04:20")
    await send(
        "e13",
        "ENDED",
        "K1",
        "10:04:20",
        hangupParty="TRANSFER",
        recordingUrl="https://rec.example/K1.mp3",
    )
    if until == "all":
        await send(
            "e14",
            "ENDED",
            "K1-b",
            "10:09:20",
            hangupParty="CUSTOMER",
            recordingUrl="https://rec.example/K1-b.mp3",
        )


AGENT_A = {"account": "a", "name": "A", "email": "a@example.com", "number": "8001"}
AGENT_B = {"account": "b", "name": "B", "email": "b@example.com", "number": "8002"}
# c has no extension: the number is the account's phone.
AGENT_C = {"account": "c", "name": "C", "email": "c@example.com", "number": "+8613800000099"}


def without_agent_ids(data):
    """The payload with each agent's id checked against the accounts and then dropped."""
    if isinstance(data, list):
        return [without_agent_ids(item) for item in data]
    if not isinstance(data, dict):
        return data
    found = {}
    for key, value in data.items():
        if key == "agent" and value is not None:
            assert value["id"] == IDS[value["account"]]
            value = {k: v for k, v in value.items() if k != "id"}
        found[key] = without_agent_ids(value)
    return found


IDS: dict[str, str] = {}
CUSTOMER = {"phone": "+8613800138000", "name": "Wang Fang"}


def record(**fields) -> dict:
    """A record's payload fields: an unanswered, fresh inbound main record unless told."""
    base = {
        "callId": "K1",
        "mainCallId": "K1",
        "isMain": True,
        "callType": "INBOUND",
        "direction": "INBOUND",
        "callResult": None,
        "answered": False,
        "startedAt": "2026-03-02T02:00:00+00:00",
        "answeredAt": None,
        "endedAt": None,
        "ringSeconds": 0,
        "talkSeconds": 0,
        "holdSeconds": 0,
        "queueSeconds": 0,
        "hangupParty": None,
        "transferFlag": "NONE",
        "consulted": False,
        "consultCount": 0,
        "voicemail": False,
        "voicemailUrl": None,
        "recordingUrl": None,
        "caller": "13800138000",
        "callee": "4008001234",
        "callWay": None,
        "agent": None,
        "customer": CUSTOMER,
    }
    return base | fields


MAIN_ENDED = record(
    callResult="ANSWERED",
    answered=True,
    answeredAt="2026-03-02T02:00:15+00:00",
    endedAt="2026-03-02T02:04:20+00:00",
    ringSeconds=10,
    talkSeconds=215,
    holdSeconds=30,
    queueSeconds=5,
    hangupParty="TRANSFER",
    transferFlag="TRANSFERRED",
    consulted=True,
    consultCount=1,
    recordingUrl="https://rec.example/K1.mp3",
    callWay="SIP_PHONE",
    agent=AGENT_A,
)
CONSULT_ENDED = record(
    callId="K1-c",
    isMain=False,
    callType="CONSULT_AGENT",
    callResult="ANSWERED",
    answered=True,
    startedAt="2026-03-02T02:02:00+00:00",
    answeredAt="2026-03-02T02:02:10+00:00",
    endedAt="2026-03-02T02:03:10+00:00",
    ringSeconds=8,
    talkSeconds=60,
    hangupParty="AGENT",
    callee=None,
    agent=AGENT_C,
)
TRANSFER_ENDED = record(
    callId="K1-b",
    isMain=False,
    callType="TRANSFER_AGENT",
    callResult="ANSWERED",
    answered=True,
    startedAt="2026-03-02T02:04:00+00:00",
    answeredAt="2026-03-02T02:04:20+00:00",
    endedAt="2026-03-02T02:09:20+00:00",
    ringSeconds=15,
    talkSeconds=300,
    hangupParty="CUSTOMER",
    callee=None,
    recordingUrl="https://rec.example/K1-b.mp3",
    agent=AGENT_B,
)


async def test_every_event_of_a_transferred_call_reaches_the_receiver(gql, hooks, worker, clock):
    """R-WH-1: incoming, ringing and answered of each record, then — once the whole call has
    ended — ended (the main record) and ended_all (all three records), each signed."""
    with Receiver() as receiver:
        made = await register(gql, hooks["admin"], receiver.url())
        await transferred_call(gql, hooks["pbx"], until="main ended")
        await drain(worker)
        # The main record ended at the transfer, but the customer still talks to b.
        assert [r.json["type"] for r in receiver.requests()] == [
            "call.incoming",
            "call.ringing",
            "call.answered",  # K1 at a
            "call.ringing",
            "call.answered",  # the consult leg at c
            "call.ringing",
            "call.answered",  # the transfer leg at b
        ]
        await call_event(
            gql,
            hooks["pbx"],
            "e14",
            "ENDED",
            "K1-b",
            "10:09:20",
            hangupParty="CUSTOMER",
            recordingUrl="https://rec.example/K1-b.mp3",
        )
        await drain(worker)

    received = receiver.requests()
    IDS.update(hooks["ids"])
    bodies = [without_agent_ids(r.json) for r in received]
    assert [(b["type"], b["data"].get("callId"), b["timestamp"]) for b in bodies] == [
        ("call.incoming", "K1", "2026-03-02T02:00:00+00:00"),
        ("call.ringing", "K1", "2026-03-02T02:00:05+00:00"),
        ("call.answered", "K1", "2026-03-02T02:00:15+00:00"),
        ("call.ringing", "K1-c", "2026-03-02T02:02:02+00:00"),
        ("call.answered", "K1-c", "2026-03-02T02:02:10+00:00"),
        ("call.ringing", "K1-b", "2026-03-02T02:04:05+00:00"),
        ("call.answered", "K1-b", "2026-03-02T02:04:20+00:00"),
        ("call.ended", "K1", "2026-03-02T02:09:20+00:00"),
        ("call.ended_all", None, "2026-03-02T02:09:20+00:00"),
    ]
    assert bodies[0]["data"] == {"companyId": "acme-cn", **record()}
    assert bodies[1]["data"] == {
        "companyId": "acme-cn",
        **record(queueSeconds=5, agent=AGENT_A, callWay="SIP_PHONE"),
    }
    assert bodies[2]["data"] == {
        "companyId": "acme-cn",
        **record(
            queueSeconds=5,
            agent=AGENT_A,
            callWay="SIP_PHONE",
            answered=True,
            answeredAt="2026-03-02T02:00:15+00:00",
            ringSeconds=10,
        ),
    }
    # A leg's answer sets the main record's flags; the leg itself says isMain false.
    assert bodies[4]["data"] | {"companyId": None} == {
        "companyId": None,
        **record(
            callId="K1-c",
            isMain=False,
            callType="CONSULT_AGENT",
            answered=True,
            startedAt="2026-03-02T02:02:00+00:00",
            answeredAt="2026-03-02T02:02:10+00:00",
            ringSeconds=8,
            callee=None,
            agent=AGENT_C,
        ),
    }
    assert bodies[7]["data"] == {"companyId": "acme-cn", **MAIN_ENDED, "type": "hangup"}
    assert bodies[8]["data"] == {
        "companyId": "acme-cn",
        "mainCallId": "K1",
        "type": "hangup",
        "records": [MAIN_ENDED, CONSULT_ENDED, TRANSFER_ENDED],
    }
    for request in received:  # signed with the secret shown at registration
        assert request.headers["content-type"] == "application/json"
        assert verify(made["secret"], request.headers, request.body, now=clock.now().timestamp())
        assert not verify(
            made["secret"], request.headers, request.body + b" ", now=clock.now().timestamp()
        )
    assert len({r.message_id for r in received}) == 9
    rows = await deliveries(gql, hooks["admin"], made["endpoint"]["id"])
    assert {(d["status"], d["attemptCount"], d["lastStatusCode"]) for d in rows} == {
        ("DELIVERED", 1, 200)
    }
    assert [d["messageId"] for d in rows] == [r.message_id for r in reversed(received)]


async def one_call(gql, pbx: str, call_id: str = "K9") -> None:
    """An answered call: incoming, ringing, answered, ended (4 messages with ended_all)."""
    await call_event(
        gql, pbx, f"{call_id}-1", "INCOMING", call_id, "11:00:00", customerPhone="+8613900139000"
    )
    await call_event(gql, pbx, f"{call_id}-2", "ANSWERED", call_id, "11:00:10")
    await call_event(gql, pbx, f"{call_id}-3", "ENDED", call_id, "11:02:00", hangupParty="CUSTOMER")


async def test_failures_are_retried_on_the_schedule_then_given_up(gql, hooks, worker, clock):
    """5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (±10 %): eight tries in all, each recorded."""
    with Receiver(lambda r: Answer(500, b"database is down")) as receiver:
        made = await register(gql, hooks["admin"], receiver.url(), ["call.incoming"])
        await call_event(gql, hooks["pbx"], "x1", "INCOMING", "K2", "11:00:00")
        waits = []
        await drain(worker)
        for _ in range(7):
            row = await WebhookDelivery.get()
            wait = (row.next_attempt_at - clock.now()).total_seconds()
            waits.append(wait)
            clock.advance(wait * 0.98)  # not yet due
            assert await drain(worker) == 0
            clock.advance(wait * 0.02 + 0.001)
            assert await drain(worker) == 1
        tries = receiver.requests()
        clock.advance(7 * 24 * 3600)
        assert await drain(worker) == 0

    for wait, base in zip(waits, (5, 300, 1800, 7200, 18000, 36000, 36000), strict=True):
        assert base * 0.9 <= wait <= base * 1.1
    assert len(tries) == 8 and len({t.message_id for t in tries}) == 1  # one webhook-id
    [row] = await deliveries(gql, hooks["admin"], made["endpoint"]["id"])
    assert (row["status"], row["attemptCount"], row["lastStatusCode"]) == ("FAILED", 8, 500)
    assert row["lastError"] == "The endpoint answered 500."
    assert [a["statusCode"] for a in row["attempts"]] == [500] * 8
    assert all(a["responseExcerpt"] == "database is down" for a in row["attempts"])
    assert all(a["durationMs"] >= 0 for a in row["attempts"])
    assert [a["nextAttemptAt"] is None for a in row["attempts"]] == [False] * 7 + [True]
    # Failed deliveries can be listed, and sent again with a fresh round of retries.
    assert len(await deliveries(gql, hooks["admin"], made["endpoint"]["id"], status="FAILED")) == 1
    assert await deliveries(gql, hooks["admin"], made["endpoint"]["id"], status="DELIVERED") == []


async def test_timeouts_connection_errors_and_429_are_retried(gql, hooks, worker, clock):
    answers = iter(
        [
            Answer(delay=1.0),  # longer than the worker's 0.5 s timeout
            Answer(429, headers={"Retry-After": "120"}),
            Answer(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),  # past: schedule
            Answer(204, b""),
        ]
    )
    with Receiver(lambda r: next(answers)) as receiver:
        made = await register(gql, hooks["admin"], receiver.url(), ["call.incoming"])
        await call_event(gql, hooks["pbx"], "x1", "INCOMING", "K3", "11:00:00")
        await drain(worker)  # times out
        clock.advance(6)
        await drain(worker)  # 429: the schedule's 5 min is longer than Retry-After's 120 s
        row = await WebhookDelivery.get()
        assert (row.next_attempt_at - clock.now()).total_seconds() >= 270
        clock.advance(331)
        await drain(worker)  # 503
        clock.advance(1981)
        await drain(worker)  # 204
    [row] = await deliveries(gql, hooks["admin"], made["endpoint"]["id"])
    assert row["status"] == "DELIVERED"
    assert [(a["statusCode"], a["error"]) for a in row["attempts"]] == [
        (None, "No answer within 0.5 s."),
        (429, "The endpoint answered 429."),
        (503, "The endpoint answered 503."),
        (204, None),
    ]
    assert len(receiver.requests()) == 4


async def test_retry_after_longer_than_the_schedule_is_honoured(gql, hooks, worker, clock):
    with Receiver(lambda r: Answer(429, headers={"Retry-After": "3600"})) as receiver:
        await register(gql, hooks["admin"], receiver.url(), ["call.incoming"])
        await call_event(gql, hooks["pbx"], "x1", "INCOMING", "K3", "11:00:00")
        await drain(worker)
        row = await WebhookDelivery.get()
        assert (row.next_attempt_at - clock.now()).total_seconds() == 3600


async def test_a_connection_refused_is_retried(gql, hooks, worker, clock):
    with Receiver() as receiver:
        url = receiver.url()
    # The receiver is gone: nothing listens on its port any more.
    made = await register(gql, hooks["admin"], url, ["call.incoming"])
    await call_event(gql, hooks["pbx"], "x1", "INCOMING", "K3", "11:00:00")
    await drain(worker)
    [row] = await deliveries(gql, hooks["admin"], made["endpoint"]["id"])
    assert row["status"] == "PENDING" and row["attempts"][0]["statusCode"] is None
    assert row["attempts"][0]["error"] == "Could not connect: ConnectError."


async def test_410_gone_disables_the_endpoint(gql, hooks, worker, clock):
    with Receiver(lambda r: Answer(410, b"no such hook")) as receiver:
        made = await register(gql, hooks["admin"], receiver.url())
        await one_call(gql, hooks["pbx"])
        await drain(worker)
        await one_call(gql, hooks["pbx"], "K10")  # after: owed nothing
        clock.advance(3600)
        await drain(worker)
    assert len(receiver.requests()) == 1
    endpoint = await WebhookEndpoint.get()
    assert not endpoint.enabled
    assert endpoint.disabled_reason.startswith("The endpoint answered 410 Gone on ")
    rows = await deliveries(gql, hooks["admin"], made["endpoint"]["id"])
    assert [r["status"] for r in rows] == ["PENDING", "PENDING", "PENDING", "FAILED"]
    assert await WebhookDelivery.filter(ordering_key="K10").count() == 0
    # Switched on again: a fresh start, and what was still owed goes out.
    result = await gql(
        operation("settings/UpdateWebhookEndpoint"),
        {"id": made["endpoint"]["id"], "changes": {"enabled": True}},
        token=hooks["admin"],
    )
    assert result["data"]["updateWebhookEndpoint"]["disabledReason"] is None
    with Receiver() as again:
        await WebhookEndpoint.filter(id=endpoint.id).update(url=again.url())
        await drain(worker)
    assert [r.json["type"] for r in again.requests()] == [
        "call.answered",
        "call.ended",
        "call.ended_all",
    ]


async def test_an_endpoint_failing_everything_for_five_days_is_disabled(gql, hooks, worker, clock):
    with Receiver(lambda r: Answer(502)) as receiver:
        made = await register(gql, hooks["admin"], receiver.url(), ["call.incoming"])
        for day in range(6):
            await call_event(gql, hooks["pbx"], f"d{day}", "INCOMING", f"D{day}", "11:00:00")
            await drain(worker)
            endpoint = await WebhookEndpoint.get()
            assert endpoint.enabled is (day < 5), day
            clock.advance(24 * 3600)
            await drain(worker)
        tries = len(receiver.requests())
        clock.advance(10 * 24 * 3600)
        assert await drain(worker) == 0
    assert len(receiver.requests()) == tries
    [listed] = (await gql(operation("settings/WebhookEndpoints"), token=hooks["admin"]))["data"][
        "webhookEndpoints"
    ]
    assert listed["enabled"] is False
    assert listed["disabledReason"].startswith("Every delivery failed for 5 days (since ")
    assert listed["failingSince"] is not None
    assert made["endpoint"]["id"] == listed["id"]


async def test_a_success_resets_the_failure_record(gql, hooks, worker, clock):
    answers = iter([Answer(500), Answer(200)])
    with Receiver(lambda r: next(answers, Answer())) as receiver:
        await register(gql, hooks["admin"], receiver.url(), ["call.incoming"])
        await call_event(gql, hooks["pbx"], "x1", "INCOMING", "K4", "11:00:00")
        await drain(worker)
        assert (await WebhookEndpoint.get()).failing_since is not None
        clock.advance(6)
        await drain(worker)
    assert (await WebhookEndpoint.get()).failing_since is None


async def test_a_calls_messages_go_out_in_order_even_when_one_fails(gql, hooks, worker, clock):
    """call.ended never before call.answered: a failed answered holds back the rest of its
    call, not the other calls."""

    def behaviour(request):
        body = request.json
        first_try = not any(r.message_id == request.message_id for r in receiver.requests())
        if body["type"] == "call.answered" and body["data"]["callId"] == "K5" and first_try:
            return Answer(500)
        return Answer()

    with Receiver(behaviour) as receiver:
        await register(gql, hooks["admin"], receiver.url())
        await one_call(gql, hooks["pbx"], "K5")
        await one_call(gql, hooks["pbx"], "K6")
        await drain(worker)
        sent = [(r.json["data"].get("mainCallId"), r.json["type"]) for r in receiver.requests()]
        assert ("K5", "call.ended") not in sent  # waiting behind its answered
        assert sent.count(("K6", "call.ended_all")) == 1  # the other call went on
        clock.advance(6)
        await drain(worker)

    k5 = [
        r.json["type"] for r in receiver.acknowledged() if r.json["data"].get("mainCallId") == "K5"
    ]
    assert k5 == ["call.incoming", "call.answered", "call.ended", "call.ended_all"]


async def test_a_failing_endpoint_costs_the_others_nothing(gql, hooks, worker, clock):
    """One endpoint times out on everything; in the same round the healthy one gets every
    message of every call."""
    with Receiver(lambda r: Answer(delay=1.0)) as slow, Receiver() as healthy:
        await register(gql, hooks["admin"], slow.url())
        await register(gql, hooks["admin"], healthy.url())
        for n in range(5):
            await one_call(gql, hooks["pbx"], f"K{20 + n}")
        await worker.step()
        assert len(healthy.acknowledged()) == 20
        assert len(slow.requests()) == 5  # the first message of each call, timed out
    assert await WebhookDelivery.filter(status=DeliveryStatus.DELIVERED).count() == 20


async def test_only_the_events_an_endpoint_chose_and_only_after_it_was_registered(
    gql, hooks, worker
):
    await one_call(gql, hooks["pbx"], "K7")  # before any endpoint
    with Receiver() as receiver:
        await register(gql, hooks["admin"], receiver.url(), ["call.ended_all"])
        await one_call(gql, hooks["pbx"], "K8")
        await drain(worker)
    assert [(r.json["type"], r.json["data"]["mainCallId"]) for r in receiver.requests()] == [
        ("call.ended_all", "K8")
    ]


async def test_a_switched_off_endpoint_is_sent_nothing(gql, hooks, worker):
    with Receiver() as receiver:
        made = await register(gql, hooks["admin"], receiver.url())
        await gql(
            operation("settings/UpdateWebhookEndpoint"),
            {"id": made["endpoint"]["id"], "changes": {"enabled": False}},
            token=hooks["admin"],
        )
        await one_call(gql, hooks["pbx"])
        await drain(worker)
    assert receiver.requests() == []


async def test_a_test_message_and_a_redelivery(gql, hooks, worker, clock):
    with Receiver() as receiver:
        made = await register(gql, hooks["admin"], receiver.url(), ["call.ended"])
        result = await gql(
            operation("settings/SendTestWebhook"),
            {"id": made["endpoint"]["id"]},
            token=hooks["admin"],
        )
        test = result["data"]["sendTestWebhook"]
        assert (test["eventType"], test["status"]) == ("webhook.test", "PENDING")
        await drain(worker)
        result = await gql(
            operation("settings/RedeliverWebhook"), {"deliveryId": test["id"]}, token=hooks["admin"]
        )
        again = result["data"]["redeliverWebhook"]
        assert (again["status"], again["attemptCount"]) == ("PENDING", 0)
        assert len(again["attempts"]) == 1  # the history stays
        await drain(worker)
    first, second = receiver.requests()
    assert first.json["type"] == "webhook.test"
    assert first.json["data"]["endpointId"] == made["endpoint"]["id"]
    assert first.message_id == second.message_id == test["messageId"]
    assert verify(made["secret"], second.headers, second.body, now=clock.now().timestamp())


async def test_a_rotated_secret_signs_beside_the_new_one_for_a_day(gql, hooks, worker, clock):
    with Receiver() as receiver:
        made = await register(gql, hooks["admin"], receiver.url(), ["call.incoming"])
        old = made["secret"]
        result = await gql(
            operation("settings/RotateWebhookSecret"),
            {"id": made["endpoint"]["id"]},
            token=hooks["admin"],
        )
        new = result["data"]["rotateWebhookSecret"]["secret"]
        assert new != old and new.startswith("whsec_")
        assert result["data"]["rotateWebhookSecret"]["endpoint"]["previousSecretExpiresAt"]
        await call_event(gql, hooks["pbx"], "r1", "INCOMING", "R1", "11:00:00")
        await drain(worker)
        clock.advance(24 * 3600 + 1)
        await call_event(gql, hooks["pbx"], "r2", "INCOMING", "R2", "11:00:00")
        await drain(worker)
    during, after = receiver.requests()
    assert len(during.headers["webhook-signature"].split()) == 2
    for secret in (old, new):
        assert verify(secret, during.headers, during.body, now=clock.now().timestamp() - 86401)
    assert len(after.headers["webhook-signature"].split()) == 1
    assert verify(new, after.headers, after.body, now=clock.now().timestamp())
    assert not verify(old, after.headers, after.body, now=clock.now().timestamp())


async def test_the_readme_snippet_refuses_an_old_timestamp(gql, hooks, worker, clock):
    with Receiver() as receiver:
        made = await register(gql, hooks["admin"], receiver.url(), ["call.incoming"])
        await call_event(gql, hooks["pbx"], "r1", "INCOMING", "R1", "11:00:00")
        await drain(worker)
    [request] = receiver.requests()
    sent = int(request.headers["webhook-timestamp"])
    assert sent == int(clock.now().timestamp())
    assert verify(made["secret"], request.headers, request.body, now=sent + 299)
    assert not verify(made["secret"], request.headers, request.body, now=sent + 301)


async def test_a_failing_endpoint_is_paused_and_probed_not_hammered(gql, hooks, worker, clock):
    """After a round that all failed, new calls wait: one delivery probes the endpoint at its
    earliest retry; a test message lifts the pause; a success lets everything through, the
    retries waiting for later included."""
    down = {"now": True}
    with Receiver(lambda r: Answer(503) if down["now"] else Answer()) as receiver:
        made = await register(gql, hooks["admin"], receiver.url(), ["call.incoming"])
        await call_event(gql, hooks["pbx"], "p1", "INCOMING", "P1", "11:00:00")
        await drain(worker)
        for n in range(2, 6):  # four more calls while it is paused: nothing sent
            await call_event(gql, hooks["pbx"], f"p{n}", "INCOMING", f"P{n}", "11:00:00")
            await drain(worker)
        assert len(receiver.requests()) == 1
        [listed] = (await gql(operation("settings/WebhookEndpoints"), token=hooks["admin"]))[
            "data"
        ]["webhookEndpoints"]
        assert listed["pausedUntil"] is not None and listed["failingSince"] is not None
        clock.advance(6)
        await drain(worker)
        assert len(receiver.requests()) == 2  # one probe, still 503
        down["now"] = False
        await gql(
            operation("settings/SendTestWebhook"),
            {"id": made["endpoint"]["id"]},
            token=hooks["admin"],
        )
        await drain(worker)  # the test goes at once, succeeds, and the rest follow
    types = [r.json["type"] for r in receiver.acknowledged()]
    assert sorted(types) == ["call.incoming"] * 5 + ["webhook.test"]
    endpoint = await WebhookEndpoint.get()
    assert endpoint.paused_until is None and endpoint.failing_since is None
