"""Live events over graphql-transport-ws (the token in connection_init): the agent workspace's
screen pop (`agentEvents`) and the supervisors' live call feed (`callEvents`).

Both read this process's event hub (app/events/hub.py), which follows the event log whatever
process wrote to it. What a subscriber receives is decided here, per event, by the same rules as
the lists (R-AUTH-3): an agent hears of their own calls, sessions and tickets; following another
agent needs `calls.view_all`, and that agent's ticket events also need `tickets.manage`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.accounts.principal import Principal, require
from app.api.chat.types import ChatSession
from app.api.context import Context
from app.api.permissions import requires, signed_in
from app.api.telephony.inputs import CallFilter, optional_days, to_call_filter
from app.api.telephony.mutations import CallEventType
from app.api.telephony.types import CallRecord
from app.api.tickets.types import Ticket
from app.chat.visibility import visible_sessions
from app.directory import agents
from app.events.hub import Hub
from app.events.models import DomainEvent
from app.telephony.snapshots import restore
from app.tickets.visibility import sees_all as sees_all_tickets
from app.tickets.visibility import visible_tickets


@strawberry.enum(description="What happened to the agent followed.")
class AgentEventKind(Enum):
    CALL_RINGING = "CALL_RINGING"
    CALL_ANSWERED = "CALL_ANSWERED"
    CALL_TRANSFERRED = "CALL_TRANSFERRED"
    CALL_ENDED = "CALL_ENDED"
    SESSION_ASSIGNED = "SESSION_ASSIGNED"
    SESSION_TRANSFERRED = "SESSION_TRANSFERRED"
    TICKET_ASSIGNED = "TICKET_ASSIGNED"


_CALL_KINDS = {
    "call.ringing": AgentEventKind.CALL_RINGING,
    "call.answered": AgentEventKind.CALL_ANSWERED,
    "call.transfer": AgentEventKind.CALL_TRANSFERRED,
    "call.ended": AgentEventKind.CALL_ENDED,
    "call.abandoned": AgentEventKind.CALL_ENDED,
}
_SESSION_KINDS = {
    "session.assigned": AgentEventKind.SESSION_ASSIGNED,
    "session.transferred": AgentEventKind.SESSION_TRANSFERRED,
}


def agent_event_kind(event: DomainEvent, agent_id: int) -> AgentEventKind | None:
    """What ``event`` is to the agent ``agent_id`` (None: nothing of theirs)."""
    payload = event.payload
    if event.topic in _CALL_KINDS:
        return _CALL_KINDS[event.topic] if payload.get("agentId") == agent_id else None
    if event.topic in _SESSION_KINDS:
        return _SESSION_KINDS[event.topic] if payload.get("agentId") == agent_id else None
    if payload.get("assigneeId") != agent_id:
        return None
    if event.topic == "ticket.created":
        return AgentEventKind.TICKET_ASSIGNED
    if event.topic == "ticket.updated" and "assignee_id" in payload.get("fields", ()):
        return AgentEventKind.TICKET_ASSIGNED
    return None


@strawberry.type(description="Something that happened to the agent followed.")
class AgentEvent:
    kind: AgentEventKind = strawberry.field(description="What happened.")
    event_id: strawberry.ID = strawberry.field(description="The domain event's id.")
    occurred_at: datetime = strawberry.field(description="When it was logged (UTC).")
    call: CallRecord | None = strawberry.field(
        description="CALL_*: the call record as it stood at this event (a leg on a transfer)."
    )
    session_id: strawberry.ID | None = strawberry.field(description="SESSION_*: the session.")
    ticket_id: strawberry.ID | None = strawberry.field(description="TICKET_*: the ticket.")

    @strawberry.field(description="SESSION_*: the session as it is now (null once hidden).")
    async def session(self, info: Info) -> ChatSession | None:
        if self.session_id is None:
            return None
        row = (
            await visible_sessions(info.context.actor)
            .filter(session_id=str(self.session_id))
            .first()
        )
        return ChatSession.from_model(row, info.context) if row else None

    @strawberry.field(description="TICKET_*: the ticket as it is now (null once hidden).")
    async def ticket(self, info: Info) -> Ticket | None:
        if self.ticket_id is None:
            return None
        row = await visible_tickets(info.context.actor).filter(id=int(self.ticket_id)).first()
        return Ticket.from_model(row, info.context) if row else None


@strawberry.type(description="A live call event, with the record as it stood at that event.")
class CallEvent:
    type: CallEventType = strawberry.field(description="What happened.")
    event_id: strawberry.ID = strawberry.field(description="The domain event's id.")
    occurred_at: datetime = strawberry.field(description="When it was logged (UTC).")
    call: CallRecord = strawberry.field(description="The record the event is about.")


def _agent_event(event: DomainEvent, kind: AgentEventKind, ctx: Context) -> AgentEvent:
    payload = event.payload
    record = payload.get("record")
    return AgentEvent(
        kind=kind,
        event_id=strawberry.ID(str(event.id)),
        occurred_at=event.occurred_at,
        call=CallRecord.from_model(restore(record), ctx) if record is not None else None,
        session_id=strawberry.ID(payload["sessionId"]) if "sessionId" in payload else None,
        ticket_id=strawberry.ID(str(payload["ticketId"])) if "ticketId" in payload else None,
    )


async def followed(principal: Principal, agent_account: str | None) -> tuple[int, bool]:
    """The account followed, and whether its ticket events may be shown."""
    if agent_account is None or (
        principal.account is not None and agent_account == principal.account.account
    ):
        return principal.account_id, True
    require(principal, Permission.CALLS_VIEW_ALL)
    agent = await agents.resolve_one(agent_account)
    assert agent is not None
    if agent.id == principal.id:
        return agent.id, True
    return agent.id, sees_all_tickets(principal)


def _hub(info: Info) -> Hub:
    return info.context.hub


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The signed-in agent's calls ringing, answered, transferred to them and "
        "ended, chat sessions assigned or transferred to them and tickets assigned to them, as "
        "they happen. `agentAccount` follows another agent: requires `calls.view_all` (their "
        "ticket events also need `tickets.manage`).",
        extensions=[signed_in()],
    )
    async def agent_events(
        self,
        info: Info,
        agent_account: Annotated[
            str | None,
            strawberry.argument(description="A login name; omit to follow yourself."),
        ] = None,
    ) -> AsyncGenerator[AgentEvent, None]:
        agent_id, with_tickets = await followed(info.context.actor, agent_account)

        def accepts(event: DomainEvent) -> bool:
            kind = agent_event_kind(event, agent_id)
            return kind is not None and (with_tickets or not event.topic.startswith("ticket."))

        async with _hub(info).subscribe(accepts) as events:
            async for event in events:
                kind = agent_event_kind(event, agent_id)
                assert kind is not None
                yield _agent_event(event, kind, info.context)

    @strawberry.subscription(
        description="Every call event as it happens, with the record as it stood, filtered "
        "like `calls(filter)` (`from`/`to`: the record's start day). Requires `calls.view_all`.",
        extensions=[requires(Permission.CALLS_VIEW_ALL)],
    )
    async def call_events(
        self,
        info: Info,
        filter: Annotated[
            CallFilter | None, strawberry.argument(description="Optional conditions.")
        ] = None,
    ) -> AsyncGenerator[CallEvent, None]:
        flt = await to_call_filter(filter)
        rng = optional_days(info, filter.from_, filter.to) if filter else None
        check: Callable[[dict], bool] = flt.matches
        if rng is not None:
            start, end = rng.start, rng.end

            def check(record: dict) -> bool:
                started = datetime.fromisoformat(record["startedAt"])
                return start <= started < end and flt.matches(record)

        def accepts(event: DomainEvent) -> bool:
            record = event.payload.get("record")
            return event.topic.startswith("call.") and record is not None and check(record)

        async with _hub(info).subscribe(accepts) as events:
            async for event in events:
                yield CallEvent(
                    type=CallEventType(event.topic.removeprefix("call.").upper()),
                    event_id=strawberry.ID(str(event.id)),
                    occurred_at=event.occurred_at,
                    call=CallRecord.from_model(restore(event.payload["record"]), info.context),
                )
