"""GraphQL types of the customer service center."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.knowledge import media, models

HelpChannel = models.HelpChannel
strawberry.enum(
    HelpChannel, description="Where the help center is shown: each can be switched off."
)
QuestionStatus = models.QuestionStatus
strawberry.enum(
    QuestionStatus, description="Only PUBLISHED questions are visible without `kc.manage`."
)


def _id(value: int) -> strawberry.ID:
    return strawberry.ID(str(value))


@strawberry.type(description="A help-center question (article) with its sanitized answer.")
class HelpQuestion:
    id: strawberry.ID = strawberry.field(description="The question's id.")
    title: str = strawberry.field(description="1-200 characters.")
    answer_html: str = strawberry.field(
        description="The answer as sanitized HTML (rendered from Markdown when saved)."
    )
    answer_markdown: str = strawberry.field(description="The answer's Markdown source.")
    status: QuestionStatus = strawberry.field(description="DRAFT or PUBLISHED.")
    position: int = strawberry.field(description="1-based place inside its category.")
    view_count: int = strawberry.field(
        description="H5 page views (written in batches about once a second)."
    )
    helpful_count: int = strawberry.field(description="'Helpful' votes.")
    not_helpful_count: int = strawberry.field(description="'Not helpful' votes.")
    updated_at: datetime = strawberry.field(description="Last save (UTC).")
    _row: strawberry.Private[models.HelpQuestion]

    @classmethod
    def from_model(cls, row: models.HelpQuestion) -> HelpQuestion:
        return cls(
            id=_id(row.id),
            title=row.title,
            answer_html=row.answer_html,
            answer_markdown=row.answer_markdown,
            status=row.status,
            position=row.position,
            view_count=row.view_count,
            helpful_count=row.helpful_count,
            not_helpful_count=row.not_helpful_count,
            updated_at=row.updated_at,
            _row=row,
        )

    @strawberry.field(description="Absolute URL of the question's mobile H5 page.")
    def h5_url(self, info: Info) -> str:
        return f"{info.context.settings.public_url}/h5/questions/{self._row.id}"

    @strawberry.field(description="The category the question belongs to.")
    async def category(self, info: Info) -> HelpCategory:
        row = await info.context.help_categories_by_id.load(self._row.category_id)
        return HelpCategory.from_model(row)


@strawberry.type(description="A help-center category.")
class HelpCategory:
    id: strawberry.ID = strawberry.field(description="The category's id.")
    name: str = strawberry.field(description="1-64 characters.")
    description: str = strawberry.field(description="At most 500 characters.")
    position: int = strawberry.field(description="1-based place in the help center.")
    _row: strawberry.Private[models.HelpCategory]

    @classmethod
    def from_model(cls, row: models.HelpCategory) -> HelpCategory:
        return cls(
            id=_id(row.id),
            name=row.name,
            description=row.description,
            position=row.position,
            _row=row,
        )

    @strawberry.field(description="Absolute URL of the category image, if any.")
    def image_url(self, info: Info) -> str | None:
        return media.absolute(self._row.image_path, public_url=info.context.settings.public_url)

    @strawberry.field(
        description="Questions in position order: published ones, and drafts too "
        "for holders of `kc.manage`."
    )
    async def questions(self, info: Info) -> list[HelpQuestion]:
        rows = await info.context.help_questions_by_category.load(self._row.id)
        return [HelpQuestion.from_model(r) for r in rows]


@strawberry.type(description="The help center as a channel shows it.")
class HelpCenter:
    channel: HelpChannel = strawberry.field(description="The channel asked for.")
    enabled: bool = strawberry.field(
        description="False when the help center is switched off for this channel (R-KC-4); "
        "`categories` is then empty. Distinct from an enabled, empty help center."
    )
    categories: list[HelpCategory] = strawberry.field(description="Categories in position order.")


@strawberry.type(description="Whether the help center is on for a channel.")
class HelpChannelStatus:
    channel: HelpChannel = strawberry.field(description="The channel.")
    enabled: bool = strawberry.field(description="On or off.")


@strawberry.type(description="A saved version of a question. Restoring one creates a new one.")
class HelpQuestionRevision:
    id: strawberry.ID = strawberry.field(description="The revision's id.")
    number: int = strawberry.field(description="1 for the first save, then 2, 3, ...")
    title: str = strawberry.field(description="The title as saved.")
    answer_markdown: str = strawberry.field(description="The Markdown as saved.")
    author_name: str | None = strawberry.field(description="Who saved it (null if deleted).")
    restored_from: int | None = strawberry.field(
        description="The revision number this save restored, if it was a restore."
    )
    created_at: datetime = strawberry.field(description="When it was saved (UTC).")

    @classmethod
    def from_model(cls, row: models.HelpQuestionRevision) -> HelpQuestionRevision:
        return cls(
            id=_id(row.id),
            number=row.number,
            title=row.title,
            answer_markdown=row.answer_markdown,
            author_name=row.author.display_name if row.author else None,
            restored_from=row.restored_from,
            created_at=row.created_at,
        )


@strawberry.input(description="A new help category.")
class HelpCategoryInput:
    name: str = strawberry.field(description="1-64 characters.")
    description: str = strawberry.field(default="", description="At most 500 characters.")
    image_url: str | None = strawberry.field(
        default=None, description="A URL returned by POST /cms/uploads."
    )


@strawberry.input(description="Changes to a help category; omitted fields stay as they are.")
class UpdateHelpCategoryInput:
    name: str | None = strawberry.field(default=None, description="1-64 characters.")
    description: str | None = strawberry.field(default=None, description="At most 500 characters.")
    image_url: str | None = strawberry.field(
        default=strawberry.UNSET, description="A URL from POST /cms/uploads; null removes it."
    )


@strawberry.input(description="A new help question (a DRAFT unless `publish`).")
class HelpQuestionInput:
    category_id: strawberry.ID = strawberry.field(description="The category it goes in (last).")
    title: str = strawberry.field(description="1-200 characters.")
    markdown: str = strawberry.field(
        description="The answer in Markdown, at most 100 000 characters. Raw HTML is shown as text."
    )
    publish: bool = strawberry.field(default=False, description="Publish at once.")


@strawberry.input(
    description="Changes to a question; omitted fields stay. Every save keeps a revision."
)
class UpdateHelpQuestionInput:
    title: str | None = strawberry.field(default=None, description="1-200 characters.")
    markdown: str | None = strawberry.field(default=None, description="The new answer.")
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Move to this category (placed last there)."
    )


Ids = Annotated[
    list[strawberry.ID],
    strawberry.argument(description="Every current id exactly once, in the new order."),
]
