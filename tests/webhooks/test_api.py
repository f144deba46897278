"""The webhook administration API: who may use it, what it refuses, and the secret shown once
(R-WH-1, R-AUTH-3)."""

from __future__ import annotations

import pytest

from app.accounts.models import Role
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.support import (
    WEBHOOK_EVENTS,
    Receiver,
    call_event,
    drain,
    error_codes,
    operation,
    register,
    snapshot,
)

URL = "http://127.0.0.1:9/hooks"


def ops(endpoint_id: str, delivery_id: str) -> list[tuple[str, dict]]:
    return [
        ("settings/CreateWebhookEndpoint", {"input": {"url": URL, "events": ["call.ended"]}}),
        ("settings/UpdateWebhookEndpoint", {"id": endpoint_id, "changes": {"description": "x"}}),
        ("settings/RotateWebhookSecret", {"id": endpoint_id}),
        ("settings/WebhookEndpoints", {}),
        ("settings/SendTestWebhook", {"id": endpoint_id}),
        ("settings/WebhookDeliveries", {"endpointId": endpoint_id}),
        ("settings/RedeliverWebhook", {"deliveryId": delivery_id}),
        ("settings/DeleteWebhookEndpoint", {"id": endpoint_id}),
    ]


@pytest.fixture
async def world(gql, hooks, make_account, worker):
    made = await register(gql, hooks["admin"], URL)
    result = await gql(
        operation("settings/SendTestWebhook"), {"id": made["endpoint"]["id"]}, token=hooks["admin"]
    )
    delivery = result["data"]["sendTestWebhook"]
    _, super_admin = await make_account("root", Role.SUPER_ADMIN)
    _, agent = await make_account("plain", Role.AGENT)
    _, supervisor = await make_account(
        "sup", Role.AGENT, groups=[["calls.view_all", "reports.view", "tickets.manage"]]
    )
    _, settings = await make_account("settings", Role.AGENT, groups=[["settings.manage"]])
    return {
        "ids": (made["endpoint"]["id"], delivery["id"]),
        "tokens": {
            "anonymous": None,
            "agent": agent,
            "supervisor": supervisor,
            "integration": hooks["pbx"],
            "settings": settings,
            "full_admin": hooks["admin"],
            "super_admin": super_admin,
        },
    }


REFUSED = {
    "anonymous": "UNAUTHENTICATED",
    "agent": "FORBIDDEN",
    "supervisor": "FORBIDDEN",
    "integration": "FORBIDDEN",
}


@pytest.mark.parametrize("role", list(REFUSED))
async def test_without_settings_manage_every_operation_is_refused_and_changes_nothing(
    gql, world, role
):
    before = await snapshot()
    for name, variables in ops(*world["ids"]):
        result = await gql(operation(name), variables, token=world["tokens"][role])
        assert error_codes(result) == [REFUSED[role]], (name, result)
        assert result.get("data") is None, name
    assert await snapshot() == before


@pytest.mark.parametrize("role", ["settings", "full_admin", "super_admin"])
async def test_with_settings_manage_every_operation_answers(gql, world, role):
    endpoint_id, delivery_id = world["ids"]
    answers = {}
    for name, variables in ops(endpoint_id, delivery_id):
        result = await gql(operation(name), variables, token=world["tokens"][role])
        assert "errors" not in result, (name, result)
        answers[name] = next(iter(result["data"].values()))
    assert answers["settings/CreateWebhookEndpoint"]["secret"].startswith("whsec_")
    assert answers["settings/UpdateWebhookEndpoint"]["description"] == "x"
    assert [e["id"] for e in answers["settings/WebhookEndpoints"]] == [
        endpoint_id,
        answers["settings/CreateWebhookEndpoint"]["endpoint"]["id"],
    ]
    assert answers["settings/WebhookDeliveries"]["totalCount"] == 2  # two test messages
    assert answers["settings/RedeliverWebhook"]["id"] == delivery_id
    assert answers["settings/DeleteWebhookEndpoint"] is True
    assert not await WebhookEndpoint.filter(id=int(endpoint_id)).exists()
    # Its deliveries and their attempts went with it.
    assert await WebhookDelivery.filter(endpoint_id=int(endpoint_id)).count() == 0


async def test_the_secret_is_shown_once_and_never_read_back(gql, hooks):
    made = await register(gql, hooks["admin"], URL)
    secret = made["secret"]
    assert len(secret) == len("whsec_") + 32
    schema = (await gql('{ __type(name: "WebhookEndpoint") { fields { name } } }'))["data"]
    assert not any(f["name"] == "secret" for f in schema["__type"]["fields"])
    listed = await gql(operation("settings/WebhookEndpoints"), token=hooks["admin"])
    assert secret not in str(listed)
    stored = await WebhookEndpoint.get()
    assert stored.secret == secret


