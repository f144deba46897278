"""GraphQL types of the directory: agents as records name them, teams, queues, contacts.
Nested objects come through the request's loaders."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.accounts.models import Account
from app.api.common import gid
from app.directory import models


@strawberry.type(description="An agent as other records name them.")
class AgentRef:
    id: strawberry.ID = strawberry.field(description="The account's id.")
    account: str = strawberry.field(description="Login name.")
    display_name: str = strawberry.field(description="Name shown to colleagues.")
    email: str | None = strawberry.field(description="E-mail address, if known.")

    @classmethod
    def from_model(cls, row: Account) -> AgentRef:
        return cls(
            id=gid(row.id), account=row.account, display_name=row.display_name, email=row.email
        )


async def load_agent(info: Info, account_id: int | None) -> AgentRef | None:
    if account_id is None:
        return None
    row = await info.context.accounts_by_id.load(account_id)
    return AgentRef.from_model(row) if row else None


@strawberry.type(description="A team (skill group) of agents.")
class Team:
    id: strawberry.ID = strawberry.field(description="The team's id.")
    name: str = strawberry.field(description="Unique name.")
    _row: strawberry.Private[models.Team]

    @classmethod
    def from_model(cls, row: models.Team) -> Team:
        return cls(id=gid(row.id), name=row.name, _row=row)

    @strawberry.field(description="The team's agents.")
    async def members(self, info: Info) -> list[AgentRef]:
        rows = await info.context.members_by_team.load(self._row.id)
        return [AgentRef.from_model(r) for r in rows]


async def load_team(info: Info, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    row = await info.context.teams_by_id.load(team_id)
    return Team.from_model(row) if row else None


@strawberry.type(description="A call queue (IVR menu choice).")
class Queue:
    id: strawberry.ID = strawberry.field(description="The queue's id.")
    name: str = strawberry.field(description="Unique name.")
    _row: strawberry.Private[models.Queue]

    @classmethod
    def from_model(cls, row: models.Queue) -> Queue:
        return cls(id=gid(row.id), name=row.name, _row=row)

    @strawberry.field(description="The team serving the queue, if any.")
    async def team(self, info: Info) -> Team | None:
        return await load_team(info, self._row.team_id)


async def load_queue(info: Info, queue_id: int | None) -> Queue | None:
    if queue_id is None:
        return None
    row = await info.context.queues_by_id.load(queue_id)
    return Queue.from_model(row) if row else None


@strawberry.type(description="A customer (R-CC-1).")
class Contact:
    id: strawberry.ID = strawberry.field(description="The contact's id.")
    name: str = strawberry.field(description="The customer's name.")
    email: str | None = strawberry.field(description="E-mail address (lower case).")
    external_id: str | None = strawberry.field(description="The customer system's id (docking id).")
    created_at: datetime = strawberry.field(description="When the contact was created (UTC).")

    @classmethod
    def from_model(cls, row: models.Contact) -> Contact:
        return cls(
            id=gid(row.id),
            name=row.name,
            email=row.email,
            external_id=row.external_id,
            created_at=row.created_at,
        )

    @strawberry.field(description="Phone numbers in E.164 (e.g. +8613800138000).")
    async def phones(self, info: Info) -> list[str]:
        return await info.context.phones_by_contact.load(int(self.id))


async def load_contact(info: Info, contact_id: int | None) -> Contact | None:
    if contact_id is None:
        return None
    row = await info.context.contacts_by_id.load(contact_id)
    return Contact.from_model(row) if row else None
