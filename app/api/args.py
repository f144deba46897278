"""Shared argument declarations, so every list and id argument is described the same way."""

from __future__ import annotations

from typing import Annotated

import strawberry

from app.pagination import MAX_PAGE_SIZE

First = Annotated[
    int, strawberry.argument(description=f"Page size, 1-{MAX_PAGE_SIZE}; more is BAD_USER_INPUT.")
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="The `endCursor` of the previous page; omit for the first page."
    ),
]
Id = Annotated[strawberry.ID, strawberry.argument(description="The object's id.")]
AccountId = Annotated[strawberry.ID, strawberry.argument(description="The account's id.")]
GroupId = Annotated[strawberry.ID, strawberry.argument(description="The permission group's id.")]
LoginName = Annotated[str, strawberry.argument(description="Login name, case-insensitive.")]
Password = Annotated[str, strawberry.argument(description="The account's password.")]
