"""The call filter every call list and report takes (R-RPT-3), and report day ranges."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.api.ids import parse_id
from app.api.telephony.types import CallResult, CallType, HangupParty
from app.errors import InvalidInput
from app.reports.ranges import Range, day_range
from app.telephony import filters

FromDay = Annotated[
    date,
    strawberry.argument(
        name="from", description="First day, inclusive, in the business time zone."
    ),
]
ToDay = Annotated[
    date, strawberry.argument(description="Last day, inclusive, in the business time zone.")
]


@strawberry.input(
    description="Which call records to list or report on (R-RPT-3). Every field "
    "is optional; lists match any of their values."
)
class CallFilter:
    from_: date | None = strawberry.field(
        name="from",
        default=None,
        description=("First day (inclusive, business time zone) of the records' start."),
    )
    to: date | None = strawberry.field(default=None, description="Last day, inclusive.")
    agent_accounts: list[str] | None = strawberry.field(
        default=None, description=("Agents' login names; an unknown name is BAD_USER_INPUT.")
    )
    teams: list[strawberry.ID] | None = strawberry.field(default=None, description="Team ids.")
    queues: list[strawberry.ID] | None = strawberry.field(default=None, description="Queue ids.")
    call_types: list[CallType] | None = strawberry.field(default=None, description="Types.")
    hangup_parties: list[HangupParty] | None = strawberry.field(
        default=None, description="Who hung up."
    )
    results: list[CallResult] | None = strawberry.field(default=None, description="Results.")
    transferred_only: bool = strawberry.field(
        default=False, description=("Only records whose transfer flag is not NONE.")
    )
    main_only: bool = strawberry.field(default=False, description="Only main records.")


async def to_call_filter(flt: CallFilter | None, *, field: str = "filter") -> filters.CallFilter:
    if flt is None:
        return filters.CallFilter()

    def ids(values: list[strawberry.ID] | None, name: str) -> list[int] | None:
        if values is None:
            return None
        return [parse_id(v, field=f"{field}.{name}") for v in values]

    return filters.CallFilter(
        agent_ids=await filters.agent_ids(flt.agent_accounts, f"{field}.agentAccounts"),
        team_ids=ids(flt.teams, "teams"),
        queue_ids=ids(flt.queues, "queues"),
        call_types=flt.call_types,
        hangup_parties=flt.hangup_parties,
        results=flt.results,
        transferred_only=flt.transferred_only,
        main_only=flt.main_only,
    )


def report_range(info: Info, first: date, last: date) -> Range:
    return day_range(first, last, info.context.settings.timezone)


def optional_days(info: Info, first: date | None, last: date | None) -> Range | None:
    """A list's optional day range: both ends or neither."""
    if first is None and last is None:
        return None
    if first is None or last is None:
        raise InvalidInput("Give both `from` and `to`, or neither.", field="filter.from")
    return report_range(info, first, last)
