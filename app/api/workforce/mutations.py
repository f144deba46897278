"""Agent status interval imports (integrations, `integration.write`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.common import ImportResult
from app.api.permissions import requires
from app.workforce import models, service

AgentStatus = models.AgentStatus
strawberry.enum(AgentStatus, description="An agent's status while logged in.")


@strawberry.input(description="Time an agent spent in one status (idempotent by agent and start).")
class AgentStatusIntervalInput:
    agent_account: str = strawberry.field(description="Login name.")
    status: AgentStatus = strawberry.field(description="IDLE, BUSY, ACW or BREAK.")
    started_at: datetime = strawberry.field(description="Start, with a time zone.")
    ended_at: datetime = strawberry.field(description="End, after the start.")


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        description="Import agent status intervals between login and logout. "
        "Requires `integration.write`.",
        extensions=[requires(Permission.INTEGRATION_WRITE)],
    )
    async def import_agent_status_intervals(
        self,
        info: Info,
        intervals: Annotated[
            list[AgentStatusIntervalInput], strawberry.argument(description="The intervals.")
        ],
    ) -> ImportResult:
        return ImportResult.of(
            await service.import_intervals(
                actor=info.context.actor,
                items=[
                    service.IntervalInput(
                        agent_account=i.agent_account,
                        status=i.status,
                        started_at=i.started_at,
                        ended_at=i.ended_at,
                    )
                    for i in intervals
                ],
            )
        )
