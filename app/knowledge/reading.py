"""Reading the help center: what the SDK, the H5 pages and the admin page show."""

from __future__ import annotations

from app.accounts.principal import Principal
from app.errors import InvalidInput
from app.knowledge import models
from app.knowledge.visibility import visible_questions

MAX_SEARCH_RESULTS = 50


async def categories() -> list[models.HelpCategory]:
    return await models.HelpCategory.all().order_by("position", "id")


async def categories_by_id(ids: list[int]) -> dict[int, models.HelpCategory]:
    return {c.id: c for c in await models.HelpCategory.filter(id__in=ids)}


async def questions_by_category(
    category_ids: list[int], *, principal: Principal | None
) -> dict[int, list[models.HelpQuestion]]:
    """One query for any number of categories."""
    rows = (
        await visible_questions(principal)
        .filter(category_id__in=category_ids)
        .order_by("category_id", "position", "id")
    )
    grouped: dict[int, list[models.HelpQuestion]] = {i: [] for i in category_ids}
    for row in rows:
        grouped[row.category_id].append(row)
    return grouped


async def question(question_id: int, *, principal: Principal | None) -> models.HelpQuestion | None:
    return await visible_questions(principal).get_or_none(id=question_id)


async def search(
    text: str, *, first: int, principal: Principal | None
) -> list[models.HelpQuestion]:
    """Title hits first, then answer hits; case-insensitive substring match (works for Chinese,
    which has no case). LIKE wildcards in the query are matched literally."""
    if not 1 <= first <= MAX_SEARCH_RESULTS:
        raise InvalidInput(f"first must be between 1 and {MAX_SEARCH_RESULTS}.", field="first")
    term = text.strip()
    if not term:
        return []
    visible = visible_questions(principal)
    by_title = await visible.filter(title__icontains=term).order_by("position", "id").limit(first)
    found = list(by_title)
    if len(found) < first:
        seen = [q.id for q in found]
        by_answer = (
            await visible.filter(answer_text__icontains=term)
            .exclude(id__in=seen or [0])
            .order_by("position", "id")
            .limit(first - len(found))
        )
        found.extend(by_answer)
    return found
