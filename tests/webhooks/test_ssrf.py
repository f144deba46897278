"""Where webhooks may not go (SSRF): refused at registration and again at connection time, the
connection made to the address that was checked, redirects never followed."""

from __future__ import annotations

import pytest

from app.delivery import outbound
from app.errors import InvalidInput
from app.webhooks import service
from app.webhooks.models import WebhookEndpoint
from tests.support import (
    SYSTEM,
    WEBHOOK_EVENTS,
    Answer,
    Receiver,
    call_event,
    deliveries,
    drain,
    register,
)

REFUSED = [
    "http://127.0.0.1:8000/hooks",  # loopback
    "http://[::1]/hooks",
    "http://localhost/hooks",  # a name resolving to loopback
    "http://2130706433/hooks",  # 127.0.0.1 written as a number
    "http://0.0.0.0/hooks",
    "http://10.1.2.3/hooks",  # private
    "http://192.168.0.10/hooks",
    "http://172.16.5.5/hooks",
    "http://100.64.0.1/hooks",  # carrier-grade NAT
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
    "http://[fe80::1]/hooks",
    "http://[fd00::1]/hooks",  # unique local
    "http://[::ffff:127.0.0.1]/hooks",  # IPv4-mapped loopback
    "http://[::ffff:169.254.169.254]/hooks",
    "http://224.0.0.1/hooks",  # multicast
    "http://240.0.0.1/hooks",  # reserved
]
MALFORMED = [
    ("ftp://example.com/hooks", "Only http and https URLs can be called."),
    ("file:///etc/passwd", "Only http and https URLs can be called."),
    ("gopher://example.com/", "Only http and https URLs can be called."),
    ("http://user:pw@example.com/hooks", "Credentials do not belong in the URL."),
    ("http:///hooks", "The URL has no host."),
    ("http://example.com:99999/", "This is not a URL."),
    ("", "A URL is 1-2000 characters."),
    ("http://example.com/" + "a" * 2000, "A URL is 1-2000 characters."),
]


@pytest.mark.parametrize("url", REFUSED)
async def test_internal_addresses_are_refused(url):
    with pytest.raises(outbound.UnsafeTarget, match="does not call"):
        await outbound.check(url, allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/",
        "http://[::ffff:169.254.169.254]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://[fe80::1]/",
    ],
)
async def test_the_development_setting_never_opens_metadata_or_multicast(url):
    with pytest.raises(outbound.UnsafeTarget):
        await outbound.check(url, allow_private=True)


async def test_the_development_setting_opens_loopback_and_private_addresses():
    for url in ("http://127.0.0.1:9/x", "http://localhost:9/x", "http://10.0.0.1/"):
        target = await outbound.check(url, allow_private=True)
        assert target.address in ("127.0.0.1", "::1", "10.0.0.1")


async def test_a_public_address_is_allowed_and_connected_to_as_checked():
    target = await outbound.check("https://93.184.215.14/hook?x=1", allow_private=False)
    assert (target.scheme, target.host, target.port, target.path, target.address) == (
        "https",
        "93.184.215.14",
        443,
        "/hook?x=1",
        "93.184.215.14",
    )


@pytest.mark.parametrize(("url", "message"), MALFORMED)
async def test_malformed_urls_are_refused(url, message):
    with pytest.raises(outbound.UnsafeTarget) as refused:
        await outbound.check(url, allow_private=True)
    assert str(refused.value) == message


async def test_a_name_that_does_not_resolve_is_refused():
    with pytest.raises(outbound.UnsafeTarget, match="does not resolve"):
        await outbound.check("http://no-such-host.invalid/hooks", allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://169.254.169.254/",
        "http://[::ffff:127.0.0.1]/",
        "http://localhost/",
    ],
)
async def test_registration_refuses_them_with_a_coded_error(url):
    """The API answers BAD_USER_INPUT on `url` (without DESKQL_WEBHOOK_ALLOW_PRIVATE)."""
    with pytest.raises(InvalidInput) as refused:
        await service.create(
            actor=SYSTEM,
            url=url,
            events=WEBHOOK_EVENTS,
            description="",
            enabled=True,
            allow_private=False,
        )
    assert refused.value.extensions == {"field": "url"}
    assert await WebhookEndpoint.all().count() == 0


async def test_registration_through_the_api_answers_bad_user_input(gql, hooks):
    result = await gql(
        "mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) "
        "{ secret } }",
        {"input": {"url": "http://169.254.169.254/latest", "events": ["call.ended"]}},
        token=hooks["admin"],
    )
    [error] = result["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "url"}
    assert "169.254.169.254" in error["message"]


async def test_an_address_that_became_internal_is_refused_at_connection_time(
    gql, hooks, worker, clock
):
    """Registered while allowed (or while the name resolved elsewhere): the check runs again
    before every connection, and the receiver is never reached."""
    with Receiver() as receiver:
        made = await register(gql, hooks["admin"], f"http://localhost:{receiver.port}/hooks")
        worker.dispatcher.allow_private = False
        await call_event(gql, hooks["pbx"], "s1", "INCOMING", "S1", "11:00:00")
        await drain(worker)
    assert receiver.requests() == []
    [row] = await deliveries(gql, hooks["admin"], made["endpoint"]["id"])
    assert row["status"] == "PENDING"
    assert "resolves to an address deskql does not call" in row["attempts"][0]["error"]


async def test_redirects_are_not_followed(gql, hooks, worker):
    with (
        Receiver() as inside,
        Receiver(lambda r: Answer(307, headers={"Location": inside.url("/secret")})) as outside,
    ):
        made = await register(gql, hooks["admin"], outside.url(), ["call.incoming"])
        await call_event(gql, hooks["pbx"], "s1", "INCOMING", "S1", "11:00:00")
        await drain(worker)
    assert len(outside.requests()) == 1
    assert inside.requests() == []
    [row] = await deliveries(gql, hooks["admin"], made["endpoint"]["id"])
    assert (row["status"], row["lastStatusCode"]) == ("PENDING", 307)
    assert row["lastError"] == "A redirect: deskql does not follow redirects."


async def test_the_host_header_names_the_host_while_the_connection_goes_to_its_address(
    gql, hooks, worker
):
    with Receiver() as receiver:
        await register(
            gql, hooks["admin"], f"http://localhost:{receiver.port}/hooks?k=1", ["call.incoming"]
        )
        await call_event(gql, hooks["pbx"], "s1", "INCOMING", "S1", "11:00:00")
        await drain(worker)
    [request] = receiver.requests()
    assert request.headers["host"] == f"localhost:{receiver.port}"
    assert request.path == "/hooks?k=1"
    assert request.headers["user-agent"] == "deskql-webhooks/1"
