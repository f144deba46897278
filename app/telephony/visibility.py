"""Who sees which call records (R-AUTH-3): the one place the calls list, get, the legs of a
call and its main record go through."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from app.accounts.permissions import Permission
from app.accounts.principal import Principal
from app.telephony import models


def sees_all_calls(principal: Principal) -> bool:
    return principal.has(Permission.CALLS_VIEW_ALL)


def visible_calls(principal: Principal) -> QuerySet[models.CallRecord]:
    """Agents see the records where they are the agent: their own main records and every leg
    they were consulted, transfer-consulted or transferred on. ``calls.view_all`` sees all."""
    query = models.CallRecord.all()
    if not sees_all_calls(principal):
        query = query.filter(agent_id=principal.id)
    return query


def visible_calls_sql(principal: Principal, alias: str = "call_record") -> tuple[str, list]:
    """The same rule as :func:`visible_calls`, as a condition for hand-written SQL (the list
    reads, app/api/telephony/views.py): ``("", [])`` when every record is visible."""
    if sees_all_calls(principal):
        return "", []
    return f" AND {alias}.agent_id = ?", [principal.id]


async def sub_calls_by_main(
    principal: Principal, main_ids: list[str]
) -> dict[str, list[models.CallRecord]]:
    """The visible legs of each call, in start order."""
    found: dict[str, list[models.CallRecord]] = {m: [] for m in main_ids}
    query = (
        visible_calls(principal)
        .filter(main_call_id__in=main_ids, is_main=False)
        .order_by("started_epoch", "id")
    )
    for row in await query:
        found[row.main_call_id].append(row)
    return found


async def calls_by_id(principal: Principal, ids: list[str]) -> dict[str, models.CallRecord]:
    """Visible records by their telephony id."""
    return {r.call_id: r for r in await visible_calls(principal).filter(call_id__in=ids)}
