"""Reads of call records, filtered by who asks (R-AUTH-3)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.api.args import After, First, Id
from app.api.lists import ORDERS, CallOrder
from app.api.pagination import Connection
from app.api.permissions import signed_in
from app.api.telephony import types as t
from app.api.telephony.inputs import CallFilter, optional_days, to_call_filter
from app.api.telephony.views import SHAPE
from app.api.views import page_of
from app.telephony.visibility import visible_calls


@strawberry.type
class Query:
    @strawberry.field(
        description="Call records, main and legs, in `orderBy` order (newest start first "
        "unless asked otherwise). An agent sees the records where they are the agent "
        "(including legs they were consulted, transfer-consulted or transferred on); "
        "`calls.view_all` sees all.",
        extensions=[signed_in()],
    )
    async def calls(
        self,
        info: Info,
        filter: Annotated[
            CallFilter | None, strawberry.argument(description="Optional conditions.")
        ] = None,
        first: First = 20,
        after: After = None,
        order_by: Annotated[
            CallOrder, strawberry.argument(description="The order; cursors keep to it.")
        ] = CallOrder.STARTED_AT_DESC,
    ) -> Connection[t.CallRecord]:
        query = visible_calls(info.context.actor)
        flt = await to_call_filter(filter)
        rng = optional_days(info, filter.from_, filter.to) if filter else None
        if rng is not None:
            query = query.filter(
                started_epoch__gte=rng.start_epoch, started_epoch__lt=rng.end_epoch
            )
        query = flt.apply_to(query)
        return await page_of(info, query, SHAPE, first=first, after=after, order=ORDERS[order_by])

    @strawberry.field(
        description="One visible call record by its id, or null.", extensions=[signed_in()]
    )
    async def call(self, info: Info, id: Id) -> t.CallRecord | None:
        row = await visible_calls(info.context.actor).filter(call_id=str(id)).first()
        return t.CallRecord.from_model(row, info.context) if row else None
