"""List pages' statements kept per shape (app/statements.py, used by app/db.py raw_rows): a kept
statement answers a later queryset of the same shape exactly as the ORM would, values in the
right places; a shape whose parameter order is not proven, or whose values the ORM converts, is
never answered from a kept statement (R-AUTH-3: the visibility conditions are part of the
shape, so one agent's statement never answers with another's values)."""

from __future__ import annotations

import pytest
from tortoise.expressions import F, Q

from app import statements
from app.db import raw_rows
from app.telephony.models import CallRecord, TransferFlag
from tests.support import build_contact_day

COLUMNS = ("id", "call_id", "agent_id", "call_type", "started_epoch")


@pytest.fixture
async def day(make_account):
    made = await build_contact_day(make_account)
    statements._kept.clear()
    return made


def page(agent: int | None = None, *, types=None, after: int | None = None, first: int = 3,
         main_only: bool = False, transferred: bool = False, queue_in=None):  # fmt: skip
    query = CallRecord.all()
    if agent is not None:
        query = query.filter(agent_id=agent)
    if types is not None:
        query = query.filter(call_type__in=types)
    if queue_in is not None:
        query = query.filter(queue_id__in=queue_in)
    if main_only:
        query = query.filter(is_main=True)
    if transferred:
        query = query.exclude(transfer_flag=TransferFlag.NONE)
    query = query.order_by("-started_epoch", "-id")
    if after is not None:
        query = query.filter(Q(started_epoch__lt=after) | Q(started_epoch=after, id__lt=10**6))
    return query.limit(first + 1).values_list(*COLUMNS)


async def orm(query) -> list[tuple]:
    return [tuple(row) for row in await query]


async def kept_answer(query) -> list[tuple]:
    return [tuple(row) for row in await raw_rows(query)]


CASES = [
    ({}, {"first": 5}),
    ({"agent": "a"}, {"agent": "b"}),
    ({"agent": "a", "types": ["INBOUND"]}, {"agent": "c", "types": ["OUTBOUND"]}),
    ({"types": ["INBOUND", "OUTBOUND"]}, {"types": ["CONSULT_AGENT", "INBOUND"]}),
    ({"after": -1}, {"after": -3, "first": 2}),  # before the last start, the third from last
    ({"agent": "a", "transferred": True}, {"agent": "b", "transferred": True}),
    ({"main_only": True, "agent": "a"}, {"main_only": True, "agent": "c"}),
]


@pytest.mark.parametrize(("first_args", "later_args"), CASES)
async def test_a_kept_statement_answers_a_later_page_of_its_shape_as_the_orm_does(
    day, first_args, later_args
):
    """R-AUTH-3: the agent's condition is a value of the shape, never baked into the SQL."""

    starts = sorted(set(await CallRecord.all().values_list("started_epoch", flat=True)))

    def resolve(args: dict) -> dict:
        out = dict(args)
        if "agent" in out:
            out["agent"] = day[out["agent"]][0].id
        if "after" in out:
            out["after"] = starts[out["after"]]
        return out

    first, later = resolve(first_args), resolve(later_args)
    assert await kept_answer(page(**first)) == await orm(page(**first))
    answer = await kept_answer(page(**later))
    assert answer == await orm(page(**later))
    assert answer and answer != await orm(page(**first))


async def test_a_page_is_read_from_its_kept_statement_once_the_shape_is_proven(day):
    a, b = day["a"][0].id, day["b"][0].id
    await raw_rows(page(a, types=["INBOUND"]))
    (shape, _), = [statements.shape_of(page(b, types=["OUTBOUND"]))]  # fmt: skip
    assert statements.kept(shape) is not None  # the same shape, other values: kept
    assert statements.shape_of(page(b, types=["OUTBOUND", "INBOUND"]))[0] != shape


async def test_repeated_values_prove_no_order_and_nothing_is_kept_from_them(day):
    """agent_id 3 and limit 3 + 1 = 4 differ; agent 4 with first 3 repeats 4: not proof."""
    agent = day["a"][0].id
    query = page(agent, first=agent - 1)  # the limit (first + 1) equals the agent's id
    shape = statements.shape_of(query)[0]
    assert await kept_answer(query) == await orm(page(agent, first=agent - 1))
    assert statements.kept(shape) is None and shape not in statements._kept


async def test_instant_values_answer_as_the_orm_does_whether_kept_or_not(day):
    """The ORM may write a datetime in the database's own form (SQLite: text) or hand the driver
    the object (PostgreSQL): a shape is kept only when the parameters are the values as they
    are, and either way a later page answers what the ORM answers."""
    from datetime import UTC, datetime

    def since(moment: datetime):
        return CallRecord.filter(started_at__gte=moment).order_by("id").limit(50).values_list("id")

    early, late = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    assert await kept_answer(since(late)) == await orm(since(late)) == []
    everything = await kept_answer(since(early))
    assert everything == await orm(since(early)) and everything


async def test_unusual_querysets_have_no_shape(day):
    assert statements.shape_of(CallRecord.all().limit(3)) is None  # not a values_list
    grouped = CallRecord.all().group_by("agent_id").values_list("agent_id")
    assert statements.shape_of(grouped) is None
    same = CallRecord.filter(talk_seconds=F("ring_seconds")).values_list("id")
    assert statements.shape_of(same) is None
