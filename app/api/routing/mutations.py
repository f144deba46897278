"""Editing routing (settings.manage), agents' presence, and routeSession (integration.write)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.ids import parse_id, parse_optional_id
from app.api.permissions import requires, signed_in
from app.api.routing import types as t
from app.api.routing.inputs import (
    GroupMemberInput,
    ReceptionGroupInput,
    RouteSessionInput,
    RoutingRuleInput,
    RoutingSettingsInput,
    facts_of,
    group_data,
    ids_of,
    rule_data,
)
from app.errors import Forbidden, InvalidInput
from app.routing import models, router, service

_ID = strawberry.argument(description="The id.")


async def _group_answer(row: models.ReceptionGroup) -> t.ReceptionGroup:
    members = await models.ReceptionGroupMember.filter(group_id=row.id).order_by("id")
    return t.ReceptionGroup.of(row, list(members))


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create a reception group (R-CC-8). Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def create_reception_group(
        self,
        info: Info,
        input: Annotated[ReceptionGroupInput, strawberry.argument(description="The group.")],
    ) -> t.ReceptionGroup:
        row = await service.create_group(actor=info.context.actor, data=group_data(input),
                                         zone_default=info.context.settings.timezone)  # fmt: skip
        return await _group_answer(row)

    @strawberry.mutation(
        description="Replace a reception group's settings. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def update_reception_group(
        self,
        info: Info,
        id: Annotated[strawberry.ID, _ID],
        input: Annotated[ReceptionGroupInput, strawberry.argument(description="The group.")],
    ) -> t.ReceptionGroup:
        row = await service.update_group(actor=info.context.actor, group_id=parse_id(id),
                                         data=group_data(input),
                                         zone_default=info.context.settings.timezone)  # fmt: skip
        return await _group_answer(row)

    @strawberry.mutation(
        description="Delete a reception group no rule uses. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def delete_reception_group(self, info: Info, id: Annotated[strawberry.ID, _ID]) -> bool:
        await service.delete_group(actor=info.context.actor, group_id=parse_id(id))
        return True

    @strawberry.mutation(
        description="Replace a reception group's members. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def set_reception_group_members(
        self,
        info: Info,
        id: Annotated[strawberry.ID, _ID],
        members: Annotated[list[GroupMemberInput], strawberry.argument(description="Members.")],
    ) -> t.ReceptionGroup:
        group_id = parse_id(id)
        await service.set_members(actor=info.context.actor, group_id=group_id,
                                  members=[(m.account, m.max_sessions) for m in members])  # fmt: skip
        return await _group_answer(await models.ReceptionGroup.get(id=group_id))

    @strawberry.mutation(
        description="Create a routing rule (R-CC-9); a rule of only `any` conditions is valid. "
        "Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def create_routing_rule(
        self,
        info: Info,
        input: Annotated[RoutingRuleInput, strawberry.argument(description="The rule.")],
    ) -> t.RoutingRule:
        row = await service.save_rule(actor=info.context.actor, rule_id=None, data=rule_data(input),
                                      zone_default=info.context.settings.timezone)  # fmt: skip
        return t.RoutingRule.of(row)

    @strawberry.mutation(
        description="Replace a routing rule. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def update_routing_rule(
        self,
        info: Info,
        id: Annotated[strawberry.ID, _ID],
        input: Annotated[RoutingRuleInput, strawberry.argument(description="The rule.")],
    ) -> t.RoutingRule:
        row = await service.save_rule(actor=info.context.actor, rule_id=parse_id(id),
                                      data=rule_data(input),
                                      zone_default=info.context.settings.timezone)  # fmt: skip
        return t.RoutingRule.of(row)

    @strawberry.mutation(
        description="Delete a routing rule. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def delete_routing_rule(self, info: Info, id: Annotated[strawberry.ID, _ID]) -> bool:
        await service.delete_rule(actor=info.context.actor, rule_id=parse_id(id))
        return True

    @strawberry.mutation(
        description="Change the routing settings; omitted fields stay. Requires `settings.manage`.",
        extensions=[requires(Permission.SETTINGS_MANAGE)],
    )
    async def update_routing_settings(
        self,
        info: Info,
        input: Annotated[RoutingSettingsInput, strawberry.argument(description="The changes.")],
    ) -> t.RoutingSettings:
        groups = None if input.default_group_ids is None else ids_of(
            input.default_group_ids, "input.defaultGroupIds")  # fmt: skip
        row = await service.update_settings(actor=info.context.actor,
                                            no_agent_message=input.no_agent_message,
                                            default_group_ids=groups)  # fmt: skip
        return t.RoutingSettings.of(row)

    @strawberry.mutation(
        description="Set an agent's presence: your own when signed in; another agent's "
        "(`agentId`) with `sessions.manage` or `integration.write`.",
        extensions=[signed_in()],
    )
    async def set_agent_presence(
        self,
        info: Info,
        state: Annotated[t.Presence, strawberry.argument(description="The new state.")],
        agent_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Another agent.")
        ] = None,
    ) -> t.AgentPresence:
        actor = info.context.actor
        target = parse_optional_id(agent_id, field="agentId")
        if target is None:
            if actor.account is None:
                raise InvalidInput("Name the agent.", field="agentId")
            target = actor.account.id
        elif target != getattr(actor.account, "id", None) and not (
            actor.has(Permission.SESSIONS_MANAGE) or actor.has(Permission.INTEGRATION_WRITE)
        ):
            raise Forbidden("Setting another agent's presence needs sessions.manage.")
        from app.accounts.models import Account

        if not await Account.exists(id=target):
            raise InvalidInput("No such agent.", field="agentId")
        row = await service.set_presence(actor=actor, account_id=target, state=models.Presence(state.value),
                                         now=info.context.clock.now())  # fmt: skip
        return t.AgentPresence.of(row)

    @strawberry.mutation(
        description="Route a starting session (R-CC-8, R-CC-9): across the groups it names (up "
        "to three, in order), else the first matching routing rule's, else the default groups. "
        "The decision is stored on the session. Requires `integration.write`.",
        extensions=[requires(Permission.INTEGRATION_WRITE)],
    )
    async def route_session(
        self,
        info: Info,
        input: Annotated[RouteSessionInput, strawberry.argument(description="The session.")],
    ) -> t.RoutingDecision:
        routed = await router.route_session(
            actor=info.context.actor,
            session_id=input.session_id,
            channel=input.channel.value if input.channel else None,
            group_ids=ids_of(input.group_ids or [], "input.groupIds"),
            facts=facts_of(input, info.context.clock.now()),
            now=info.context.clock.now(),
        )
        return t.RoutingDecision.of(routed.decision)
