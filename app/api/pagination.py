"""Cursor-paginated list types shared by every domain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from app.pagination import Page

T = TypeVar("T")


@strawberry.type(description="Where a page ends and whether another follows.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when `after: endCursor` gives more.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` to get the next page; null on an empty page."
    )


@strawberry.type(description="One item of a list and the cursor just after it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="Opaque; pass as `after` to continue after this item."
    )
    node: T = strawberry.field(description="The item.")


@strawberry.type(
    description=(
        "A page of a list, in the list's order: ascending id, or the `orderBy` the list takes."
    )
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items with their cursors.")
    nodes: list[T] = strawberry.field(description="The items alone, when cursors are not needed.")
    page_info: PageInfo = strawberry.field(description="How to fetch the next page.")
    _page: strawberry.Private[Page]

    @strawberry.field(description="How many items the whole filtered list has (one COUNT query).")
    async def total_count(self) -> int:
        return await self._page.total_count()


def to_connection(page: Page, convert: Callable, *, edges: bool = True) -> Connection:
    """The page as a Connection; ``edges=False`` when the query did not select them (their
    cursors are then not computed)."""
    nodes = [convert(item) for item in page.items]
    return Connection(
        edges=[
            Edge(cursor=page.cursor(item), node=node)
            for item, node in zip(page.items, nodes, strict=False)
        ]
        if edges
        else [],
        nodes=nodes,
        page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        _page=page,
    )
