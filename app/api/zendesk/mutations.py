"""Changing the Zendesk sync (`zendesk.manage`)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.ids import parse_id
from app.api.permissions import requires
from app.api.zendesk import types as t
from app.api.zendesk.queries import connection_of
from app.checks import UNCHANGED
from app.errors import InvalidInput
from app.parsing import MAX_BIG_ID
from app.zendesk import service


@strawberry.input(description="A custom data key and the Zendesk ticket field it fills.")
class ZendeskFieldMappingInput:
    key: str = strawberry.field(description="The custom data key, 1-64 characters.")
    field_id: strawberry.ID = strawberry.field(description="A Zendesk ticket field id.")


@strawberry.input(description="Changes to the sync's settings: omitted fields stay as they are.")
class ZendeskSettingsInput:
    enabled: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Send work or not."
    )
    batch_window_seconds: int | None = strawberry.field(
        default=strawberry.UNSET, description="1-60 seconds."
    )
    batch_comments: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Batch add-comment work."
    )
    batch_updates: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Batch assignment and ticket updates."
    )
    title_template: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="1-200 characters; {channel} {customer} {menu} {agent}.",
    )
    reuse_open_tickets: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Reuse the customer's open ticket."
    )
    abandoned_call_tickets: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Abandoned calls make tickets."
    )
    voicemail_tickets: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Voicemails make tickets."
    )
    field_mapping: list[ZendeskFieldMappingInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the whole mapping; field ids must exist."
    )
    outbound_phone_field_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A ticket field id, or null for none."
    )
    api_response_notes: t.ApiResponseNotes | None = strawberry.field(
        default=strawberry.UNSET, description="OFF, KEY_VALUE or JSON (R-ZD-7)."
    )


def _field_id(value: object, field: str) -> int:
    text = str(value)
    if not text.isdigit() or not 0 < int(text) <= MAX_BIG_ID:
        raise InvalidInput(f"{text!r} is not a Zendesk field id.", field=field)
    return int(text)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Change how deskql syncs to Zendesk. A bad value changes nothing. "
        "Requires `zendesk.manage`.",
        extensions=[requires(Permission.ZENDESK_MANAGE)],
    )
    async def update_zendesk_settings(
        self,
        info: Info,
        input: Annotated[ZendeskSettingsInput, strawberry.argument(description="The changes.")],
    ) -> t.ZendeskSettings:
        changes = service.SettingsChanges()
        for name in (
            "enabled", "batch_window_seconds", "batch_comments", "batch_updates",
            "title_template", "reuse_open_tickets", "abandoned_call_tickets", "voicemail_tickets",
            "api_response_notes",
        ):  # fmt: skip
            value = getattr(input, name)
            setattr(changes, name, UNCHANGED if value is strawberry.UNSET else value)
        if input.field_mapping is not strawberry.UNSET:
            mapping: dict[str, int] = {}
            for m in input.field_mapping or []:
                if m.key in mapping:
                    raise InvalidInput(f"{m.key!r} is mapped twice.", field="fieldMapping.key")
                mapping[m.key] = _field_id(m.field_id, "fieldMapping.fieldId")
            changes.field_mapping = mapping
        if input.outbound_phone_field_id is not strawberry.UNSET:
            changes.outbound_phone_field_id = (
                None
                if input.outbound_phone_field_id is None
                else _field_id(input.outbound_phone_field_id, "outboundPhoneFieldId")
            )
        settings = info.context.settings
        row = await service.update_settings(
            actor=info.context.actor, changes=changes, settings=settings, clock=info.context.clock
        )
        return t.ZendeskSettings.of(row, connection_of(settings))

    @strawberry.mutation(
        description="Create in Zendesk the custom ticket fields deskql fills (R-ZD-10: session "
        "type, caller number, durations, queue, session id, CSAT) and remember their ids. "
        "Creates only those missing. Requires `zendesk.manage`.",
        extensions=[requires(Permission.ZENDESK_MANAGE)],
    )
    async def create_zendesk_custom_fields(self, info: Info) -> t.ZendeskSettings:
        settings = info.context.settings
        row = await service.create_custom_fields(
            actor=info.context.actor, settings=settings, clock=info.context.clock
        )
        return t.ZendeskSettings.of(row, connection_of(settings))

    @strawberry.mutation(
        description="Queue a dead letter again (with the dead work of the same ticket after "
        "it); returns how many tasks were queued. Requires `zendesk.manage`.",
        extensions=[requires(Permission.ZENDESK_MANAGE)],
    )
    async def retry_zendesk_dead_letter(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The dead letter's id.")],
    ) -> int:
        return await service.retry_dead_letter(
            actor=info.context.actor,
            task_id=parse_id(id, highest=MAX_BIG_ID),
            clock=info.context.clock,
        )
