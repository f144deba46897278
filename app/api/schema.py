"""The GraphQL schema: every domain's Query and Mutation merged, with the shared extensions.

The order of the merged types is the order of the fields in the schema (and in
graphql/schema.graphql): each domain's edits, then the integrations' imports, then live events.
"""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, get_object_definition

from app.api.accounts.mutations import Mutation as AccountMutation
from app.api.accounts.queries import Query as AccountQuery
from app.api.chat import mutations as chat_mutations
from app.api.chat.queries import Query as ChatQuery
from app.api.directory.mutations import Mutation as DirectoryMutation
from app.api.directory.queries import Query as DirectoryQuery
from app.api.events.queries import Query as EventLogQuery
from app.api.events.subscriptions import Subscription as EventSubscription
from app.api.execution import FastExecutionContext
from app.api.extension import OperationChecks, ProductionOperationChecks
from app.api.knowledge.mutations import Mutation as KnowledgeMutation
from app.api.knowledge.queries import Query as KnowledgeQuery
from app.api.outbound.mutations import Mutation as OutboundMutation
from app.api.outbound.queries import Query as OutboundQuery
from app.api.qc.mutations import ImportMutation as QcImportMutation
from app.api.qc.queries import Query as QcQuery
from app.api.reports.queries import Query as ReportQuery
from app.api.routing.mutations import Mutation as RoutingMutation
from app.api.routing.queries import Query as RoutingQuery
from app.api.surveys import mutations as survey_mutations
from app.api.surveys.queries import Query as SurveyQuery
from app.api.telephony import mutations as telephony_mutations
from app.api.telephony.queries import Query as TelephonyQuery
from app.api.tickets.mutations import Mutation as TicketMutation
from app.api.tickets.queries import Query as TicketQuery
from app.api.webhooks.mutations import Mutation as WebhookMutation
from app.api.webhooks.queries import Query as WebhookQuery
from app.api.workforce.mutations import ImportMutation as WorkforceImportMutation
from app.api.zendesk.mutations import Mutation as ZendeskMutation
from app.api.zendesk.queries import Query as ZendeskQuery
from app.api.zendesk.subscriptions import Subscription as ZendeskSubscription
from graphql import GraphQLError

Query = merge_types(
    "Query",
    (
        AccountQuery,
        KnowledgeQuery,
        DirectoryQuery,
        TicketQuery,
        TelephonyQuery,
        ChatQuery,
        QcQuery,
        SurveyQuery,
        ReportQuery,
        EventLogQuery,
        WebhookQuery,
        ZendeskQuery,
        OutboundQuery,
        RoutingQuery,
    ),
)
Subscription = merge_types("Subscription", (EventSubscription, ZendeskSubscription))
Mutation = merge_types(
    "Mutation",
    (
        AccountMutation,
        KnowledgeMutation,
        DirectoryMutation,
        TicketMutation,
        chat_mutations.Mutation,
        survey_mutations.Mutation,
        telephony_mutations.ImportMutation,
        chat_mutations.ImportMutation,
        survey_mutations.ImportMutation,
        QcImportMutation,
        WorkforceImportMutation,
        telephony_mutations.LiveMutation,
        chat_mutations.LiveMutation,
        WebhookMutation,
        ZendeskMutation,
        OutboundMutation,
        RoutingMutation,
    ),
)
get_object_definition(
    Query, strict=True
).description = "Reads. Public fields need no token; the others say which permission they require."
get_object_definition(
    Mutation, strict=True
).description = "Writes. A failed mutation changes nothing; errors carry `extensions.code`."
get_object_definition(Subscription, strict=True).description = (
    "Live events over WebSocket (graphql-transport-ws; the token in connection_init's "
    "payload as `Authorization`)."
)


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Expected errors are not server faults; ErrorCodes logs the unexpected ones."""


def build_schema(*, production: bool = False) -> strawberry.Schema:
    """Production: no introspection and no "did you mean" field suggestions."""
    return Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[ProductionOperationChecks if production else OperationChecks],
        config=StrawberryConfig(disable_field_suggestions=production),
        execution_context_class=FastExecutionContext,
    )


def export_sdl() -> str:
    return build_schema().as_str() + "\n"
