"""Every error leaves with ``extensions.code``; unexpected ones are masked and logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from app.errors import DomainError

log = logging.getLogger("deskql.graphql")

UNEXPECTED_MESSAGE = "Unexpected error."


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [self._format(error) for error in errors]

    def _format(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if original is None:
            # Parse and validation errors: the document is at fault, not the server.
            code = (error.extensions or {}).get("code") or "GRAPHQL_VALIDATION_FAILED"
            if error.message.startswith("Syntax Error"):
                code = "GRAPHQL_PARSE_FAILED"
            return _with_extensions(error, error.message, {**(error.extensions or {}), "code": code})
        if isinstance(original, DomainError):
            return _with_extensions(error, original.message, original.as_extensions())
        if isinstance(original, GraphQLError):
            # Argument coercion errors (e.g. an Int out of range) are the client's fault.
            return _with_extensions(error, error.message, {"code": "BAD_USER_INPUT"})
        request_id = getattr(self.execution_context.context, "request_id", None)
        log.error(
            "unexpected error request_id=%s path=%s", request_id, error.path, exc_info=original
        )
        return _with_extensions(
            error, UNEXPECTED_MESSAGE, {"code": "INTERNAL", "requestId": request_id}
        )


def _with_extensions(error: GraphQLError, message: str, extensions: dict) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )
