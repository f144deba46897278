"""Writes to chat sessions: service summaries (agents), imports and live events
(integrations, `integration.write`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.chat import types as t
from app.api.common import Channel, CustomFieldInput, ImportResult, custom_pairs
from app.api.ids import parse_optional_id
from app.api.permissions import requires, signed_in
from app.api.surveys.types import SatisfactionLevel
from app.chat import live, sessions, summaries
from app.surveys.live import SESSION_HANDLERS


@strawberry.input(description="A service summary (R-CC-7).")
class ServiceSummaryInput:
    business_unit: str | None = strawberry.field(default=None, description="Business unit.")
    question_type: str | None = strawberry.field(default=None, description="Question type.")
    resolution_status: t.ResolutionStatus | None = strawberry.field(
        default=None, description="Resolved or not."
    )
    remark: str = strawberry.field(default="", description="Up to 2000 characters.")
    marked_valid: bool = strawberry.field(default=True, description="Mark the session valid.")
    custom_fields: list[CustomFieldInput] | None = strawberry.field(
        default=None, description="Custom summary fields."
    )


@strawberry.input(description="A chat session's hand-over.")
class SessionTransferInput:
    from_agent: str | None = strawberry.field(default=None, description="Login name.")
    to_agent: str | None = strawberry.field(default=None, description="Login name.")
    transferred_at: datetime = strawberry.field(description="When, with a time zone.")
    reason: str | None = strawberry.field(default=None, description="Why.")


@strawberry.input(description="A chat session to import (idempotent by sessionId).")
class ChatSessionInput:
    session_id: str = strawberry.field(description="The chat system's id.")
    channel: Channel = strawberry.field(description="Where the customer wrote from.")
    started_at: datetime = strawberry.field(description="Start, with a time zone.")
    ended_at: datetime | None = strawberry.field(default=None, description="End.")
    agent_account: str | None = strawberry.field(default=None, description="Serving agent.")
    contact_id: strawberry.ID | None = strawberry.field(default=None, description="A contact.")
    transfers: list[SessionTransferInput] | None = strawberry.field(
        default=None, description="Transfer history; replaces the stored one."
    )

    def to_domain(self) -> sessions.SessionInput:
        return sessions.SessionInput(
            session_id=self.session_id,
            channel=self.channel,
            started_at=self.started_at,
            ended_at=self.ended_at,
            agent_account=self.agent_account,
            contact_id=parse_optional_id(self.contact_id, field="contactId"),
            transfers=[
                sessions.SessionTransferInput(x.from_agent, x.to_agent, x.transferred_at, x.reason)
                for x in self.transfers or []
            ],
        )


SessionEventType = live.SessionEventType
strawberry.enum(SessionEventType, description="What happened to a chat.")


@strawberry.input(description="A live chat event. Replaying an eventId changes nothing.")
class SessionEventInput:
    event_id: str = strawberry.field(description="Unique per event (idempotency key).")
    type: SessionEventType = strawberry.field(description="What happened.")
    session_id: str = strawberry.field(description="The session.")
    occurred_at: datetime = strawberry.field(description="When, with a time zone.")
    channel: Channel | None = strawberry.field(default=None, description="STARTED: channel.")
    agent_account: str | None = strawberry.field(
        default=None, description=("STARTED/ASSIGNED: the agent, TRANSFERRED: the new agent.")
    )
    contact_id: strawberry.ID | None = strawberry.field(default=None, description="STARTED.")
    level: SatisfactionLevel | None = strawberry.field(default=None, description="RATED.")
    comment: str | None = strawberry.field(default=None, description="RATED: comment.")
    reason: str | None = strawberry.field(default=None, description="TRANSFERRED: why.")

    def to_domain(self) -> live.SessionEvent:
        return live.SessionEvent(
            event_id=self.event_id,
            type=self.type,
            session_id=self.session_id,
            occurred_at=self.occurred_at,
            channel=self.channel,
            agent_account=self.agent_account,
            contact_id=parse_optional_id(self.contact_id, field="contactId"),
            level=self.level,
            comment=self.comment,
            reason=self.reason,
        )


@strawberry.type(description="The outcome of a live chat event.")
class SessionEventResult:
    duplicate: bool = strawberry.field(description="True when the eventId was already applied.")
    session: t.ChatSession = strawberry.field(description="The session as it stands now.")


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Write or replace a session's service summary: its current agent may, or "
        "someone with `sessions.manage`; the summarizing agent becomes the writer.",
        extensions=[signed_in()],
    )
    async def submit_service_summary(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description="The session.")],
        input: Annotated[ServiceSummaryInput, strawberry.argument(description="The summary.")],
    ) -> t.ServiceSummary:
        session, row = await summaries.submit_summary(
            actor=info.context.actor,
            session_id=str(session_id),
            data=summaries.SummaryInput(
                business_unit=input.business_unit,
                question_type=input.question_type,
                resolution_status=input.resolution_status,
                remark=input.remark,
                marked_valid=input.marked_valid,
                custom_fields=custom_pairs(input.custom_fields),
            ),
        )
        return t.ServiceSummary.of(session, row)


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        description="Import chat sessions (idempotent by sessionId, all or "
        "nothing). Requires `integration.write`.",
        extensions=[requires(Permission.INTEGRATION_WRITE)],
    )
    async def import_chat_sessions(
        self,
        info: Info,
        sessions_: Annotated[
            list[ChatSessionInput],
            strawberry.argument(name="sessions", description="The sessions."),
        ],
    ) -> ImportResult:
        return ImportResult.of(
            await sessions.import_sessions(
                actor=info.context.actor, items=[s.to_domain() for s in sessions_]
            )
        )


@strawberry.type
class LiveMutation:
    @strawberry.mutation(
        description="Apply a live chat event. Requires `integration.write`.",
        extensions=[requires(Permission.INTEGRATION_WRITE)],
    )
    async def record_session_event(
        self,
        info: Info,
        input: Annotated[SessionEventInput, strawberry.argument(description="The event.")],
    ) -> SessionEventResult:
        duplicate, row = await live.record_session_event(
            actor=info.context.actor, event=input.to_domain(), handlers=SESSION_HANDLERS
        )
        return SessionEventResult(
            duplicate=duplicate, session=t.ChatSession.from_model(row, info.context)
        )
