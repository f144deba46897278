"""QC results by completion date, paged (R-QC-1, R-QC-2)."""

from __future__ import annotations

from datetime import UTC, datetime

from app.accounts.models import Role
from app.qc import service
from app.qc.models import QcKind
from tests.support import SYSTEM, error_codes, operation


async def test_qc_results_by_completion_date_r_qc_1_2(gql, make_account):
    _, token = await make_account("qc", Role.AGENT, groups=[["qc.view"]])
    agent, _ = await make_account("agent1", Role.AGENT)
    agent.email = "agent1@example.com"
    await agent.save()

    def item(n, day, scheme=None):
        return service.QcInput(
            target_id=f"X{n}",
            target_started_at=datetime(2026, 3, day, 8, tzinfo=UTC),
            completed_at=datetime(2026, 3, day, 9, n, tzinfo=UTC),
            agent_account="agent1",
            full_score=100,
            score=80 + n,
            scheme_id=scheme,
            standard_full=80,
            standard_score=70,
            bonus_full=10,
            bonus_score=5 + n,
            deduction_full=10,
            deduction_score=-5,
        )

    await service.import_qc(
        actor=SYSTEM, kind=QcKind.ONLINE, items=[item(n, 2 + n % 3, "scheme-1") for n in range(25)]
    )
    await service.import_qc(actor=SYSTEM, kind=QcKind.CALL, items=[item(n, 2) for n in range(3)])
    first = await gql(
        operation("reports/OnlineQcResults"),
        {"from": "2026-03-02", "to": "2026-03-03", "pageSize": 10},
        token=token,
    )
    page = first["data"]["onlineQcResults"]
    assert page["total"] == 17  # n % 3 in (0, 1): 9 + 8
    assert len(page["rows"]) == 10
    assert page["rows"][0] == {
        "id": "X0",
        "startedAt": "2026-03-02T08:00:00+00:00",
        "completedAt": "2026-03-02T09:00:00+00:00",
        "agentName": "Agent1",
        "agentId": str(agent.id),
        "agentEmail": "agent1@example.com",
        "fullScore": 100.0,
        "score": 80.0,
        "standardFull": 80.0,
        "standardScore": 70.0,
        "bonusFull": 10.0,
        "bonusScore": 5.0,
        "deductionFull": 10.0,
        "deductionScore": -5.0,
        "schemeId": "scheme-1",
    }
    last = await gql(
        operation("reports/OnlineQcResults"),
        {"from": "2026-03-02", "to": "2026-03-03", "pageSize": 10, "page": 2},
        token=token,
    )
    assert len(last["data"]["onlineQcResults"]["rows"]) == 7
    calls_page = await gql(
        operation("reports/CallQcResults"), {"from": "2026-03-02", "to": "2026-03-02"}, token=token
    )
    assert calls_page["data"]["callQcResults"]["total"] == 3
    too_big = await gql(
        operation("reports/CallQcResults"),
        {"from": "2026-03-02", "to": "2026-03-02", "pageSize": 101},
        token=token,
    )
    assert too_big["errors"][0]["extensions"]["field"] == "pageSize"
    agent_token = (await make_account("plain", Role.AGENT))[1]
    refused = await gql(
        operation("reports/CallQcResults"),
        {"from": "2026-03-02", "to": "2026-03-02"},
        token=agent_token,
    )
    assert error_codes(refused) == ["FORBIDDEN"]
