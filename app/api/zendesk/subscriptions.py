"""The agent's Zendesk screen pop over graphql-transport-ws: `zendeskSyncEvents`."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.api.events.subscriptions import followed
from app.api.permissions import signed_in
from app.events.models import DomainEvent


@strawberry.enum(description="What the sync did for the call or chat.")
class ZendeskSyncEventKind(Enum):
    TICKET_CREATED = "TICKET_CREATED"
    TICKET_LINKED = "TICKET_LINKED"


@strawberry.type(description="A Zendesk ticket was created or linked for a call or chat.")
class ZendeskSyncEvent:
    kind: ZendeskSyncEventKind = strawberry.field(description="Created, or an existing linked.")
    event_id: strawberry.ID = strawberry.field(description="The domain event's id.")
    occurred_at: datetime = strawberry.field(description="When it was logged (UTC).")
    ticket_id: strawberry.ID = strawberry.field(description="deskql's ticket.")
    zendesk_ticket_id: strawberry.ID = strawberry.field(description="Zendesk's ticket id.")
    url: str = strawberry.field(description="The ticket in Zendesk's agent interface.")
    call_id: str | None = strawberry.field(description="The main call id, for a call.")
    session_id: str | None = strawberry.field(description="The session id, for a chat.")

    @classmethod
    def of(cls, event: DomainEvent) -> ZendeskSyncEvent:
        p = event.payload
        return cls(
            kind=ZendeskSyncEventKind.TICKET_CREATED
            if p["created"]
            else ZendeskSyncEventKind.TICKET_LINKED,
            event_id=strawberry.ID(str(event.id)),
            occurred_at=event.occurred_at,
            ticket_id=strawberry.ID(str(p["ticketId"])),
            zendesk_ticket_id=strawberry.ID(str(p["zendeskTicketId"])),
            url=str(p["url"]),
            call_id=p.get("callId"),
            session_id=p.get("sessionId"),
        )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The agent's screen pop: a Zendesk ticket was created or linked for the call "
        "or chat they are on (whichever server process the sync runs in). `agentAccount` "
        "follows another agent: requires `calls.view_all` and `tickets.manage`.",
        extensions=[signed_in()],
    )
    async def zendesk_sync_events(
        self,
        info: Info,
        agent_account: Annotated[
            str | None,
            strawberry.argument(description="A login name; omit to follow yourself."),
        ] = None,
    ) -> AsyncGenerator[ZendeskSyncEvent, None]:
        agent_id, with_tickets = await followed(info.context.actor, agent_account)

        def accepts(event: DomainEvent) -> bool:
            return (
                with_tickets
                and event.topic == "zendesk.ticket_linked"
                and event.payload.get("agentId") == agent_id
            )

        async with info.context.hub.subscribe(accepts) as events:
            async for event in events:
                yield ZendeskSyncEvent.of(event)
