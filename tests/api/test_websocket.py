"""GraphQL over WebSocket (graphql-transport-ws) on a real server process; the token travels in
connection_init."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from app.accounts import models
from app.directory.models import Contact
from tests.support import (
    CREATE_TICKET,
    DATABASE_URL,
    cli_env,
    free_port,
    operation,
    server_process,
)


@pytest.fixture(scope="module")
def live_server(app, tmp_path_factory):
    env = cli_env(DATABASE_URL, tmp_path_factory.mktemp("live"))
    with server_process(env, free_port()) as base:
        yield base.replace("http://", "ws://") + "/graphql"


async def _ws_query(url: str, payload: dict, query: str) -> list[dict]:
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await ws.recv())
        assert ack["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        messages = []
        while True:
            message = json.loads(await ws.recv())
            messages.append(message)
            if message["type"] in ("complete", "error"):
                return messages


async def test_a_token_in_connection_init_signs_the_socket_in(live_server, make_account):
    _, token = await make_account("li.na")

    messages = await _ws_query(
        live_server, {"Authorization": f"Bearer {token}"}, "{ me { account } }"
    )

    assert messages[0] == {
        "id": "1",
        "type": "next",
        "payload": {"data": {"me": {"account": "li.na"}}},
    }


async def test_without_a_token_guarded_fields_are_refused(live_server):
    messages = await _ws_query(live_server, {}, "{ me { account } }")

    assert messages[0]["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_bad_token_closes_the_socket(live_server):
    async with connect(live_server, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps(
                {"type": "connection_init", "payload": {"Authorization": "Bearer dq_revoked"}}
            )
        )
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()

    assert closed.value.rcvd.code == 4403
    assert await models.AuthToken.all().count() == 0


@pytest.fixture(scope="module")
def second_server(app, tmp_path_factory):
    """Another server process on the same database."""
    env = cli_env(DATABASE_URL, tmp_path_factory.mktemp("live2"))
    with server_process(env, free_port()) as base:
        yield base.replace("http://", "ws://") + "/graphql"


async def _signed_in(url: str, token: str):
    ws = await connect(url, subprotocols=["graphql-transport-ws"])
    await ws.send(
        json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    )
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    return ws


async def _ask(ws, op_id: str, query: str) -> dict:
    """The first answer (next or error) to the operation; completions of earlier ones skipped."""
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": query}}))
    while True:
        message = json.loads(await ws.recv())
        if message["type"] != "complete":
            return message


async def _closed_code(ws) -> int:
    """The code the server closes the socket with (waiting a second and a half at most: the
    requirement is a second, plus scheduling slack on a busy machine)."""
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(ws.recv(), timeout=1.5)
    return closed.value.rcvd.code


@pytest.mark.parametrize("revoke", ["logout", "changePassword", "disableAccount"])
async def test_revoked_access_closes_open_sockets_in_every_process(
    live_server, second_server, make_account, gql, revoke
):
    """The revocation happens in this (test) process; both server processes close the
    sockets signed in with the token (4403) and run nothing more on them."""
    agent, token = await make_account("li.na")
    _, admin = await make_account("boss", models.Role.SUPER_ADMIN)
    sockets = [await _signed_in(url, token) for url in (live_server, second_server)]
    for ws in sockets:
        assert (await _ask(ws, "1", "{ me { account } }"))["payload"]["data"] == {
            "me": {"account": "li.na"}
        }

    if revoke == "logout":
        await gql(operation("accounts/Logout"), token=token)
    elif revoke == "changePassword":
        changed = await gql(
            operation("accounts/ChangePassword"),
            {"old": "correct-horse-battery", "new": "another-password"},
            token=token,
        )
        assert "errors" not in changed
    else:
        await gql(operation("accounts/DisableAccount"), {"id": str(agent.id)}, token=admin)

    for ws in sockets:
        try:  # an operation sent now is refused (or the socket is already closed)
            answer = await _ask(ws, "2", 'mutation { createContact(input: {name: "X"}) { id } }')
            assert answer["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        except ConnectionClosed:
            pass
        assert await _closed_code(ws) == 4403
    assert await Contact.all().count() == 0


async def test_each_operation_uses_the_permissions_of_now(live_server, make_account, gql):
    """A socket outlives a change of permissions: its next operation sees the change."""
    agent, token = await make_account("li.na", groups=[["reports.view"]])
    _, admin = await make_account("boss", models.Role.SUPER_ADMIN)
    report = '{ satisfactionReport(from: "2026-03-02", to: "2026-03-02") { participants } }'
    ws = await _signed_in(live_server, token)
    assert (await _ask(ws, "1", report))["payload"]["data"] == {
        "satisfactionReport": {"participants": 0}
    }

    group = await models.AccountPermissionGroup.get(account_id=agent.id)
    await gql(
        operation("accounts/UnassignPermissionGroup"),
        {"accountId": str(agent.id), "groupId": str(group.group_id)},
        token=admin,
    )

    refused = await _ask(ws, "2", report)
    assert refused["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await ws.close()


async def test_each_operation_on_a_socket_reads_the_records_as_they_are_now(
    live_server, make_account, gql
):
    """A socket keeps one context: what one operation fetched (a list's nested objects, the
    loaders' caches) is not what the next one answers from."""
    _, token = await make_account("boss", models.Role.SUPER_ADMIN)
    created = await gql(CREATE_TICKET, {"input": {"subject": "Printer"}}, token=token)
    ticket = created["data"]["createTicket"]["id"]
    query = (
        "{ tickets(first: 5) { nodes { id comments { body } } } "
        'ticket(id: "' + ticket + '") { comments { body } } }'
    )
    ws = await _signed_in(live_server, token)
    first = (await _ask(ws, "1", query))["payload"]["data"]
    assert first["tickets"]["nodes"][0]["comments"] == [] and first["ticket"]["comments"] == []

    added = await gql(
        'mutation($id: ID!) { addTicketComment(id: $id, body: "toner", public: true) { id } }',
        {"id": ticket},
        token=token,
    )
    assert "errors" not in added, added

    here = await gql(query, token=token)
    second = (await _ask(ws, "2", query))["payload"]["data"]
    assert here["data"] == second, (here, second)
    assert second["tickets"]["nodes"][0]["comments"] == [{"body": "toner"}]
    assert second["ticket"]["comments"] == [{"body": "toner"}]
    await ws.close()


async def test_a_socket_that_never_says_who_it_is_is_closed(live_server):
    async with connect(live_server, subprotocols=["graphql-transport-ws"]) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), timeout=10)
    assert closed.value.rcvd.code == 4408  # connection_init within 5 s


async def test_the_legacy_graphql_ws_protocol_is_refused(live_server):
    async with connect(live_server, subprotocols=["graphql-ws"]) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            await asyncio.wait_for(ws.recv(), timeout=5)
    assert closed.value.rcvd.code == 4406
    async with connect(live_server, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps({"id": "1", "type": "start", "payload": {"query": "{ __typename }"}})
        )
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), timeout=5)
    assert closed.value.rcvd.code == 4400
