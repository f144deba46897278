"""The minimal strawberry reference for bench/graphql_overhead.py: `{ me { id } }` answered from
a constant, no auth, no database, served by uvicorn like deskql (one worker).

The schema has one field, `me { id }` (an `ID`), built with strawberry's ParserCache and
ValidationCache (passed as factories, as deskql does) and mounted with strawberry.asgi.GraphQL
on a Starlette route `/graphql`. BENCH_ME_ID is the id deskql answered for the bench account, so
the response bytes equal deskql's for the same request (graphql_overhead.py checks that).

    BENCH_ME_ID=1 .venv/bin/python -m uvicorn bench.strawberry_min_app:app --port 8001
"""

from __future__ import annotations

import os

import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache

ME_ID = os.environ.get("BENCH_ME_ID", "1")


@strawberry.type
class Account:
    id: strawberry.ID


@strawberry.type
class Query:
    @strawberry.field
    def me(self) -> Account:
        return Account(id=strawberry.ID(ME_ID))


def _parser_cache() -> ParserCache:
    return ParserCache(maxsize=512)


def _validation_cache() -> ValidationCache:
    return ValidationCache(maxsize=512)


schema = strawberry.Schema(query=Query, extensions=[_parser_cache, _validation_cache])
app = Starlette(routes=[Route("/graphql", GraphQL(schema), methods=["GET", "POST"])])
