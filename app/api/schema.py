"""The GraphQL schema: every domain's Query and Mutation merged, with the shared extensions."""

from __future__ import annotations

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from app.api.accounts.mutations import Mutation as AccountMutation
from app.api.accounts.queries import Query as AccountQuery
from app.api.contact.mutations import Mutation as ContactMutation
from app.api.contact.queries import EventLogQuery
from app.api.contact.queries import Query as ContactQuery
from app.api.contact.reports import Query as ReportQuery
from app.api.errors import ErrorCodes
from app.api.knowledge.mutations import Mutation as KnowledgeMutation
from app.api.knowledge.queries import Query as KnowledgeQuery
from app.api.limits import ProductionQueryLimits, QueryLimits

Query = merge_types("Query", (AccountQuery, KnowledgeQuery, ContactQuery, ReportQuery, EventLogQuery))
Mutation = merge_types("Mutation", (AccountMutation, KnowledgeMutation, ContactMutation))
Query.__strawberry_definition__.description = (
    "Reads. Public fields need no token; the others say which permission they require."
)
Mutation.__strawberry_definition__.description = (
    "Writes. A failed mutation changes nothing; errors carry `extensions.code`."
)


def _parser_cache() -> ParserCache:
    return ParserCache(maxsize=512)


def _validation_cache() -> ValidationCache:
    return ValidationCache(maxsize=512)


class Schema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Expected errors are not server faults; ErrorCodes logs the unexpected ones."""


def build_schema(*, production: bool = False) -> strawberry.Schema:
    """Production: no introspection and no "did you mean" field suggestions."""
    return Schema(
        query=Query,
        mutation=Mutation,
        extensions=[
            ProductionQueryLimits if production else QueryLimits,
            _parser_cache,
            _validation_cache,
            ErrorCodes,
        ],
        config=StrawberryConfig(disable_field_suggestions=production),
    )


def export_sdl() -> str:
    return build_schema().as_str() + "\n"
