"""The call filters of every call list and report (R-RPT-3), in one place: as SQL for the
reports, as ORM conditions for the ``calls`` list and as a test of one record snapshot for the
live ``callEvents``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.queryset import QuerySet

from app.directory import agents
from app.telephony.models import TransferFlag


@dataclass
class CallFilter:
    agent_ids: list[int] | None = None
    team_ids: list[int] | None = None
    queue_ids: list[int] | None = None
    call_types: Sequence[str] | None = None
    hangup_parties: Sequence[str] | None = None
    results: Sequence[str] | None = None
    transferred_only: bool = False
    main_only: bool = False

    def apply_to(self, query: QuerySet[Any]) -> QuerySet[Any]:
        """The same conditions on an ORM queryset (the `calls` list)."""
        for column, values in (
            ("agent_id", self.agent_ids),
            ("team_id", self.team_ids),
            ("queue_id", self.queue_ids),
            ("call_type", self.call_types),
            ("hangup_party", self.hangup_parties),
            ("result", self.results),
        ):
            if values is not None:
                query = query.filter(
                    **{f"{column}__in": [str(v) if isinstance(v, str) else v for v in values]}
                )
        if self.transferred_only:
            query = query.exclude(transfer_flag=TransferFlag.NONE)
        if self.main_only:
            query = query.filter(is_main=True)
        return query

    def where(self, params: list, *, team_via_membership: bool = False) -> str:
        """`` AND ...`` conditions with ``?`` placeholders, their values appended to params."""
        clauses = []

        def within(column: str, values: list) -> None:
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)

        if self.agent_ids is not None:
            within("agent_id", self.agent_ids or [0])
        if self.team_ids is not None:
            if team_via_membership:
                ids = self.team_ids or [0]
                clauses.append(
                    "agent_id IN (SELECT account_id FROM team_member WHERE team_id IN "
                    f"({', '.join('?' * len(ids))}))"
                )
                params.extend(ids)
            else:
                within("team_id", self.team_ids or [0])
        if self.queue_ids is not None:
            within("queue_id", self.queue_ids or [0])
        for column, values in (
            ("call_type", self.call_types),
            ("hangup_party", self.hangup_parties),
            ("result", self.results),
        ):
            if values is not None:
                within(column, [str(v) for v in values] or [""])
        if self.transferred_only:
            clauses.append("transfer_flag <> 'NONE'")
        if self.main_only:
            clauses.append("is_main")
        return "".join(f" AND {c}" for c in clauses)

    def matches(self, record: dict[str, Any]) -> bool:
        """The same conditions on a record snapshot (app/telephony/snapshots.py): the live
        ``callEvents`` subscription."""
        for key, values in (
            ("agentId", self.agent_ids),
            ("teamId", self.team_ids),
            ("queueId", self.queue_ids),
        ):
            if values is not None and record.get(key) not in values:
                return False
        for key, texts in (
            ("callType", self.call_types),
            ("hangupParty", self.hangup_parties),
            ("result", self.results),
        ):
            if texts is not None and record.get(key) not in {str(v) for v in texts}:
                return False
        if self.transferred_only and record.get("transferFlag") == TransferFlag.NONE:
            return False
        return not (self.main_only and not record.get("isMain"))


async def agent_ids(names: list[str] | None, field: str) -> list[int] | None:
    """Login names to account ids. An unknown name is the caller's mistake, not an empty
    report."""
    if names is None:
        return None
    found = await agents.resolve(names, field=field)
    return [agent.id for agent in found if agent is not None]
