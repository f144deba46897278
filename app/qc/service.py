"""QC result imports (idempotent by kind and session or call id) and the paged reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.checks import aware, batch_size
from app.db import counts, upsert_by_key
from app.directory import agents
from app.errors import InvalidInput
from app.events import log
from app.qc import models

MAX_QC_PAGE = 100
_SCORES = (
    "full_score",
    "score",
    "standard_full",
    "standard_score",
    "bonus_full",
    "bonus_score",
    "deduction_full",
    "deduction_score",
)


@dataclass
class QcInput:
    target_id: str
    target_started_at: datetime
    completed_at: datetime
    agent_account: str | None
    full_score: float
    score: float
    scheme_id: str | None = None
    standard_full: float = 0
    standard_score: float = 0
    bonus_full: float = 0
    bonus_score: float = 0
    deduction_full: float = 0
    deduction_score: float = 0


def _row(kind: models.QcKind, item: QcInput, where: str, agent_id: int | None) -> dict:
    if not item.target_id or len(item.target_id) > 64:
        raise InvalidInput("The session or call id is 1-64 characters.", field=f"{where}.id")
    started = aware(item.target_started_at, f"{where}.startedAt")
    completed = aware(item.completed_at, f"{where}.completedAt")
    if kind is models.QcKind.CALL and item.scheme_id:
        raise InvalidInput("Call QC results have no scheme id.", field=f"{where}.schemeId")
    for name in _SCORES:
        value = getattr(item, name)
        if value != value or abs(value) > 1e6:  # NaN or absurd
            raise InvalidInput(f"{name} is not a valid score.", field=f"{where}.{name}")
    if item.full_score < 0:
        raise InvalidInput("fullScore cannot be negative.", field=f"{where}.fullScore")
    return {
        "kind": kind,
        "target_id": item.target_id,
        "scheme_id": item.scheme_id,
        "agent_id": agent_id,
        "target_started_at": started,
        "completed_at": completed,
        **{name: getattr(item, name) for name in _SCORES},
    }


async def import_qc(
    *, actor: Principal, kind: models.QcKind, items: list[QcInput]
) -> tuple[int, int]:
    """Create or replace results by id. All or nothing."""
    batch_size(items, "results")
    checked = await agents.resolve(
        [i.agent_account for i in items], field=lambda n: f"results[{n}].agentAccount"
    )
    seen: set[str] = set()
    rows = []
    for n, (item, agent) in enumerate(zip(items, checked, strict=True)):
        row = _row(kind, item, f"results[{n}]", agent.id if agent else None)
        if item.target_id in seen:
            raise InvalidInput("Duplicate id in this batch.", field=f"results[{n}].id")
        rows.append(row)
        seen.add(item.target_id)
    async with in_transaction() as conn:
        outcome = await upsert_by_key(models.QcResult, rows, key=("kind", "target_id"), conn=conn)
        await log.append(
            conn,
            "qc.imported",
            None,
            {"kind": str(kind), "ids": sorted(seen)},
            actor=actor,
            source="import",
        )
    return counts(outcome)


async def qc_page(
    *, kind: models.QcKind, start: datetime, end: datetime, page: int, page_size: int
) -> tuple[int, list[models.QcResult]]:
    """QC results completed in [start, end), oldest first, ``page`` counted from 1."""
    if page < 1:
        raise InvalidInput("page starts at 1.", field="page")
    if not 1 <= page_size <= MAX_QC_PAGE:
        raise InvalidInput(f"pageSize must be 1-{MAX_QC_PAGE}.", field="pageSize")
    query = models.QcResult.filter(kind=kind, completed_at__gte=start, completed_at__lt=end)
    total = await query.count()
    rows = (
        await query.order_by("completed_at", "id")
        .offset((page - 1) * page_size)
        .limit(page_size)
        .prefetch_related("agent")
    )
    return total, rows
