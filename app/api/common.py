"""GraphQL types several domains share: the channel enum, custom fields, import results."""

from __future__ import annotations

import strawberry

from app.channels import Channel as ChannelEnum

Channel = ChannelEnum
strawberry.enum(Channel, description="Where a ticket, session or rating came from.")


def gid(value: int) -> strawberry.ID:
    """A database id as a GraphQL ID."""
    return strawberry.ID(str(value))


@strawberry.type(description="A custom field's name and value.")
class CustomField:
    name: str = strawberry.field(description="The field's name, 1-64 characters.")
    value: str = strawberry.field(description="The value, up to 2000 characters.")


@strawberry.input(description="A custom field's name and value.")
class CustomFieldInput:
    name: str = strawberry.field(description="The field's name, 1-64 characters, unique.")
    value: str = strawberry.field(description="The value, up to 2000 characters.")


def custom_fields(items: list[dict]) -> list[CustomField]:
    return [CustomField(name=i["name"], value=i["value"]) for i in items or []]


def custom_pairs(items: list[CustomFieldInput] | None) -> list[tuple[str, str]] | None:
    return None if items is None else [(i.name, i.value) for i in items]


@strawberry.type(description="What an import did.")
class ImportResult:
    created: int = strawberry.field(description="New records.")
    updated: int = strawberry.field(description="Records that existed and were replaced.")

    @classmethod
    def of(cls, pair: tuple[int, int]) -> ImportResult:
        return cls(created=pair[0], updated=pair[1])
