"""QC result pages by completion date (R-QC-1, R-QC-2). Require `qc.view`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.permissions import requires
from app.api.qc import types as t
from app.api.telephony.inputs import FromDay, ToDay, report_range
from app.qc import models, service

Page = Annotated[int, strawberry.argument(description="Page number from 1.")]
PageSize = Annotated[int, strawberry.argument(description="1-100 rows per page.")]


@strawberry.type
class Query:
    @strawberry.field(
        description="Online (chat) QC results completed in the date range "
        "(R-QC-1). Requires `qc.view`.",
        extensions=[requires(Permission.QC_VIEW)],
    )
    async def online_qc_results(
        self, info: Info, from_: FromDay, to: ToDay, page: Page = 1, page_size: PageSize = 20
    ) -> t.QcResultPage:
        return await _page(info, models.QcKind.ONLINE, from_, to, page, page_size)

    @strawberry.field(
        description="Call QC results completed in the date range (R-QC-2). Requires `qc.view`.",
        extensions=[requires(Permission.QC_VIEW)],
    )
    async def call_qc_results(
        self, info: Info, from_: FromDay, to: ToDay, page: Page = 1, page_size: PageSize = 20
    ) -> t.QcResultPage:
        return await _page(info, models.QcKind.CALL, from_, to, page, page_size)


async def _page(
    info: Info, kind: models.QcKind, first_day: date, last_day: date, page: int, page_size: int
) -> t.QcResultPage:
    rng = report_range(info, first_day, last_day)
    total, rows = await service.qc_page(
        kind=kind, start=rng.start, end=rng.end, page=page, page_size=page_size
    )
    return t.QcResultPage(total=total, rows=[t.QcResult.from_model(r) for r in rows])
