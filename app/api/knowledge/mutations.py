"""Help-center writes: admin edits (`kc.manage`) and the public helpful vote."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.args import Id
from app.api.ids import parse_id
from app.api.knowledge.types import (
    HelpCategory,
    HelpCategoryInput,
    HelpChannel,
    HelpChannelStatus,
    HelpQuestion,
    HelpQuestionInput,
    Ids,
    UpdateHelpCategoryInput,
    UpdateHelpQuestionInput,
)
from app.api.permissions import requires
from app.knowledge import models, service, votes

_KC = [requires(Permission.KC_MANAGE)]


def _edited(info: Info, result):
    """This process saw the edit: its cached public reads go stale at once (others within 1 s)."""
    info.context.content_version.mark_stale()
    return result


async def _set_status(info: Info, id: strawberry.ID, status: models.QuestionStatus) -> HelpQuestion:
    row = await service.set_question_status(
        actor=info.context.principal, question_id=parse_id(id), status=status
    )
    return _edited(info, HelpQuestion.from_model(row))


def _ids(values: list[strawberry.ID]) -> list[int]:
    return [parse_id(v, field="ids") for v in values]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create a category, placed last. Requires `kc.manage`.", extensions=_KC
    )
    async def create_help_category(
        self,
        info: Info,
        input: Annotated[HelpCategoryInput, strawberry.argument(description="The category.")],
    ) -> HelpCategory:
        row = await service.create_category(
            actor=info.context.principal,
            name=input.name,
            description=input.description,
            image_url=input.image_url,
            public_url=info.context.settings.public_url,
        )
        return _edited(info, HelpCategory.from_model(row))

    @strawberry.mutation(description="Change a category. Requires `kc.manage`.", extensions=_KC)
    async def update_help_category(
        self,
        info: Info,
        id: Id,
        input: Annotated[
            UpdateHelpCategoryInput, strawberry.argument(description="What to change.")
        ],
    ) -> HelpCategory:
        changes = service.CategoryChanges(
            name=input.name,
            description=input.description,
            image_url=service.UNCHANGED if input.image_url is strawberry.UNSET else input.image_url,
        )
        row = await service.update_category(
            actor=info.context.principal,
            category_id=parse_id(id),
            changes=changes,
            public_url=info.context.settings.public_url,
        )
        return _edited(info, HelpCategory.from_model(row))

    @strawberry.mutation(
        description="Delete a category. One that still has questions is refused "
        "(CONFLICT) unless `deleteQuestions`. Requires `kc.manage`.",
        extensions=_KC,
    )
    async def delete_help_category(
        self,
        info: Info,
        id: Id,
        delete_questions: Annotated[
            bool, strawberry.argument(description="Also delete its questions.")
        ] = False,
    ) -> bool:
        await service.delete_category(
            actor=info.context.principal,
            category_id=parse_id(id),
            delete_questions=delete_questions,
        )
        return _edited(info, True)

    @strawberry.mutation(
        description="Put the categories in this order (every id exactly once, "
        "else BAD_USER_INPUT). Requires `kc.manage`.",
        extensions=_KC,
    )
    async def reorder_help_categories(self, info: Info, ids: Ids) -> list[HelpCategory]:
        rows = await service.reorder_categories(actor=info.context.principal, ids=_ids(ids))
        return _edited(info, [HelpCategory.from_model(r) for r in rows])

    @strawberry.mutation(
        description="Create a question, placed last in its category. Requires `kc.manage`.",
        extensions=_KC,
    )
    async def create_help_question(
        self,
        info: Info,
        input: Annotated[HelpQuestionInput, strawberry.argument(description="The question.")],
    ) -> HelpQuestion:
        row = await service.create_question(
            actor=info.context.principal,
            category_id=parse_id(input.category_id, field="categoryId"),
            title=input.title,
            markdown=input.markdown,
            publish=input.publish,
        )
        return _edited(info, HelpQuestion.from_model(row))

    @strawberry.mutation(
        description="Change or move a question; keeps a revision. Requires `kc.manage`.",
        extensions=_KC,
    )
    async def update_help_question(
        self,
        info: Info,
        id: Id,
        input: Annotated[
            UpdateHelpQuestionInput, strawberry.argument(description="What to change.")
        ],
    ) -> HelpQuestion:
        changes = service.QuestionChanges(
            title=input.title,
            markdown=input.markdown,
            category_id=parse_id(input.category_id, field="categoryId")
            if input.category_id
            else None,
        )
        row = await service.update_question(
            actor=info.context.principal, question_id=parse_id(id), changes=changes
        )
        return _edited(info, HelpQuestion.from_model(row))

    @strawberry.mutation(description="Delete a question. Requires `kc.manage`.", extensions=_KC)
    async def delete_help_question(self, info: Info, id: Id) -> bool:
        await service.delete_question(actor=info.context.principal, question_id=parse_id(id))
        return _edited(info, True)

    @strawberry.mutation(
        description="Put a category's questions in this order (every id exactly "
        "once). Requires `kc.manage`.",
        extensions=_KC,
    )
    async def reorder_help_questions(
        self,
        info: Info,
        category_id: Annotated[strawberry.ID, strawberry.argument(description="The category.")],
        ids: Ids,
    ) -> list[HelpQuestion]:
        rows = await service.reorder_questions(
            actor=info.context.principal,
            category_id=parse_id(category_id, field="categoryId"),
            ids=_ids(ids),
        )
        return _edited(info, [HelpQuestion.from_model(r) for r in rows])

    @strawberry.mutation(description="Publish a question. Requires `kc.manage`.", extensions=_KC)
    async def publish_help_question(self, info: Info, id: Id) -> HelpQuestion:
        return await _set_status(info, id, models.QuestionStatus.PUBLISHED)

    @strawberry.mutation(description="Back to draft. Requires `kc.manage`.", extensions=_KC)
    async def unpublish_help_question(self, info: Info, id: Id) -> HelpQuestion:
        return await _set_status(info, id, models.QuestionStatus.DRAFT)

    @strawberry.mutation(
        description="Restore a revision's title and answer (a new revision). Requires `kc.manage`.",
        extensions=_KC,
    )
    async def restore_help_question_revision(
        self,
        info: Info,
        revision_id: Annotated[strawberry.ID, strawberry.argument(description="The revision.")],
    ) -> HelpQuestion:
        row = await service.restore_revision(
            actor=info.context.principal, revision_id=parse_id(revision_id, field="revisionId")
        )
        return _edited(info, HelpQuestion.from_model(row))

    @strawberry.mutation(
        description="Switch the help center on or off for a channel (R-KC-4). "
        "Requires `kc.manage`.",
        extensions=_KC,
    )
    async def set_help_center_enabled(
        self,
        info: Info,
        channel: Annotated[HelpChannel, strawberry.argument(description="The channel.")],
        enabled: Annotated[bool, strawberry.argument(description="On or off.")],
    ) -> HelpChannelStatus:
        row = await service.set_channel_enabled(
            actor=info.context.principal, channel=channel, enabled=enabled
        )
        return _edited(info, HelpChannelStatus(channel=row.channel, enabled=row.enabled))

    @strawberry.mutation(
        description="'Was this helpful?' Public. One vote per client per "
        "question (voting again replaces it); at most 30 votes per "
        "client an hour (RATE_LIMITED)."
    )
    async def vote_help_question(
        self,
        info: Info,
        id: Id,
        helpful: Annotated[bool, strawberry.argument(description="True: helpful.")],
    ) -> HelpQuestion:
        row = await votes.vote(
            question_id=parse_id(id), helpful=helpful, client=info.context.client_key()
        )
        return HelpQuestion.from_model(row)
