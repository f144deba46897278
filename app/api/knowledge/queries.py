"""Help-center reads: public for the SDK, plus the admin views (drafts, revisions, channels)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.args import Id
from app.api.ids import parse_id
from app.api.knowledge.types import (
    HelpCategory,
    HelpCenter,
    HelpChannel,
    HelpChannelStatus,
    HelpQuestion,
    HelpQuestionRevision,
)
from app.api.permissions import requires
from app.knowledge import models, reading, service
from app.knowledge.richtext import render_markdown

_KC = Permission.KC_MANAGE
Channel = Annotated[HelpChannel, strawberry.argument(description="The SDK's channel.")]


@strawberry.type
class Query:
    @strawberry.field(
        description="The help center for a channel. Public (no token). When the "
        "channel is switched off: `enabled: false`, no categories."
    )
    async def help_center(self, channel: Channel = models.HelpChannel.APP) -> HelpCenter:
        enabled = await service.is_channel_enabled(channel)
        rows = await reading.categories() if enabled else []
        return HelpCenter(
            channel=channel, enabled=enabled, categories=[HelpCategory.from_model(r) for r in rows]
        )

    @strawberry.field(description="One category, or null. Public.")
    async def help_category(self, id: Id) -> HelpCategory | None:
        row = await models.HelpCategory.get_or_none(id=parse_id(id))
        return HelpCategory.from_model(row) if row else None

    @strawberry.field(
        description="One question, or null. Public; a draft is null without "
        "`kc.manage`, exactly like a missing id."
    )
    async def help_question(self, info: Info, id: Id) -> HelpQuestion | None:
        row = await reading.question(parse_id(id), principal=info.context.principal)
        return HelpQuestion.from_model(row) if row else None

    @strawberry.field(
        description="Published questions whose title or answer contains `query` "
        "(case-insensitive), title hits first. Public. Empty when the "
        "channel is switched off."
    )
    async def search_help(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="Text to look for, any language.")],
        channel: Channel = models.HelpChannel.APP,
        first: Annotated[
            int,
            strawberry.argument(
                description="At most this many, 1-50; outside that is BAD_USER_INPUT."
            ),
        ] = 20,
    ) -> list[HelpQuestion]:
        if not await service.is_channel_enabled(channel):
            return []
        rows = await reading.search(query, first=first, principal=None)
        return [HelpQuestion.from_model(r) for r in rows]

    @strawberry.field(
        description="Every category with all its questions, drafts included. Requires `kc.manage`.",
        extensions=[requires(_KC)],
    )
    async def help_categories(self) -> list[HelpCategory]:
        return [HelpCategory.from_model(r) for r in await reading.categories()]

    @strawberry.field(
        description="A question's revisions, newest first. Requires `kc.manage`.",
        extensions=[requires(_KC)],
    )
    async def help_question_revisions(self, id: Id) -> list[HelpQuestionRevision]:
        rows = await service.list_revisions(question_id=parse_id(id))
        await models.HelpQuestionRevision.fetch_for_list(rows, "author")
        return [HelpQuestionRevision.from_model(r) for r in rows]

    @strawberry.field(
        description="The help-center switch of every channel. Requires `kc.manage`.",
        extensions=[requires(_KC)],
    )
    async def help_center_channels(self) -> list[HelpChannelStatus]:
        settings = await service.channel_settings()
        return [HelpChannelStatus(channel=c, enabled=e) for c, e in settings.items()]

    @strawberry.field(
        description="The exact sanitized HTML that saving this Markdown would "
        "store. Requires `kc.manage`.",
        extensions=[requires(_KC)],
    )
    def preview_help_answer(
        self, markdown: Annotated[str, strawberry.argument(description="Answer Markdown.")]
    ) -> str:
        return render_markdown(service.checked_markdown(markdown))
