"""Every error leaves with ``extensions.code``; unexpected ones are masked and logged."""

from __future__ import annotations

import logging
from typing import Any

from app.errors import DomainError
from graphql import GraphQLError

log = logging.getLogger("deskql.graphql")

UNEXPECTED_MESSAGE = "Unexpected error."
# In production, what a validation or coercion error would say about the schema (field, type
# and argument names) is not said: introspection is off there, and these messages would rebuild
# the schema as well (clairvoyance did). The code and the location stay.
HIDDEN_VALIDATION = "This document does not fit the API (details are not shown in production)."
HIDDEN_COERCION = "An argument or variable has a value of the wrong type or shape."


def coded(error: GraphQLError, *, request_id: str | None, production: bool = False) -> GraphQLError:
    """The client-facing form of an error. Idempotent: a coded error is returned as it is."""
    original = error.original_error
    extensions = error.extensions or {}
    if original is None:
        if "code" in extensions:
            return error
        # Parse and validation errors: the document is at fault, not the server.
        if error.message.startswith("Syntax Error"):
            return _rebuilt(error, error.message, {**extensions, "code": "GRAPHQL_PARSE_FAILED"})
        message = HIDDEN_VALIDATION if production else error.message
        return _rebuilt(error, message, {**extensions, "code": "GRAPHQL_VALIDATION_FAILED"})
    if isinstance(original, DomainError):
        return _rebuilt(error, original.message, original.as_extensions())
    if isinstance(original, GraphQLError):
        # Argument coercion errors (e.g. an Int out of range) are the client's fault.
        message = HIDDEN_COERCION if production else error.message
        return _rebuilt(error, message, {"code": "BAD_USER_INPUT"})
    log.error("unexpected error request_id=%s path=%s", request_id, error.path, exc_info=original)
    return _rebuilt(error, UNEXPECTED_MESSAGE, {"code": "INTERNAL", "requestId": request_id})


def code_result(result: Any, context: Any, *, production: bool = False) -> None:
    """Code the errors of an executed operation's result (HTTP and WebSocket alike)."""
    if result is not None and getattr(result, "errors", None):
        request_id = getattr(context, "request_id", None)
        result.errors = [
            coded(e, request_id=request_id, production=production) for e in result.errors
        ]


def _rebuilt(error: GraphQLError, message: str, extensions: dict) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )
