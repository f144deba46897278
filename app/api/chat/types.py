"""GraphQL types of chat sessions, their transfers and service summaries. Sessions and transfers
are declarations: graphql-core walks the views of app/api/chat/views.py."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

import strawberry
from strawberry.types import Info

from app.api.chat.views import SessionView
from app.api.common import Channel, CustomField, custom_fields
from app.api.directory.types import AgentRef, Contact, load_agent
from app.api.routing.types import RoutingDecision
from app.chat import models

if TYPE_CHECKING:
    from app.api.context import Context

ResolutionStatus = models.ResolutionStatus
strawberry.enum(ResolutionStatus, description="Whether the customer's question was resolved.")


@strawberry.type(description="A chat session handed from one agent to another.")
class SessionTransfer:
    transferred_at: datetime = strawberry.field(description="When (UTC).")
    reason: str | None = strawberry.field(description="Why, if given.")
    from_agent: AgentRef | None = strawberry.field(description="The agent who handed it over.")
    to_agent: AgentRef | None = strawberry.field(description="The agent who took it.")


@strawberry.type(description="A chat session (R-CC-6).")
class ChatSession:
    id: strawberry.ID = strawberry.field(description="The chat system's session id.")
    channel: Channel = strawberry.field(description="Where the customer wrote from.")
    started_at: datetime = strawberry.field(description="Start (UTC).")
    ended_at: datetime | None = strawberry.field(description="End (UTC); null while going on.")
    transfer_count: int = strawberry.field(description="How many times it was transferred.")
    agent: AgentRef | None = strawberry.field(description="The agent serving it now (or last).")
    contact: Contact | None = strawberry.field(description="The customer, if known.")
    transfers: list[SessionTransfer] = strawberry.field(
        description="Transfer history, oldest first."
    )
    routing_decisions: list[RoutingDecision] = strawberry.field(
        description="Where routing sent it (R-CC-8), oldest first: the level used and why "
        "earlier levels were skipped."
    )

    @staticmethod
    def from_model(row: models.ChatSession, ctx: Context) -> ChatSession:
        """What graphql-core walks for this session (app/api/chat/views.py)."""
        return cast(ChatSession, SessionView.from_model(row, ctx))


@strawberry.type(description="A session's service summary (R-CC-7).")
class ServiceSummary:
    session_id: strawberry.ID = strawberry.field(description="The session.")
    summarized: bool = strawberry.field(description="False when no summary was written yet.")
    business_unit: str | None = strawberry.field(description="Business unit.")
    question_type: str | None = strawberry.field(description="Question type.")
    resolution_status: ResolutionStatus | None = strawberry.field(description="Resolved or not.")
    remark: str = strawberry.field(description="The agent's remark.")
    marked_valid: bool = strawberry.field(description="Whether the agent marked it valid.")
    custom_fields: list[CustomField] = strawberry.field(description="Custom summary fields.")
    updated_at: datetime | None = strawberry.field(description="Last change (UTC).")
    _agent_id: strawberry.Private[int | None]

    @strawberry.field(description="The agent who summarized.")
    async def agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._agent_id)

    @classmethod
    def of(cls, session: models.ChatSession, row: models.ServiceSummary | None) -> ServiceSummary:
        if row is None:
            return cls(
                session_id=strawberry.ID(session.session_id),
                summarized=False,
                business_unit=None,
                question_type=None,
                resolution_status=None,
                remark="",
                marked_valid=False,
                custom_fields=[],
                updated_at=None,
                _agent_id=None,
            )
        return cls(
            session_id=strawberry.ID(session.session_id),
            summarized=True,
            business_unit=row.business_unit,
            question_type=row.question_type,
            resolution_status=row.resolution_status,
            remark=row.remark,
            marked_valid=row.marked_valid,
            custom_fields=custom_fields(row.custom_fields),
            updated_at=row.updated_at,
            _agent_id=row.agent_id,
        )
