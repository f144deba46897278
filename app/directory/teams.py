"""Teams (skill groups) and call queues."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from app.accounts.models import Account, Role
from app.accounts.principal import Principal
from app.db import db_datetime, dialect
from app.directory import models
from app.errors import Conflict, InvalidInput, NotFound


def clean_name(value: str, field: str, limit: int = 64) -> str:
    value = (value or "").strip()
    if not 1 <= len(value) <= limit:
        raise InvalidInput(f"{field} must be 1-{limit} characters.", field=field)
    return value


async def create_team(*, actor: Principal, name: str) -> models.Team:
    name = clean_name(name, "name")
    if await models.Team.filter(name=name).exists():
        raise Conflict(f"A team named {name!r} already exists.")
    return await models.Team.create(name=name)


async def set_team_members(
    *, actor: Principal, team_id: int, account_ids: list[int]
) -> models.Team:
    """The team's members become exactly ``account_ids`` (each leaves any other team)."""
    team = await models.Team.get_or_none(id=team_id)
    if team is None:
        raise NotFound("No such team.")
    accounts = await Account.filter(id__in=account_ids).values_list("id", "role")
    known = {row[0] for row in accounts}
    missing = [a for a in account_ids if a not in known]
    if missing:
        raise InvalidInput(f"No account {missing[0]}.", field="accountIds")
    if any(role != Role.AGENT for _, role in accounts):
        raise InvalidInput("Only agents belong to teams.", field="accountIds")
    async with in_transaction() as conn:
        await models.TeamMember.filter(team_id=team_id).using_db(conn).delete()
        await models.TeamMember.filter(account_id__in=account_ids).using_db(conn).delete()
        await models.TeamMember.bulk_create(
            [models.TeamMember(team_id=team_id, account_id=a) for a in dict.fromkeys(account_ids)],
            using_db=conn,
        )
    return team


async def create_queue(*, actor: Principal, name: str, team_id: int | None) -> models.Queue:
    name = clean_name(name, "name")
    if team_id is not None and not await models.Team.filter(id=team_id).exists():
        raise InvalidInput("No such team.", field="teamId")
    if await models.Queue.filter(name=name).exists():
        raise Conflict(f"A queue named {name!r} already exists.")
    return await models.Queue.create(name=name, team_id=team_id)


async def queue_ids(names: set[str], conn: BaseDBAsyncClient) -> dict[str, int]:
    """Ids of the queues with these names, creating the missing ones (call records name
    queues as they arrive). Safe under concurrent writers: ON CONFLICT DO NOTHING."""
    names = {name[:64] for name in names if name}
    if not names:
        return {}
    now = db_datetime(datetime.now(UTC), conn)
    await conn.execute_many(
        dialect(
            "INSERT INTO call_queue (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            conn,
        ),
        [[name, now] for name in sorted(names)],
    )
    rows = await models.Queue.filter(name__in=sorted(names)).using_db(conn).values("id", "name")
    return {row["name"]: row["id"] for row in rows}


async def teams_by_id(ids: list[int]) -> dict[int, models.Team]:
    return {t.id: t for t in await models.Team.filter(id__in=ids)}


async def queues_by_id(ids: list[int]) -> dict[int, models.Queue]:
    return {q.id: q for q in await models.Queue.filter(id__in=ids)}


async def members_by_team(ids: list[int]) -> dict[int, list[Account]]:
    """Each team's agents, by login name."""
    found: dict[int, list[Account]] = {i: [] for i in ids}
    for member in await models.TeamMember.filter(team_id__in=ids).prefetch_related("account"):
        found[member.team_id].append(member.account)
    for agents in found.values():
        agents.sort(key=lambda a: a.account)
    return found
