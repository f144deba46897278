"""GraphQL over WebSocket (graphql-transport-ws) on a real server process; the token travels in
connection_init."""

from __future__ import annotations

import json

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from app.accounts import models
from tests.support import DATABASE_URL, cli_env, free_port, server_process


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
