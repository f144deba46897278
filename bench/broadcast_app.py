"""The subscriptions baseline: a minimal strawberry app on Starlette whose one subscription hands
every subscriber each tick (an in-memory broadcast, no database, no auth). POST /tick sends
one; the tick carries the time it was sent, as deskql's events carry their call id."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

QUEUES: set[asyncio.Queue[str]] = set()


@strawberry.type
class Query:
    ok: bool = True


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def ticks(self) -> AsyncGenerator[str, None]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        QUEUES.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            QUEUES.discard(queue)


async def tick(request: Request) -> PlainTextResponse:
    label = (await request.body()).decode()
    for queue in QUEUES:
        queue.put_nowait(label)
    return PlainTextResponse("ok")


async def health(request: Request) -> PlainTextResponse:
    return PlainTextResponse(str(len(QUEUES)))


graphql = GraphQL(
    strawberry.Schema(query=Query, subscription=Subscription),
    subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
)
app = Starlette(
    routes=[
        Route("/tick", tick, methods=["POST"]),
        Route("/health", health),
        Route("/graphql", graphql),
        WebSocketRoute("/graphql", graphql),
    ]
)
