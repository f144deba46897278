"""The /graphql endpoint: strawberry's ASGI view with our context and token handling."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.schema.base import BaseSchema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET

from app.accounts.auth import Auth, bearer_token
from app.api.context import Context
from app.api.errors import coded
from app.api.websockets import OpenSockets
from app.delivery.clock import Clock, SystemClock
from app.errors import Unauthenticated
from app.events.hub import Hub
from app.knowledge.counters import ContentVersion
from app.requestid import current_request_id
from app.settings import Settings
from app.web.security import GRAPHIQL_CSP

GRAPHIQL_PAGE = Path(__file__).resolve().parents[2] / "cms_static" / "graphiql" / "index.html"
MAX_JSON_DEPTH = 32
_HTTP_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def _depth(value: object, limit: int = MAX_JSON_DEPTH + 1) -> int:
    """How deeply ``value`` nests (counting stops past ``limit``)."""
    depth, level = 0, [value]
    while level and depth <= limit:
        level = [
            child
            for item in level
            if isinstance(item, dict | list)
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        depth += 1
    return depth


# A socket must say who it is (connection_init) within 5 s, and may have at most this many
# operations (queries, mutations, subscriptions) in flight.
INIT_TIMEOUT = timedelta(seconds=5)
MAX_OPERATIONS_PER_SOCKET = 20


# Where an HTTP request's context is kept for GraphQLView.__call__ to release it.
_CONTEXT_KEY = "deskql.context"


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self,
        schema: BaseSchema,
        *,
        settings: Settings,
        auth: Auth,
        content_version: ContentVersion,
        sockets: OpenSockets,
        hub: Hub | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide=None if settings.is_production else "graphiql",
            allow_queries_via_get=True,
            # Only graphql-transport-ws: the legacy graphql-ws protocol is refused (4406).
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=INIT_TIMEOUT,
            max_subscriptions_per_connection=MAX_OPERATIONS_PER_SOCKET,
        )
        self.settings = settings
        self.auth = auth
        self.content_version = content_version
        self.sockets = sockets
        self.hub = hub
        self.clock: Clock = SystemClock()  # tests swap in a manual clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """HTTP errors strawberry raises before GraphQL runs (a body that is not JSON, a wrong
        content type, a mutation over GET ...) leave as JSON with a code, like every other
        error, instead of strawberry's plain text."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as exc:
            response = JSONResponse(
                {
                    "errors": [
                        {
                            "message": exc.reason,
                            "extensions": {"code": _HTTP_CODES.get(exc.status_code, "BAD_REQUEST")},
                        }
                    ]
                },
                status_code=exc.status_code,
            )
        finally:
            context = scope.pop(_CONTEXT_KEY, None)
            if context is not None:
                context.release()
        await response(scope, receive, send)

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL from deskql's own copies (cms_static/vendor), under a CSP: it works with no
        internet, and loads nothing from a CDN."""
        return HTMLResponse(
            GRAPHIQL_PAGE.read_bytes(),
            headers={"content-security-policy": GRAPHIQL_CSP, "cache-control": "no-cache"},
        )

    def encode_json(self, data: object) -> str | bytes:
        """Compact JSON from orjson (about ten times json.dumps's speed on a list page), as text:
        strawberry sends bytes over a WebSocket as a binary frame, which graphql-transport-ws
        clients refuse. What orjson refuses (an integer past 64 bits in a JSON scalar) goes
        through json."""
        try:
            return orjson.dumps(data).decode()
        except (TypeError, orjson.JSONEncodeError):
            return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    def decode_json(self, data: str | bytes) -> object:
        """A body that is not UTF-8, or nested past any sensible depth, is the client's
        mistake (400), not a server fault."""
        try:
            decoded = json.loads(data)
        except UnicodeDecodeError:
            raise HTTPException(400, "The request body is not UTF-8.") from None
        except RecursionError:
            raise HTTPException(400, "The request body nests too deeply.") from None
        if _depth(decoded) > MAX_JSON_DEPTH:
            raise HTTPException(400, "The request body nests too deeply.")
        return decoded

    async def get_context(self, request: Any, response: Any) -> Context:
        context = Context(
            settings=self.settings,
            auth=self.auth,
            request=request,
            response=response,
            request_id=current_request_id(),
            content_version=self.content_version,
            hub=self.hub,
            clock=self.clock,
        )
        if isinstance(request, Request):
            request.scope[_CONTEXT_KEY] = context
            header = request.headers.get("authorization")
            if header is not None:  # answers for someone are never stored by a cache
                response.headers["cache-control"] = "no-store"
            token = bearer_token(header)
            if header and token is None:
                context.auth_error = Unauthenticated(
                    "The Authorization header must be 'Bearer <token>'."
                )
            elif token:
                try:
                    context.principal = await self.auth.authenticate(token)
                except Unauthenticated as exc:
                    context.auth_error = exc
        return context

    async def process_result(self, request: Request, result) -> GraphQLHTTPResponse:
        # Errors raised before the operation hooks ran (a parse failure in the parser cache)
        # reach here uncoded; coded() leaves already-coded errors alone.
        if result.errors:
            request_id = current_request_id()
            result.errors = [
                coded(e, request_id=request_id, production=self.settings.is_production)
                for e in result.errors
            ]
        return process_result(result)

    async def on_ws_connect(self, context: Context):
        """graphql-transport-ws: the token comes in connection_init's payload."""
        params = context.connection_params or {}
        raw = params.get("Authorization") or params.get("authorization")
        token = bearer_token(raw) if isinstance(raw, str) and " " in raw else raw
        if token is None:
            return UNSET
        if not isinstance(token, str):
            raise ConnectionRejectionError()
        try:
            context.principal = await self.auth.authenticate(token)
        except Unauthenticated:
            raise ConnectionRejectionError() from None
        # Every operation on the socket checks the token again (SocketAuthorization), and the
        # socket is closed once its access is taken away (OpenSockets).
        context.socket_token = token
        if isinstance(context.request, WebSocket) and context.principal.token_hash:
            self.sockets.add(context.request, context.principal.token_hash)
        return UNSET
