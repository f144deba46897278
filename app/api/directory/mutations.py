"""Writes to teams, queues and contacts."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.args import Id
from app.api.common import ImportResult
from app.api.directory import types as t
from app.api.ids import parse_id, parse_optional_id
from app.api.permissions import requires, signed_in
from app.directory import contacts, teams


@strawberry.input(description="A contact's fields.")
class ContactInput:
    name: str = strawberry.field(description="1-128 characters.")
    phones: list[str] = strawberry.field(
        default_factory=list, description=("Up to 10 numbers in any formatting; stored as E.164.")
    )
    email: str | None = strawberry.field(default=None, description="E-mail address.")
    external_id: str | None = strawberry.field(
        default=None,
        description=("The customer system's id (docking id); unique. Required by importContacts."),
    )

    def to_domain(self) -> contacts.ContactInput:
        return contacts.ContactInput(
            name=self.name, phones=list(self.phones), email=self.email, external_id=self.external_id
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create a team. Requires `accounts.manage`.",
        extensions=[requires(Permission.ACCOUNTS_MANAGE)],
    )
    async def create_team(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="Unique, 1-64 characters.")],
    ) -> t.Team:
        return t.Team.from_model(await teams.create_team(actor=info.context.actor, name=name))

    @strawberry.mutation(
        description="Make the team's members exactly these agents (each leaves "
        "any other team). Requires `accounts.manage`.",
        extensions=[requires(Permission.ACCOUNTS_MANAGE)],
    )
    async def set_team_members(
        self,
        info: Info,
        team_id: Annotated[strawberry.ID, strawberry.argument(description="The team.")],
        account_ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Agent account ids.")
        ],
    ) -> t.Team:
        team = await teams.set_team_members(
            actor=info.context.actor,
            team_id=parse_id(team_id, field="teamId"),
            account_ids=[parse_id(a, field="accountIds") for a in account_ids],
        )
        return t.Team.from_model(team)

    @strawberry.mutation(
        description="Create a queue. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def create_queue(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="Unique, 1-64 characters.")],
        team_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Serving team.")
        ] = None,
    ) -> t.Queue:
        return t.Queue.from_model(
            await teams.create_queue(
                actor=info.context.actor,
                name=name,
                team_id=parse_optional_id(team_id, field="teamId"),
            )
        )

    @strawberry.mutation(description="Create a contact. Signed in.", extensions=[signed_in()])
    async def create_contact(
        self,
        info: Info,
        input: Annotated[ContactInput, strawberry.argument(description="The contact.")],
    ) -> t.Contact:
        row = await contacts.create_contact(
            actor=info.context.actor,
            data=input.to_domain(),
            country_code=info.context.settings.phone_country_code,
        )
        return t.Contact.from_model(row)

    @strawberry.mutation(
        description="Replace a contact's fields. Requires `contacts.manage`.",
        extensions=[requires(Permission.CONTACTS_MANAGE)],
    )
    async def update_contact(
        self,
        info: Info,
        id: Id,
        input: Annotated[ContactInput, strawberry.argument(description="The new fields.")],
    ) -> t.Contact:
        row = await contacts.update_contact(
            actor=info.context.actor,
            contact_id=parse_id(id),
            data=input.to_domain(),
            country_code=info.context.settings.phone_country_code,
        )
        return t.Contact.from_model(row)

    @strawberry.mutation(
        description="Create or update contacts by external id, all or nothing "
        "(1-1000). Requires `integration.write`.",
        extensions=[requires(Permission.INTEGRATION_WRITE)],
    )
    async def import_contacts(
        self,
        info: Info,
        contacts_: Annotated[
            list[ContactInput], strawberry.argument(name="contacts", description="The contacts.")
        ],
    ) -> ImportResult:
        return ImportResult.of(
            await contacts.import_contacts(
                actor=info.context.actor,
                items=[c.to_domain() for c in contacts_],
                country_code=info.context.settings.phone_country_code,
            )
        )
