"""Agents named by login name in imports, live events and report filters: the one resolver
from names to accounts (with the team each is in)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from app.accounts.models import Account
from app.errors import InvalidInput


@dataclass(frozen=True)
class Agent:
    id: int
    team_id: int | None


async def agents_by_name(
    names: Iterable[str | None], *, conn: BaseDBAsyncClient | None = None
) -> dict[str, Agent]:
    """The accounts with these login names (unknown names are simply absent)."""
    wanted = sorted({name for name in names if name})
    if not wanted:
        return {}
    query = Account.filter(account__in=wanted)
    if conn is not None:
        query = query.using_db(conn)
    rows = await query.values("id", "account", "team_membership__team_id")
    return {row["account"]: Agent(row["id"], row["team_membership__team_id"]) for row in rows}


async def resolve(
    names: Sequence[str | None],
    *,
    field: str | Callable[[int], str],
    conn: BaseDBAsyncClient | None = None,
) -> list[Agent | None]:
    """Login names (None allowed) to agents, in order. An unknown name is the caller's
    mistake: BAD_USER_INPUT at ``field`` (a path, or a function of the name's position)."""
    found = await agents_by_name(names, conn=conn)
    for index, name in enumerate(names):
        if name and name not in found:
            where = field(index) if callable(field) else field
            raise InvalidInput(f"Unknown agent {name!r}.", field=where)
    return [found[name] if name else None for name in names]


async def resolve_one(
    name: str | None, *, field: str = "agentAccount", conn: BaseDBAsyncClient | None = None
) -> Agent | None:
    return (await resolve([name], field=field, conn=conn))[0]


async def name_of(account_id: int | None, *, conn: BaseDBAsyncClient | None = None) -> str | None:
    """The login name of an account id (None for None or an unknown id)."""
    if account_id is None:
        return None
    query = Account.filter(id=account_id)
    if conn is not None:
        query = query.using_db(conn)
    names = await query.values_list("account", flat=True)
    return str(names[0]) if names else None
