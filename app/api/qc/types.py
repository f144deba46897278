"""GraphQL types of QC results."""

from __future__ import annotations

from datetime import datetime

import strawberry

from app.api.common import gid
from app.qc import models


@strawberry.type(description="A quality-check result (R-QC-1/2).")
class QcResult:
    id: strawberry.ID = strawberry.field(description="The session id (online) or call id.")
    started_at: datetime = strawberry.field(description="When the session or call began (UTC).")
    completed_at: datetime = strawberry.field(description="When the QC was completed (UTC).")
    agent_name: str | None = strawberry.field(description="The agent's display name.")
    agent_id: strawberry.ID | None = strawberry.field(description="The agent's account id.")
    agent_email: str | None = strawberry.field(description="The agent's e-mail.")
    scheme_id: str | None = strawberry.field(description="The QC scheme (online results only).")
    full_score: float = strawberry.field(description="Full score.")
    score: float = strawberry.field(description="Score.")
    standard_full: float = strawberry.field(description="Standard items: full score.")
    standard_score: float = strawberry.field(description="Standard items: score.")
    bonus_full: float = strawberry.field(description="Bonus items: full score.")
    bonus_score: float = strawberry.field(description="Bonus items: score.")
    deduction_full: float = strawberry.field(description="Deduction items: full score.")
    deduction_score: float = strawberry.field(description="Deduction items: score.")

    @classmethod
    def from_model(cls, row: models.QcResult) -> QcResult:
        agent = row.agent
        return cls(
            id=strawberry.ID(row.target_id),
            started_at=row.target_started_at,
            completed_at=row.completed_at,
            agent_name=agent.display_name if agent else None,
            agent_id=gid(agent.id) if agent else None,
            agent_email=agent.email if agent else None,
            scheme_id=row.scheme_id,
            full_score=row.full_score,
            score=row.score,
            standard_full=row.standard_full,
            standard_score=row.standard_score,
            bonus_full=row.bonus_full,
            bonus_score=row.bonus_score,
            deduction_full=row.deduction_full,
            deduction_score=row.deduction_score,
        )


@strawberry.type(description="One page of QC results.")
class QcResultPage:
    total: int = strawberry.field(description="How many results the whole date range has.")
    rows: list[QcResult] = strawberry.field(description="This page, oldest completion first.")
