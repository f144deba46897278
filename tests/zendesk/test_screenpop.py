"""The agent's Zendesk screen pop across processes: the sync runs here, the agent is subscribed
to `zendeskSyncEvents` on a `deskql serve` process of its own, and hears that the Zendesk ticket
of their call was created, then — on the next call of the customer — linked. A colleague hears
nothing of it."""

from __future__ import annotations

import pytest

from tests.support import (
    DATABASE_URL,
    Subscription,
    call_event,
    cli_env,
    free_port,
    operation,
    server_process,
    settle,
    zendesk_id,
)

EVENTS = operation("workspace/ZendeskSyncEvents")
PHONE = "+8613800138000"


@pytest.fixture(scope="module")
def socket_url(app, tmp_path_factory):
    with server_process(cli_env(DATABASE_URL, tmp_path_factory.mktemp("pop")), free_port()) as url:
        yield url.replace("http://", "ws://") + "/graphql"


async def _answered(gql, token, call_id: str, minute: int) -> None:
    at = f"10:{minute:02d}"
    await call_event(gql, token, f"{call_id}-1", "INCOMING", call_id, f"{at}:00",
                     customerPhone=PHONE, queue="Billing")  # fmt: skip
    await call_event(gql, token, f"{call_id}-2", "RINGING", call_id, f"{at}:02",
                     agentAccount="agent")  # fmt: skip
    await call_event(gql, token, f"{call_id}-3", "ANSWERED", call_id, f"{at}:05")


async def test_the_agent_hears_of_the_zendesk_ticket_of_their_call(
    socket_url, gql, people, sync, zendesk_fake
):
    pbx = people["manager"]
    async with (
        Subscription(socket_url, people["agent"], EVENTS) as mine,
        Subscription(socket_url, people["other"], EVENTS) as colleague,
    ):
        await _answered(gql, pbx, "Z1", 0)
        await settle(sync, zendesk_fake.clock, step=2)
        created = await mine.data()
        assert created["kind"] == "TICKET_CREATED" and created["callId"] == "Z1"
        zid = await zendesk_id(gql, pbx, created["ticketId"])
        assert created["zendeskTicketId"] == str(zid)
        assert created["url"] == f"{zendesk_fake.url}/agent/tickets/{zid}"

        await call_event(gql, pbx, "Z1-9", "ENDED", "Z1", "10:03:00")
        await _answered(gql, pbx, "Z2", 10)  # the customer calls again: the ticket is reused
        await settle(sync, zendesk_fake.clock, step=2)
        linked = await mine.data()
        assert (linked["kind"], linked["callId"], linked["ticketId"]) == (
            "TICKET_LINKED",
            "Z2",
            created["ticketId"],
        )
        assert await colleague.silent(0.5)
