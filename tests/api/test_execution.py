"""The execution context's short path for plain attributes (app/api/execution.py) answers exactly
what graphql-core's ordinary path answers — data, errors, their messages and paths — for every
kind of field it meets: scalars, enums, instants, nulls allowed or not, a failing attribute, an
awaitable attribute, objects, lists, arguments and resolvers."""

from __future__ import annotations

import asyncio
import enum
from datetime import UTC, datetime

import pytest
import strawberry

from app.api.execution import _UNSEEN, FastExecutionContext


class Colour(enum.StrEnum):
    RED = "RED"
    BLUE = "BLUE"


strawberry.enum(Colour)


@strawberry.type
class Inner:
    name: str
    size: int | None


@strawberry.type
class Item:
    id: strawberry.ID
    label: str
    count: int
    maybe: int | None
    colour: Colour
    at: datetime
    inner: Inner | None
    must: Inner
    tags: list[str]
    broken: str | None
    required: str
    later: str | None
    kids: list[Item]

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.label.upper() * times


class Row:
    """A plain object like the list views: attributes, a property that fails, an awaitable."""

    def __init__(self, n: int) -> None:
        self.id, self.label, self.count = str(n), f"item {n}", n
        self.maybe = None if n % 2 else n
        self.colour = "BLUE" if n % 2 else Colour.RED  # a view holds the stored text
        self.at = datetime(2026, 3, 2, 8, n, tzinfo=UTC)
        self.inner = Inner(name=f"in {n}", size=None) if n % 3 else None
        self.must = Inner(name="m", size=n)
        self.tags = ["a", "b"][: n % 3]
        self.required = "r" if n != 4 else None  # a null where the schema says never
        self.kids = [Row(n + 10)] if n < 3 else []

    @property
    def broken(self) -> str:
        raise ValueError(f"row {self.id} cannot say")

    @property
    def later(self):
        async def value() -> str:
            await asyncio.sleep(0)
            return f"later {self.id}"

        return value()


@strawberry.type
class Query:
    @strawberry.field
    async def items(self) -> list[Item]:
        return [Row(n) for n in range(6)]  # type: ignore[misc]

    @strawberry.field
    def one(self) -> Item | None:
        return Row(7)  # type: ignore[return-value]


QUERIES = [
    "{ items { id label count maybe colour at } }",
    "{ items { __typename id inner { __typename name } kids { id colour kids { id } } } }",
    "{ items { id kids { id broken } } }",
    "{ items { id kids { id required } } }",
    "{ items { id kids { later } } }",
    (
        "query($x: Boolean!) { items { id label @include(if: $x) kids { count @skip(if: $x) } } }",
        {"x": True},
    ),
    (
        "query($x: Boolean!) { items { id label @include(if: $x) kids { count @skip(if: $x) } } }",
        {"x": False},
    ),
    "{ items { id inner { name size } must { name size } tags } }",
    "{ items { id broken } }",
    "{ items { id required } }",
    "{ items { id later shout(times: 2) } }",
    "{ one { id label alias: label ...F } } fragment F on Item { count colour }",
    "{ items { ... on Item { id inner { name } } } }",
]


@pytest.mark.parametrize("query", QUERIES)
async def test_the_short_path_answers_what_graphql_core_answers(query):
    query, variables = query if isinstance(query, tuple) else (query, None)
    ordinary = strawberry.Schema(query=Query)
    short = strawberry.Schema(query=Query, execution_context_class=FastExecutionContext)

    expected = await ordinary.execute(query, variable_values=variables)
    got = await short.execute(query, variable_values=variables)

    assert got.data == expected.data
    assert [(e.message, e.path) for e in got.errors or []] == [
        (e.message, e.path) for e in expected.errors or []
    ]


async def test_plain_selections_take_the_compiled_loop_and_others_do_not():
    taken: list[bool] = []

    class Spy(FastExecutionContext):
        def _compiled_field(self, *args):
            out = super()._compiled_field(*args)
            taken.append(out is not _UNSEEN)
            return out

    schema = strawberry.Schema(query=Query, execution_context_class=Spy)
    await schema.execute("{ items { id kids { id inner { name } } } }")
    assert taken and all(taken)  # the kids lists: straight loops

    taken.clear()
    await schema.execute("{ items { id kids { id shout } } }")  # a resolver inside: ordinary
    assert taken and not any(taken)


def test_a_started_server_has_its_start_up_heap_frozen_and_a_higher_first_threshold(app):
    """app/gctuning.py runs at the end of start-up (the `app` fixture went through it)."""
    import gc

    from app.gctuning import FIRST_GENERATION_THRESHOLD

    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == FIRST_GENERATION_THRESHOLD


async def test_a_list_answer_frees_what_it_fetched_without_the_garbage_collector(gql, make_account):
    """What a page fetched (a call's legs, its agents) is kept in the request's context, and
    the legs point back at the context: the context lets go of them once the answer is written,
    so reference counting frees them at once instead of a collection walking them later
    (app/api/context.py release)."""
    import gc

    from app.accounts.models import Role
    from app.api.directory.types import AgentRef
    from app.api.telephony.views import CallView
    from tests.support import build_contact_day

    await build_contact_day(make_account)
    _, token = await make_account("viewer", Role.AGENT, groups=[["calls.view_all"]])
    query = "{ calls(first: 50) { nodes { id agent { account } subCalls { id } } } }"
    gc.collect()
    gc.disable()
    try:
        answer = await gql(query, token=token)
        nodes = answer["data"]["calls"]["nodes"]
        assert any(n["subCalls"] for n in nodes) and any(n["agent"] for n in nodes), answer
        alive = [o for o in gc.get_objects() if isinstance(o, CallView | AgentRef)]
    finally:
        gc.enable()
    assert alive == []
