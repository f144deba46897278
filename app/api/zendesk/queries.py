"""Reading the Zendesk sync's settings, status and dead letters (`zendesk.manage`)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.args import After, First
from app.api.pagination import Connection, to_connection
from app.api.permissions import requires
from app.api.zendesk import types as t
from app.pagination import Order, paginate
from app.settings import Settings
from app.zendesk import service

NEWEST_FIRST = Order("NEWEST_FIRST", descending=True)


def connection_of(settings: Settings) -> t.ZendeskConnection:
    return t.ZendeskConnection(
        url=settings.zendesk_url or None,
        email=settings.zendesk_email or None,
        api_token_set=bool(settings.zendesk_api_token),
        webhook_secret_set=bool(settings.zendesk_webhook_secret),
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="How deskql syncs to Zendesk. Requires `zendesk.manage`.",
        extensions=[requires(Permission.ZENDESK_MANAGE)],
    )
    async def zendesk_settings(self, info: Info) -> t.ZendeskSettings:
        row = await service.get_settings()
        return t.ZendeskSettings.of(row, connection_of(info.context.settings))

    @strawberry.field(
        description="How the sync is doing. Requires `zendesk.manage`.",
        extensions=[requires(Permission.ZENDESK_MANAGE)],
    )
    async def zendesk_sync_status(self) -> t.ZendeskSyncStatus:
        return t.ZendeskSyncStatus.of(await service.status())

    @strawberry.field(
        description="Work the sync gave up on, newest first. Requires `zendesk.manage`.",
        extensions=[requires(Permission.ZENDESK_MANAGE)],
    )
    async def zendesk_dead_letters(
        self, first: First = 20, after: After = None
    ) -> Connection[t.ZendeskDeadLetter]:
        page = await paginate(service.dead_letters(), first=first, after=after, order=NEWEST_FIRST)
        return to_connection(page, t.ZendeskDeadLetter.of)
