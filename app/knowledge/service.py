"""Help-center editing use cases (R-KC-1/2/4). Every edit runs in one transaction that starts by
bumping the content version: the row lock serialises concurrent edits (dense positions stay
dense) and the new number tells every server process to drop its cached public reads."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, cast

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.checks import UNCHANGED, Unchanged
from app.errors import Conflict, InvalidInput, NotFound
from app.knowledge import media, models
from app.knowledge.richtext import MAX_MARKDOWN_LENGTH, plain_text, render_markdown

log = logging.getLogger("deskql.knowledge")


@dataclass(frozen=True)
class CategoryChanges:
    name: str | None = None
    description: str | None = None
    image_url: str | None | Unchanged = UNCHANGED


@dataclass(frozen=True)
class QuestionChanges:
    title: str | None = None
    markdown: str | None = None
    category_id: int | None = None


async def bump_version() -> int:
    """Increment the content version; inside a transaction this also locks out other edits."""
    for _ in range(2):
        if await models.HelpContentVersion.filter(id=1).update(version=F("version") + 1):
            break
        try:
            async with in_transaction():
                await models.HelpContentVersion.create(id=1, version=1)
            break
        except IntegrityError:
            continue  # another process created it first: update it
    return cast(int, await models.HelpContentVersion.get(id=1).values_list("version", flat=True))


async def current_version() -> int:
    rows = await models.HelpContentVersion.filter(id=1).values_list("version", flat=True)
    return cast(int, rows[0]) if rows else 0


# Categories ---------------------------------------------------------------------------------


async def create_category(
    *,
    actor: Principal,
    name: str,
    description: str = "",
    image_url: str | None = None,
    public_url: str,
) -> models.HelpCategory:
    values: dict[str, Any] = dict(name=_name(name), description=_description(description))
    async with in_transaction():
        await bump_version()
        values["image_path"] = await media.path_of(image_url, public_url=public_url)
        position = await _next_position(models.HelpCategory.all())
        category = await models.HelpCategory.create(position=position, **values)
    log.info("help category created id=%s by=%s", category.id, actor.id)
    return category


async def update_category(
    *, actor: Principal, category_id: int, changes: CategoryChanges, public_url: str
) -> models.HelpCategory:
    async with in_transaction():
        await bump_version()
        category = await get_category(category_id=category_id)
        if changes.name is not None:
            category.name = _name(changes.name)
        if changes.description is not None:
            category.description = _description(changes.description)
        if changes.image_url is not UNCHANGED:
            category.image_path = await media.path_of(changes.image_url, public_url=public_url)
        await category.save()
    log.info("help category updated id=%s by=%s", category.id, actor.id)
    return category


async def delete_category(*, actor: Principal, category_id: int, delete_questions: bool) -> None:
    async with in_transaction():
        await bump_version()
        category = await get_category(category_id=category_id)
        count = await models.HelpQuestion.filter(category_id=category.id).count()
        if count and not delete_questions:
            raise Conflict(
                f"The category still has {count} question(s): move or delete them, or pass "
                "deleteQuestions: true.",
                questionCount=count,
            )
        await models.HelpQuestion.filter(category_id=category.id).delete()
        await category.delete()
        await _densify(models.HelpCategory.all())
    log.info("help category deleted id=%s questions=%s by=%s", category_id, count, actor.id)


async def reorder_categories(*, actor: Principal, ids: list[int]) -> list[models.HelpCategory]:
    async with in_transaction():
        await bump_version()
        rows = await models.HelpCategory.all()
        await _apply_order(rows, ids)
    return sorted(rows, key=lambda c: c.position)


async def get_category(*, category_id: int) -> models.HelpCategory:
    category = await models.HelpCategory.get_or_none(id=category_id)
    if category is None:
        raise NotFound(f"No help category with id {category_id}.")
    return category


# Questions ----------------------------------------------------------------------------------


async def create_question(
    *, actor: Principal, category_id: int, title: str, markdown: str, publish: bool = False
) -> models.HelpQuestion:
    title, markdown = _title(title), checked_markdown(markdown)
    async with in_transaction():
        await bump_version()
        category = await get_category(category_id=category_id)
        question = await models.HelpQuestion.create(
            category=category,
            title=title,
            position=await _next_position(models.HelpQuestion.filter(category_id=category.id)),
            status=models.QuestionStatus.PUBLISHED if publish else models.QuestionStatus.DRAFT,
            **_answer(markdown),
        )
        await _keep_revision(question, actor)
    log.info("help question created id=%s by=%s", question.id, actor.id)
    return question


async def update_question(
    *, actor: Principal, question_id: int, changes: QuestionChanges
) -> models.HelpQuestion:
    """Every save keeps a revision. Moving to another category puts it last there."""
    async with in_transaction():
        await bump_version()
        question = await get_question(question_id=question_id)
        if changes.title is not None:
            question.title = _title(changes.title)
        if changes.markdown is not None:
            for key, value in _answer(checked_markdown(changes.markdown)).items():
                setattr(question, key, value)
        old_category = question.category_id
        if changes.category_id is not None and changes.category_id != old_category:
            target = await get_category(category_id=changes.category_id)
            question.category_id = target.id
            question.position = await _next_position(
                models.HelpQuestion.filter(category_id=target.id)
            )
        await question.save()
        if question.category_id != old_category:
            await _densify(models.HelpQuestion.filter(category_id=old_category))
        await _keep_revision(question, actor)
    log.info("help question updated id=%s by=%s", question.id, actor.id)
    return question


async def set_question_status(
    *, actor: Principal, question_id: int, status: models.QuestionStatus
) -> models.HelpQuestion:
    async with in_transaction():
        await bump_version()
        question = await get_question(question_id=question_id)
        question.status = status
        await question.save(update_fields=["status", "updated_at"])
    log.info("help question %s id=%s by=%s", status.lower(), question.id, actor.id)
    return question


async def delete_question(*, actor: Principal, question_id: int) -> None:
    async with in_transaction():
        await bump_version()
        question = await get_question(question_id=question_id)
        await question.delete()
        await _densify(models.HelpQuestion.filter(category_id=question.category_id))
    log.info("help question deleted id=%s by=%s", question_id, actor.id)


async def reorder_questions(
    *, actor: Principal, category_id: int, ids: list[int]
) -> list[models.HelpQuestion]:
    async with in_transaction():
        await bump_version()
        await get_category(category_id=category_id)
        rows = await models.HelpQuestion.filter(category_id=category_id)
        await _apply_order(rows, ids)
    return sorted(rows, key=lambda q: q.position)


async def get_question(*, question_id: int) -> models.HelpQuestion:
    question = await models.HelpQuestion.get_or_none(id=question_id)
    if question is None:
        raise NotFound(f"No help question with id {question_id}.")
    return question


async def list_revisions(*, question_id: int) -> list[models.HelpQuestionRevision]:
    await get_question(question_id=question_id)
    return await models.HelpQuestionRevision.filter(question_id=question_id).order_by("-number")


async def restore_revision(*, actor: Principal, revision_id: int) -> models.HelpQuestion:
    revision = await models.HelpQuestionRevision.get_or_none(id=revision_id)
    if revision is None:
        raise NotFound(f"No revision with id {revision_id}.")
    async with in_transaction():
        await bump_version()
        question = await get_question(question_id=revision.question_id)
        question.title = revision.title
        for key, value in _answer(revision.answer_markdown).items():
            setattr(question, key, value)
        await question.save()
        await _keep_revision(question, actor, restored_from=revision.number)
    log.info(
        "help question id=%s restored to revision %s by=%s", question.id, revision.number, actor.id
    )
    return question


async def set_channel_enabled(
    *, actor: Principal, channel: models.HelpChannel, enabled: bool
) -> models.HelpChannelSetting:
    async with in_transaction():
        await bump_version()
        setting, _ = await models.HelpChannelSetting.get_or_create(channel=channel)
        setting.enabled = enabled
        await setting.save()
    log.info("help center channel=%s enabled=%s by=%s", channel, enabled, actor.id)
    return setting


async def channel_settings() -> dict[models.HelpChannel, bool]:
    stored = {s.channel: s.enabled for s in await models.HelpChannelSetting.all()}
    return {channel: stored.get(channel, True) for channel in models.HelpChannel}


async def is_channel_enabled(channel: models.HelpChannel) -> bool:
    setting = await models.HelpChannelSetting.get_or_none(channel=channel)
    return True if setting is None else setting.enabled


# Helpers ------------------------------------------------------------------------------------


def _answer(markdown: str) -> dict:
    html = render_markdown(markdown)
    return {"answer_markdown": markdown, "answer_html": html, "answer_text": plain_text(html)}


async def _keep_revision(
    question: models.HelpQuestion, actor: Principal, restored_from: int | None = None
) -> None:
    newest = await (
        models.HelpQuestionRevision.filter(question_id=question.id)
        .order_by("-number")
        .first()
        .values_list("number", flat=True)
    )
    last = cast(int | None, newest) or 0
    await models.HelpQuestionRevision.create(
        question=question,
        number=last + 1,
        title=question.title,
        answer_markdown=question.answer_markdown,
        author_id=actor.id,
        restored_from=restored_from,
    )


async def _next_position(queryset) -> int:
    top = await queryset.order_by("-position").first().values_list("position", flat=True)
    return (top or 0) + 1


async def _densify(queryset) -> None:
    rows = await queryset.order_by("position", "id")
    for index, row in enumerate(rows, start=1):
        if row.position != index:
            row.position = index
            await row.save(update_fields=["position"])


async def _apply_order(rows: list, ids: list[int]) -> None:
    """Reorder takes exactly the full set of ids; positions become 1..n."""
    current = {row.id for row in rows}
    if len(ids) != len(set(ids)) or set(ids) != current:
        raise InvalidInput(
            f"ids must list each of the {len(current)} current ids exactly once.", field="ids"
        )
    by_id = {row.id: row for row in rows}
    for position, row_id in enumerate(ids, start=1):
        row = by_id[row_id]
        if row.position != position:
            row.position = position
            await row.save(update_fields=["position"])


def _name(value: str) -> str:
    name = value.strip()
    if not 1 <= len(name) <= 64:
        raise InvalidInput("A category name is 1-64 characters.", field="name")
    return name


def _description(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > 500:
        raise InvalidInput("A description is at most 500 characters.", field="description")
    return text


def _title(value: str) -> str:
    title = value.strip()
    if not 1 <= len(title) <= 200:
        raise InvalidInput("A title is 1-200 characters.", field="title")
    return title


def checked_markdown(value: str) -> str:
    if len(value) > MAX_MARKDOWN_LENGTH:
        raise InvalidInput(
            f"An answer is at most {MAX_MARKDOWN_LENGTH} characters.", field="markdown"
        )
    return value
