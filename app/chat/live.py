"""Live chat events that keep the sessions current while chats happen (R-CC-6).

Each event kind has its handler in :data:`HANDLERS`; they run inside the transaction
:func:`app.events.ingest.apply_once` opens, which remembers the event id, so a replayed event
changes nothing. A rating (RATED) is a survey: app/surveys/live.py adds its handler to this
table, so this package does not depend on surveys (surveys depends on chat).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tortoise.backends.base.client import BaseDBAsyncClient

from app.accounts.principal import Principal
from app.channels import Channel
from app.chat import models
from app.directory.agents import Agent, name_of, resolve_one
from app.directory.models import Contact
from app.errors import Conflict, InvalidInput, NotFound
from app.events import ingest, log


class SessionEventType(StrEnum):
    STARTED = "STARTED"
    ASSIGNED = "ASSIGNED"
    TRANSFERRED = "TRANSFERRED"
    ENDED = "ENDED"
    RATED = "RATED"


@dataclass
class SessionEvent:
    event_id: str
    type: SessionEventType
    session_id: str
    occurred_at: datetime
    channel: Channel | None = None
    agent_account: str | None = None
    contact_id: int | None = None
    level: str | None = None
    comment: str | None = None
    reason: str | None = None


@dataclass
class Step:
    """What a handler gets: the event, its time in UTC, the transaction, and what it adds to
    the domain event's payload."""

    event: SessionEvent
    at: datetime
    conn: BaseDBAsyncClient
    extra: dict
    _agent: Agent | None = None

    async def agent(self) -> Agent | None:
        """The agent the event names (resolved once)."""
        if self._agent is None:
            self._agent = await resolve_one(self.event.agent_account, conn=self.conn)
        return self._agent

    async def agent_name(self, account_id: int | None) -> str | None:
        """The login name of the session's agent, for the event payload."""
        if account_id is None:
            return None
        if self._agent is not None and self._agent.id == account_id:
            return self.event.agent_account
        return await name_of(account_id, conn=self.conn)


Handler = Callable[[Step], Awaitable[models.ChatSession]]


async def record_session_event(
    *,
    actor: Principal,
    event: SessionEvent,
    handlers: Mapping[SessionEventType, Handler] | None = None,
) -> tuple[bool, models.ChatSession]:
    """Apply one session event. Returns (duplicate, the session as it stands now)."""
    at = ingest.check_event(event.event_id, event.occurred_at)
    handler = (handlers or HANDLERS).get(event.type)
    if handler is None:
        raise InvalidInput(f"{event.type} events are not handled here.", field="type")

    async def apply(conn: BaseDBAsyncClient) -> models.ChatSession:
        step = Step(event, at, conn, {})
        session = await handler(step)
        await log.append(
            conn,
            f"session.{event.type.lower()}",
            session.session_id,
            {
                "eventId": event.event_id,
                "type": str(event.type),
                "sessionId": session.session_id,
                "channel": str(session.channel),
                "agentId": session.agent_id,
                "agentAccount": await step.agent_name(session.agent_id),
                "occurredAt": at.isoformat(),
                **step.extra,
            },
            actor=actor,
            source="live",
        )
        return session

    async def current(conn: BaseDBAsyncClient | None) -> models.ChatSession:
        query = models.ChatSession.filter(session_id=event.session_id)
        session = await (query.using_db(conn) if conn else query).first()
        if session is None:
            raise NotFound("No such session.")
        return session

    return await ingest.apply_once(event.event_id, "session", apply=apply, current=current)


async def _started(step: Step) -> models.ChatSession:
    event, conn = step.event, step.conn
    if not event.session_id or len(event.session_id) > 64:
        raise InvalidInput("sessionId is 1-64 characters.", field="sessionId")
    if event.channel is None:
        raise InvalidInput("A started session needs its channel.", field="channel")
    if await models.ChatSession.filter(session_id=event.session_id).using_db(conn).exists():
        raise Conflict("This session already exists.", code="SESSION_EXISTS")
    if (
        event.contact_id is not None
        and not await Contact.filter(id=event.contact_id).using_db(conn).exists()
    ):
        raise InvalidInput("No such contact.", field="contactId")
    agent = await step.agent()
    return await models.ChatSession.create(
        session_id=event.session_id,
        channel=event.channel,
        contact_id=event.contact_id,
        agent_id=agent.id if agent else None,
        started_at=step.at,
        using_db=conn,
    )


Change = Callable[[Step, models.ChatSession], Awaitable[None]]


def updating(change: Change, *, after_end: bool = False) -> Handler:
    """A handler that locks the session the event names, checks it is still going on (unless
    ``after_end``), applies ``change`` and saves it."""

    async def handler(step: Step) -> models.ChatSession:
        session = (
            await models.ChatSession.filter(session_id=step.event.session_id)
            .using_db(step.conn)
            .select_for_update()
            .first()
        )
        if session is None:
            raise NotFound("No such session.")
        if session.ended_at is not None and not after_end:
            raise Conflict("The session has ended.", code="SESSION_ENDED")
        await change(step, session)
        await session.save(using_db=step.conn)
        return session

    return handler


async def _assigned(step: Step, session: models.ChatSession) -> None:
    agent = await step.agent()
    if agent is None:
        raise InvalidInput("ASSIGNED needs agentAccount.", field="agentAccount")
    session.agent_id = agent.id


async def _transferred(step: Step, session: models.ChatSession) -> None:
    agent = await step.agent()
    if agent is None:
        raise InvalidInput("TRANSFERRED needs the new agent's agentAccount.", field="agentAccount")
    await models.SessionTransfer.create(
        session_id=session.id,
        from_agent_id=session.agent_id,
        to_agent_id=agent.id,
        transferred_at=step.at,
        reason=(step.event.reason or "")[:200] or None,
        using_db=step.conn,
    )
    step.extra["fromAgentId"] = session.agent_id
    session.agent_id = agent.id
    session.transfer_count += 1


async def _ended(step: Step, session: models.ChatSession) -> None:
    session.ended_at = step.at


HANDLERS: dict[SessionEventType, Handler] = {
    SessionEventType.STARTED: _started,
    SessionEventType.ASSIGNED: updating(_assigned),
    SessionEventType.TRANSFERRED: updating(_transferred),
    SessionEventType.ENDED: updating(_ended),
}
