"""QC result imports (integrations, `integration.write`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.common import ImportResult
from app.api.permissions import requires
from app.qc import models, service


@strawberry.input(description="A QC result (R-QC-1/2), idempotent by id.")
class QcResultInput:
    id: str = strawberry.field(description="Session id (online) or call id.")
    started_at: datetime = strawberry.field(description="Session or call start.")
    completed_at: datetime = strawberry.field(description="QC completion.")
    agent_account: str | None = strawberry.field(default=None, description="Checked agent.")
    scheme_id: str | None = strawberry.field(default=None, description="Online results only.")
    full_score: float = strawberry.field(description="Full score.")
    score: float = strawberry.field(description="Score.")
    standard_full: float = strawberry.field(default=0, description="Standard items full.")
    standard_score: float = strawberry.field(default=0, description="Standard items score.")
    bonus_full: float = strawberry.field(default=0, description="Bonus items full.")
    bonus_score: float = strawberry.field(default=0, description="Bonus items score.")
    deduction_full: float = strawberry.field(default=0, description="Deduction items full.")
    deduction_score: float = strawberry.field(default=0, description="Deduction items score.")

    def to_domain(self) -> service.QcInput:
        return service.QcInput(
            target_id=self.id,
            target_started_at=self.started_at,
            completed_at=self.completed_at,
            agent_account=self.agent_account,
            scheme_id=self.scheme_id,
            full_score=self.full_score,
            score=self.score,
            standard_full=self.standard_full,
            standard_score=self.standard_score,
            bonus_full=self.bonus_full,
            bonus_score=self.bonus_score,
            deduction_full=self.deduction_full,
            deduction_score=self.deduction_score,
        )


Results = Annotated[list[QcResultInput], strawberry.argument(description="The results.")]


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        description="Import online (chat) QC results. Requires `integration.write`.",
        extensions=[requires(Permission.INTEGRATION_WRITE)],
    )
    async def import_online_qc_results(self, info: Info, results: Results) -> ImportResult:
        return ImportResult.of(
            await service.import_qc(
                actor=info.context.actor,
                kind=models.QcKind.ONLINE,
                items=[r.to_domain() for r in results],
            )
        )

    @strawberry.mutation(
        description="Import call QC results (no scheme id). Requires `integration.write`.",
        extensions=[requires(Permission.INTEGRATION_WRITE)],
    )
    async def import_call_qc_results(self, info: Info, results: Results) -> ImportResult:
        return ImportResult.of(
            await service.import_qc(
                actor=info.context.actor,
                kind=models.QcKind.CALL,
                items=[r.to_domain() for r in results],
            )
        )
