"""The Zendesk client's reading of Zendesk's answers (../shared/spec/zendesk-api.md): error
envelopes as recorded from real accounts, rate-limit headers in both spellings, Retry-After and
its absence; and how the connection is configured."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import httpx
import pytest

from app.delivery.clock import ManualClock
from app.settings import ConfigError, Settings
from app.zendesk.client import ACCOUNT, Connection, RateLimited, ZendeskClient, error_from


def answer(
    status: int, body: str = "", content_type="application/json", **headers
) -> httpx.Response:
    return httpx.Response(
        status,
        content=body.encode(),
        headers={
            "content-type": content_type,
            **{k.replace("_", "-"): v for k, v in headers.items()},
        },
        request=httpx.Request("GET", "https://acme.zendesk.com/api/v2/x"),
    )


@pytest.mark.parametrize(
    ("response", "code", "retryable", "text"),
    [
        (
            answer(404, '{"error":"RecordNotFound","description":"Not found"}'),
            "RecordNotFound",
            False,
            "Not found",
        ),
        (
            answer(401, '{"error":"Couldn\'t authenticate you"}'),
            "Couldn't authenticate you",
            False,
            "401",
        ),
        (
            answer(
                422,
                '{"error":"RecordInvalid","description":"Record validation errors","details":{"status":[{"description":"Status: closed prevents ticket update","error":"InvalidValue"}]}}',
            ),
            "RecordInvalid",
            False,
            "closed prevents ticket update",
        ),
        (
            answer(
                400, '{"error":"TooManyValues","description":"Too many values","max_count":100}'
            ),
            "TooManyValues",
            False,
            "Too many values",
        ),
        (
            answer(
                400,
                '{"error":{"title":"Invalid attribute","message":"You passed an invalid value"}}',
            ),
            "Invalid attribute",
            False,
            "invalid value",
        ),
        (
            answer(
                400,
                '{"errors":[{"code":"InvalidPaginationParameter","title":"Invalid pagination","detail":"page[size] is too big"}]}',
            ),
            "InvalidPaginationParameter",
            False,
            "page[size]",
        ),
        (
            answer(503, "<html>Service Unavailable</html>", "text/html"),
            None,
            True,
            "Service Unavailable",
        ),
    ],
)
def test_error_envelopes(response, code, retryable, text):
    error = error_from(response)
    assert error.code == code and error.retryable is retryable
    assert text in str(error)


class Answers(httpx.AsyncBaseTransport):
    """Answers given in order (the client under test sends real requests through httpx)."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.sent: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        r = self.responses.pop(0)
        return httpx.Response(r.status_code, headers=r.headers, content=r.content)


async def test_a_429_blocks_its_bucket_until_retry_after_and_nothing_is_sent_meanwhile():
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    transport = Answers(
        answer(
            200,
            '{"ticket":{"id":1}}',
            zendesk_ratelimit_tickets_index="total=100; remaining=99; resets=60",
        ),
        answer(
            429, "Number of allowed API requests per minute exceeded", "text/plain", retry_after="7"
        ),
        answer(200, '{"ticket":{"id":1}}'),
    )
    client = ZendeskClient(
        Connection("https://acme.zendesk.com", "a@b.c", "t"), clock=clock, transport=transport
    )
    assert (await client.show_ticket(1))["id"] == 1
    assert transport.sent[0].headers["authorization"].startswith("Basic ")
    with pytest.raises(RateLimited) as limited:
        await client.show_ticket(1)
    assert limited.value.wait == 7 and limited.value.bucket == ACCOUNT
    clock.advance(6)
    with pytest.raises(RateLimited):  # refused without sending
        await client.show_ticket(1)
    assert len(transport.sent) == 2
    clock.advance(1.5)
    assert (await client.show_ticket(1))["id"] == 1
    await client.close()


async def test_an_empty_endpoint_bucket_in_either_spelling_blocks_that_route_only():
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    transport = Answers(
        answer(
            200,
            '{"ticket":{"id":1}}',
            **{"Zendesk-Rate-Limit-Tickets-Update": "total=30; remaining=0; resets=40"},
        ),
        answer(200, '{"ticket":{"id":2}}'),
    )
    client = ZendeskClient(
        Connection("https://acme.zendesk.com", "a@b.c", "t"), clock=clock, transport=transport
    )
    await client.update_ticket(1, {"status": "open"})
    with pytest.raises(RateLimited) as limited:
        await client.update_ticket(1, {"status": "open"})
    assert limited.value.bucket == "tickets-update" and limited.value.wait == 40
    assert (await client.show_ticket(2))["id"] == 2  # another route is not held back
    await client.close()


async def test_a_429_without_retry_after_backs_off_exponentially_with_jitter_and_a_cap():
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    waits = []
    for _ in range(9):
        transport = Answers(answer(429, "slow down", "text/plain"))
        client = ZendeskClient(
            Connection("https://z.example", "a@b.c", "t"),
            clock=clock,
            transport=transport,
            rng=random.Random(1),
        )
        if waits:
            client.buckets.streak = len(waits)
        with pytest.raises(RateLimited) as limited:
            await client.show_ticket(1)
        waits.append(limited.value.wait)
        await client.close()
    assert 1.6 <= waits[0] <= 2.4 and 3.2 <= waits[1] <= 4.8
    assert max(waits) <= 120 * 1.2


def test_the_connection_comes_from_configuration_only():
    settings = Settings.from_env({"DESKQL_ZENDESK_SUBDOMAIN": "acme", "DESKQL_ZENDESK_EMAIL": "a@acme.com",
                                  "DESKQL_ZENDESK_API_TOKEN": "s3cr3t-zd-token", "DESKQL_SECRET_KEY": "x" * 40})  # fmt: skip
    assert settings.zendesk_url == "https://acme.zendesk.com"
    assert "s3cr3t-zd-token" not in repr(settings) and "x" * 40 not in repr(settings)
    explicit = Settings.from_env(
        {"DESKQL_ZENDESK_URL": "http://127.0.0.1:8790/", "DESKQL_SECRET_KEY": "x" * 40}
    )
    assert explicit.zendesk_url == "http://127.0.0.1:8790"
    for env in ({"DESKQL_ZENDESK_SUBDOMAIN": "Acme Corp!"}, {"DESKQL_ZENDESK_URL": "ftp://x"}):
        with pytest.raises(ConfigError, match="DESKQL_ZENDESK"):
            Settings.from_env({**env, "DESKQL_SECRET_KEY": "x" * 40})
