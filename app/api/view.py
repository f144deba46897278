"""The /graphql endpoint: strawberry's ASGI view with our context and token handling."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types.unset import UNSET

from app.accounts.auth import Auth, bearer_token
from app.api.context import Context
from app.api.errors import coded
from app.errors import Unauthenticated
from app.knowledge.counters import ContentVersion
from app.requestid import current_request_id
from app.settings import Settings


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self, schema, *, settings: Settings, auth: Auth, content_version: ContentVersion
    ) -> None:
        super().__init__(
            schema,
            graphql_ide=None if settings.is_production else "graphiql",
            allow_queries_via_get=True,
        )
        self.settings = settings
        self.auth = auth
        self.content_version = content_version

    async def get_context(self, request: Any, response: Any) -> Context:
        context = Context(
            settings=self.settings,
            auth=self.auth,
            request=request,
            response=response,
            request_id=current_request_id(),
            content_version=self.content_version,
        )
        if isinstance(request, Request):
            header = request.headers.get("authorization")
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
            result.errors = [coded(e, request_id=request_id) for e in result.errors]
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
        return UNSET
