"""Reads of teams, queues and contacts."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.api.args import After, First, Id
from app.api.directory import types as t
from app.api.ids import parse_id
from app.api.pagination import Connection, to_connection
from app.api.permissions import signed_in
from app.directory import contacts, models
from app.pagination import paginate


@strawberry.type
class Query:
    @strawberry.field(description="Teams (skill groups). Signed in.", extensions=[signed_in()])
    async def teams(self, first: First = 50, after: After = None) -> Connection[t.Team]:
        return to_connection(
            await paginate(models.Team.all(), first=first, after=after), t.Team.from_model
        )

    @strawberry.field(description="Call queues. Signed in.", extensions=[signed_in()])
    async def queues(self, first: First = 50, after: After = None) -> Connection[t.Queue]:
        return to_connection(
            await paginate(models.Queue.all(), first=first, after=after), t.Queue.from_model
        )

    @strawberry.field(
        description="Contacts, optionally matching `search` by name (contains), "
        "e-mail, external id or phone number in any formatting. "
        "Signed in.",
        extensions=[signed_in()],
    )
    async def contacts(
        self,
        info: Info,
        search: Annotated[
            str | None,
            strawberry.argument(description="Name part, e-mail, external id or phone number."),
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[t.Contact]:
        query = contacts.search_contacts(
            search, country_code=info.context.settings.phone_country_code
        )
        return to_connection(await paginate(query, first=first, after=after), t.Contact.from_model)

    @strawberry.field(description="One contact, or null. Signed in.", extensions=[signed_in()])
    async def contact(self, id: Id) -> t.Contact | None:
        row = await models.Contact.get_or_none(id=parse_id(id))
        return t.Contact.from_model(row) if row else None
