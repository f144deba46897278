"""Reading routing's settings, and the rules' dry run (settings.manage)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.permissions import requires
from app.api.routing import types as t
from app.api.routing.inputs import SessionFactsInput, facts_of
from app.routing import models, router, service


@strawberry.type
class Query:
    @strawberry.field(
        description="Every reception group by name, with its members. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def reception_groups(self) -> list[t.ReceptionGroup]:
        groups = await models.ReceptionGroup.all().order_by("name")
        members: dict[int, list[models.ReceptionGroupMember]] = {}
        for m in await models.ReceptionGroupMember.all().order_by("id"):
            members.setdefault(m.group_id, []).append(m)
        return [t.ReceptionGroup.of(g, members.get(g.id, [])) for g in groups]

    @strawberry.field(
        description="Every routing rule in the order routing tries them (priority, then id). "
        "Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def routing_rules(self) -> list[t.RoutingRule]:
        return [
            t.RoutingRule.of(r) for r in await models.RoutingRule.all().order_by("priority", "id")
        ]

    @strawberry.field(
        description="The routing settings. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def routing_settings(self) -> t.RoutingSettings:
        return t.RoutingSettings.of(await service.settings())

    @strawberry.field(
        description="A dry run (R-CC-9): which routing rule a session with these facts would "
        "match, and why each rule matches or not. Changes nothing. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def evaluate_routing_rules(
        self,
        info: Info,
        input: Annotated[SessionFactsInput, strawberry.argument(description="The facts.")],
    ) -> t.RuleDryRun:
        facts = facts_of(input, info.context.clock.now())
        evaluations = [
            t.RuleEvaluation(rule=t.RoutingRule.of(row), matched=v.matched, reasons=list(v.reasons))
            for row, v in await router.evaluate_rules(facts)
        ]
        matched = next((e.rule for e in evaluations if e.matched), None)
        return t.RuleDryRun(matched_rule=matched, evaluations=evaluations)