async def test_the_event_log_api_does_not_leak_it_either(gql, hooks):
    made = await register(gql, hooks["admin"], URL)
    events = await gql("{ domainEvents(first: 100) { payload } }", token=hooks["admin"])
    assert made["secret"] not in str(events)


@pytest.mark.parametrize(
    ("variables", "field", "message"),
    [
        (
            {"url": URL, "events": ["call.hangup"]},
            "events",
            "Unknown event 'call.hangup': the events are call.incoming, call.ringing, "
            "call.answered, call.ended, call.ended_all.",
        ),
        ({"url": URL, "events": []}, "events", "Choose at least one event."),
        (
            {"url": URL, "events": ["call.ended"], "description": "d" * 501},
            "description",
            "A description is at most 500 characters.",
        ),
        (
            {"url": "ftp://x.example/", "events": ["call.ended"]},
            "url",
            "Only http and https URLs can be called.",
        ),
        (
            {"url": "not a url", "events": ["call.ended"]},
            "url",
            "Only http and https URLs can be called.",
        ),
    ],
)
async def test_bad_input_is_a_coded_error_naming_the_field(gql, hooks, variables, field, message):
    result = await gql(
        operation("settings/CreateWebhookEndpoint"), {"input": variables}, token=hooks["admin"]
    )
    [error] = result["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert error["message"] == message
    assert await WebhookEndpoint.all().count() == 0


async def test_events_are_kept_once_in_contract_order(gql, hooks):
    made = await register(
        gql, hooks["admin"], URL, ["call.ended_all", "call.incoming", "call.ended_all"]
    )
    assert made["endpoint"]["events"] == ["call.incoming", "call.ended_all"]


async def test_unknown_ids_are_not_found_and_malformed_ones_bad_input(gql, hooks):
    for name, variables in ops("999", "999"):
        if name in ("settings/CreateWebhookEndpoint", "settings/WebhookEndpoints"):
            continue
        result = await gql(operation(name), variables, token=hooks["admin"])
        assert error_codes(result) == ["NOT_FOUND"], name
    for name, variables in ops("x1", "-5"):
        if name in ("settings/CreateWebhookEndpoint", "settings/WebhookEndpoints"):
            continue
        result = await gql(operation(name), variables, token=hooks["admin"])
        assert error_codes(result) == ["BAD_USER_INPUT"], name


async def test_delivery_filters_and_pages(gql, hooks, worker):
    with Receiver() as receiver:
        made = await register(gql, hooks["admin"], receiver.url())
        for n in range(3):
            await call_event(gql, hooks["pbx"], f"p{n}", "INCOMING", f"P{n}", "11:00:00")
        await drain(worker)
    endpoint_id = made["endpoint"]["id"]
    query = operation("settings/WebhookDeliveries")
    first = await gql(query, {"endpointId": endpoint_id, "first": 2}, token=hooks["admin"])
    page = first["data"]["webhookDeliveries"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
    assert [d["payload"]["data"]["callId"] for d in page["nodes"]] == ["P2", "P1"]
    rest = await gql(
        query,
        {"endpointId": endpoint_id, "first": 2, "after": page["pageInfo"]["endCursor"]},
        token=hooks["admin"],
    )
    assert [d["payload"]["data"]["callId"] for d in rest["data"]["webhookDeliveries"]["nodes"]] == [
        "P0"
    ]
    by_type = await gql(
        query,
        {"endpointId": endpoint_id, "filter": {"eventType": "call.ended"}},
        token=hooks["admin"],
    )
    assert by_type["data"]["webhookDeliveries"]["totalCount"] == 0
    bad = await gql(
        query, {"endpointId": endpoint_id, "filter": {"eventType": "nope"}}, token=hooks["admin"]
    )
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.eventType"}
    naive = await gql(
        query,
        {"endpointId": endpoint_id, "filter": {"createdAfter": "2026-03-02T10:00:00"}},
        token=hooks["admin"],
    )
    assert naive["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await WebhookAttempt.all().count() == 3


async def test_a_switched_off_endpoint_takes_no_test_message(gql, hooks):
    made = await register(gql, hooks["admin"], URL)
    await gql(
        operation("settings/UpdateWebhookEndpoint"),
        {"id": made["endpoint"]["id"], "changes": {"enabled": False}},
        token=hooks["admin"],
    )
    result = await gql(
        operation("settings/SendTestWebhook"), {"id": made["endpoint"]["id"]}, token=hooks["admin"]
    )
    assert error_codes(result) == ["CONFLICT"]


async def test_at_most_fifty_endpoints(gql, hooks):
    for _ in range(50):
        await register(gql, hooks["admin"], URL, ["call.ended"])
    result = await gql(
        operation("settings/CreateWebhookEndpoint"),
        {"input": {"url": URL, "events": WEBHOOK_EVENTS}},
        token=hooks["admin"],
    )
    assert error_codes(result) == ["BAD_USER_INPUT"]
