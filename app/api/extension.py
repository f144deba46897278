"""The one schema extension every operation goes through, with one hook. Strawberry wraps every
hook of every extension in context managers on every request, so the checks live in one hook
of one extension rather than six extensions: before the operation runs,

- the size limits (app/api/limits.py);
- parsing and validation from process-wide bounded LRU caches (a document that does not parse
  is left to strawberry, which reports the syntax error);
- the input guard (app/api/guards.py), whose one refusal replaces the validation's errors;
- on a signed-in WebSocket, the token checked again (app/api/websockets.py);

and afterwards every error gets its code (app/api/errors.py) — in on_stream_result for
WebSocket results, which are sent before on_operation resumes.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from functools import lru_cache
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from app.api import errors, guards, limits, websockets
from graphql import GraphQLError, parse

CACHE_SIZE = 512

cached_parse = lru_cache(maxsize=CACHE_SIZE)(parse)


class CheckedDocuments:
    """What validation and the document guard said of each parsed document, keyed by the
    document's identity: the parse cache hands the same document object for the same text, so
    this costs no hashing of the document's tree per request."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self.hits = self.misses = 0
        self._entries: OrderedDict[tuple[int, int, bool], tuple[Any, Any, list, Any]] = (
            OrderedDict()
        )

    def check(self, ctx: Any, production: bool) -> list[GraphQLError]:
        schema, document = ctx.schema._schema, ctx.graphql_document
        key = (id(schema), id(document), production)
        entry = self._entries.get(key)
        if entry is not None and entry[0] is schema and entry[1] is document:
            self.hits += 1
            self._entries.move_to_end(key)
        else:
            self.misses += 1
            errors = validate_document(schema, document, ctx.validation_rules)
            # The entry holds the document, so its id cannot be reused while it is here.
            entry = (schema, document, errors, guards.document_refusal(document))
            self._entries[key] = entry
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)
        refusal = entry[3] or guards.variables_refusal(ctx.variables)
        return [refusal] if refusal is not None else entry[2]


checked_documents = CheckedDocuments()


class OperationChecks(SchemaExtension):
    production = False

    async def on_operation(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if hasattr(ctx.context, "new_operation"):
            ctx.context.new_operation()  # a socket's context serves many operations
        limits.apply(ctx, production=self.production)
        if ctx.query and ctx.graphql_document is None:
            # A document that does not parse: strawberry parses it again and reports the error.
            with contextlib.suppress(GraphQLError):
                ctx.graphql_document = cached_parse(ctx.query, **ctx.parse_options)
        if ctx.graphql_document is not None:
            ctx.pre_execution_errors = checked_documents.check(ctx, self.production)
        await websockets.reauthorize(ctx.context)
        yield
        errors.code_result(ctx.result, ctx.context, production=self.production)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        errors.code_result(result, self.execution_context.context, production=self.production)
        yield


class ProductionOperationChecks(OperationChecks):
    """The same, saying nothing about the schema in validation and coercion errors, and no
    introspection."""

    production = True
