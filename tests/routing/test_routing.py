"""Routing through GraphQL (R-CC-8 overflow, R-CC-9 smart routing rules): reception groups,
presence, routeSession's decisions stored on the session, rules and their dry run, and bad
input refused with nothing changed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.accounts.models import Role
from app.chat.models import ChatSession
from app.delivery.clock import ManualClock
from app.events.models import DomainEvent
from tests.support import error_codes, operation, snapshot

# A Monday, 10:00 UTC = 18:00 in Shanghai.
MONDAY_10_UTC = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock(app):
    manual = ManualClock(MONDAY_10_UTC)
    view = app.state.graphql
    real, view.clock = view.clock, manual
    yield manual
    view.clock = real


@pytest.fixture
async def world(make_account, clock):
    tokens = {}
    for name in ("ann", "bob", "cat"):
        _, tokens[name] = await make_account(name, Role.AGENT)
    _, tokens["admin"] = await make_account("boss", Role.SUPER_ADMIN)
    _, tokens["pbx"] = await make_account("pbx", Role.AGENT, groups=[["integration.write"]])
    return tokens


async def ok(gql, name: str, variables: dict, token: str) -> dict:
    result = await gql(operation(name), variables, token=token)
    assert "errors" not in result, result
    return next(iter(result["data"].values()))


async def group(gql, w, name: str, members: list[tuple[str, int]], **settings) -> str:
    made = await ok(gql, "routing/CreateReceptionGroup", {"input": {"name": name, **settings}},
                    w["admin"])  # fmt: skip
    members_input = [{"account": a, "maxSessions": n} for a, n in members]
    await ok(gql, "routing/SetReceptionGroupMembers", {"id": made["id"], "members": members_input},
             w["admin"])  # fmt: skip
    return made["id"]


async def online(gql, w, *names: str) -> None:
    for name in names:
        await ok(gql, "workspace/SetAgentPresence", {"state": "ONLINE"}, w[name])


async def route(gql, w, session: str, groups: list[str] | None = None, **facts) -> dict:
    data = {"sessionId": session, **facts}
    if groups is not None:
        data["groupIds"] = groups
    return await ok(gql, "integration/RouteSession", {"input": data}, w["pbx"])


OFF_NOW = [{"day": "MON", "start": "11:00", "end": "18:00"}]  # 10:00 UTC Monday: closed


async def test_the_first_group_with_capacity_takes_the_session_and_skips_are_explained(gql, world):
    """R-CC-8: off hours, then nobody online, then the third level assigns."""
    w = world
    g1 = await group(gql, w, "closed", [("ann", 2)], timeZone="UTC", schedule=OFF_NOW)
    g2 = await group(gql, w, "empty", [("bob", 2)])  # bob is offline
    g3 = await group(gql, w, "open", [("cat", 2)])
    await online(gql, w, "ann", "cat")
    decision = await route(gql, w, "S1", [g1, g2, g3], channel="WEB")
    assert decision["outcome"] == "ASSIGNED" and decision["level"] == 3
    assert decision["groupId"] == g3 and decision["agent"]["account"] == "cat"
    assert [(s["level"], s["groupName"], s["reason"]) for s in decision["skipped"]] == [
        (1, "closed", "OFF_HOURS"),
        (2, "empty", "NOBODY_ONLINE"),
    ]
    await ChatSession.create(session_id="S1", channel="WEB", started_at=MONDAY_10_UTC)
    seen = await gql(
        '{ chatSession(id: "S1") { routingDecisions { outcome level groupId agent { account } '
        "skipped { reason } } } }",
        token=w["admin"],
    )
    assert seen["data"]["chatSession"]["routingDecisions"] == [
        {"outcome": "ASSIGNED", "level": 3, "groupId": g3, "agent": {"account": "cat"},
         "skipped": [{"reason": "OFF_HOURS"}, {"reason": "NOBODY_ONLINE"}]}
    ]  # fmt: skip
    event = await DomainEvent.filter(topic="routing.decided").first()
    assert event is not None and event.subject_id == "S1"


async def test_the_last_level_does_not_overflow_the_visitor_is_told_no_agent(gql, world):
    """R-CC-8: nobody anywhere: NO_AGENT with the configured answer."""
    w = world
    g1 = await group(gql, w, "one", [("ann", 1)])
    await ok(gql, "routing/UpdateRoutingSettings",
             {"input": {"noAgentMessage": "Nobody here, leave a note."}}, w["admin"])  # fmt: skip
    decision = await route(gql, w, "S2", [g1])
    assert decision["outcome"] == "NO_AGENT" and decision["level"] is None
    assert decision["message"] == "Nobody here, leave a note."
    assert [s["reason"] for s in decision["skipped"]] == ["NOBODY_ONLINE"]


async def test_busy_agents_overflow_unless_smart_judgement_lets_visitors_wait(gql, world):
    """R-CC-8: a routed session counts against the agent at once; all busy overflows; a group
    with a queue threshold queues visitors up to it, then overflows."""
    w = world
    busy = await group(gql, w, "busy", [("ann", 1)])
    queueing = await group(gql, w, "queueing", [("bob", 1)], maxQueueLength=2)
    await online(gql, w, "ann", "bob")
    first = await route(gql, w, "A", [busy, queueing])
    assert (first["outcome"], first["agent"]["account"]) == ("ASSIGNED", "ann")
    second = await route(gql, w, "B", [busy, queueing])
    assert (second["outcome"], second["level"], second["agent"]["account"]) == (
        "ASSIGNED",
        2,
        "bob",
    )
    assert [s["reason"] for s in second["skipped"]] == ["ALL_BUSY"]
    third = await route(gql, w, "C", [busy, queueing])
    fourth = await route(gql, w, "D", [busy, queueing])
    assert [(d["outcome"], d["queuePosition"]) for d in (third, fourth)] == [
        ("QUEUED", 1), ("QUEUED", 2)
    ]  # fmt: skip
    fifth = await route(gql, w, "E", [busy, queueing])
    assert fifth["outcome"] == "NO_AGENT"
    assert [s["reason"] for s in fifth["skipped"]] == ["ALL_BUSY", "QUEUE_FULL"]
    # ann's session ends: her slot is free again.
    await ChatSession.create(session_id="A", channel="WEB", started_at=MONDAY_10_UTC,
                             ended_at=MONDAY_10_UTC)  # fmt: skip
    again = await route(gql, w, "F", [busy, queueing])
    assert (again["outcome"], again["agent"]["account"]) == ("ASSIGNED", "ann")


async def test_schedules_follow_their_time_zone_and_holidays_close(gql, world, clock):
    """R-CC-8: 10:00 UTC Monday is 18:00 in Shanghai: a 09:00-18:00 group there is closed, one
    open until 18:30 is open; a holiday closes a group all day in its zone."""
    w = world
    await online(gql, w, "ann", "bob")
    shanghai = [{"day": "MON", "start": "09:00", "end": "18:00"}]
    late = [{"day": "MON", "start": "09:00", "end": "18:30"}]
    g1 = await group(gql, w, "sh", [("ann", 2)], timeZone="Asia/Shanghai", schedule=shanghai)
    g2 = await group(gql, w, "late", [("bob", 2)], timeZone="Asia/Shanghai", schedule=late)
    decision = await route(gql, w, "T1", [g1, g2])
    assert (decision["level"], [s["reason"] for s in decision["skipped"]]) == (2, ["OFF_HOURS"])
    clock.advance(-1)  # 17:59:59 in Shanghai
    assert (await route(gql, w, "T2", [g1, g2]))["level"] == 1
    holiday = await group(gql, w, "holiday", [("ann", 2)], timeZone="Asia/Shanghai",
                          holidays=["2026-03-02"])  # fmt: skip
    decision = await route(gql, w, "T3", [holiday, g2])
    assert [s["reason"] for s in decision["skipped"]] == ["HOLIDAY"]


RULE_VIP = {
    "name": "VIP or Chinese",
    "priority": 1,
    "any": [
        {"field": "VIP", "operator": "EQUALS", "values": ["true"]},
        {"field": "LANGUAGE", "operator": "STARTS_WITH", "values": ["zh"]},
    ],
}


async def test_rules_choose_the_groups_a_rule_of_only_or_conditions_saves(gql, world):
    """R-CC-9: an any-only rule is saved and routes; the first matching rule by priority wins;
    a disabled rule never matches; the dry run says why."""
    w = world
    await online(gql, w, "ann", "bob")
    vip = await group(gql, w, "vip", [("ann", 2)])
    general = await group(gql, w, "general", [("bob", 2)])
    rule = await ok(gql, "routing/CreateRoutingRule",
                    {"input": {**RULE_VIP, "groupIds": [vip]}}, w["admin"])  # fmt: skip
    assert rule["all"] == [] and len(rule["any"]) == 2
    await ok(gql, "routing/CreateRoutingRule", {"input": {
        "name": "SDK", "priority": 5, "groupIds": [general],
        "all": [{"field": "CHANNEL", "operator": "IN", "values": ["SDK", "WEB"]}]}},
        w["admin"])  # fmt: skip
    assert (await route(gql, w, "R1", vip=True, channel="SDK"))["groupId"] == vip
    assert (await route(gql, w, "R2", language="zh-CN"))["groupId"] == vip
    routed = await route(gql, w, "R3", channel="SDK", language="en")
    assert routed["groupId"] == general
    dry = await ok(gql, "routing/EvaluateRoutingRules",
                   {"input": {"channel": "SDK", "language": "en"}}, w["admin"])  # fmt: skip
    assert dry["matchedRule"]["name"] == "SDK"
    assert [e["matched"] for e in dry["evaluations"]] == [False, True]
    assert all(e["reasons"] for e in dry["evaluations"])
    await ok(gql, "routing/UpdateRoutingRule",
             {"id": rule["id"], "input": {**RULE_VIP, "groupIds": [vip], "enabled": False}},
             w["admin"])  # fmt: skip
    assert (await route(gql, w, "R4", vip=True, channel="SDK"))["groupId"] == general
    nothing = await route(gql, w, "R5", channel="EMAIL")  # no rule, no default groups
    assert nothing["outcome"] == "NO_AGENT" and nothing["ruleId"] is None


async def test_a_rules_agent_is_tried_first_then_its_groups(gql, world):
    """R-CC-9: a rule's target agent (level 0), falling back to its groups."""
    w = world
    fallback = await group(gql, w, "fallback", [("bob", 2)])
    await ok(gql, "routing/CreateRoutingRule", {"input": {
        "name": "ann's", "priority": 1, "targetAgent": "ann", "groupIds": [fallback],
        "all": [{"field": "TAGS", "operator": "CONTAINS", "values": ["ann-customer"]}]}},
        w["admin"])  # fmt: skip
    await online(gql, w, "bob")
    decision = await route(gql, w, "P1", tags=["ann-customer"])
    assert (decision["level"], decision["agent"]["account"]) == (1, "bob")
    assert [(s["level"], s["reason"]) for s in decision["skipped"]] == [(0, "AGENT_UNAVAILABLE")]
    await online(gql, w, "ann")
    decision = await route(gql, w, "P2", tags=["ann-customer"])
    assert (decision["level"], decision["agent"]["account"]) == (0, "ann")


BAD = [
    ("routing/CreateReceptionGroup", {"input": {"name": " "}}, "input.name"),
    ("routing/CreateReceptionGroup", {"input": {"name": "x", "timeZone": "Mars/Base"}},
     "input.timeZone"),
    ("routing/CreateReceptionGroup", {"input": {"name": "x", "schedule": [
        {"day": "MON", "start": "18:00", "end": "09:00"}]}}, "input.schedule[0].end"),
    ("routing/CreateReceptionGroup", {"input": {"name": "x", "schedule": [
        {"day": "MON", "start": "9am", "end": "18:00"}]}}, "input.schedule[0]"),
    ("routing/CreateReceptionGroup", {"input": {"name": "x", "holidays": ["2026-02-30"]}},
     "input.holidays[0]"),
    ("routing/CreateReceptionGroup", {"input": {"name": "x", "maxQueueLength": -1}},
     "input.maxQueueLength"),
    ("routing/CreateRoutingRule", {"input": {"name": "r", "priority": 1, "groupIds": ["{g}"]}},
     "input.all"),
    ("routing/CreateRoutingRule", {"input": {**RULE_VIP, "groupIds": []}}, "input.groupIds"),
    ("routing/CreateRoutingRule", {"input": {**RULE_VIP, "groupIds": ["{g}", "{g}"]}},
     "input.groupIds"),
    ("routing/CreateRoutingRule", {"input": {**RULE_VIP, "groupIds": ["999999"]}},
     "input.groupIds[0]"),
    ("routing/CreateRoutingRule", {"input": {**RULE_VIP, "groupIds": ["{g}"],
                                             "targetAgent": "nobody"}}, "input.targetAgent"),
    ("routing/CreateRoutingRule", {"input": {"name": "r", "priority": 1, "groupIds": ["{g}"],
     "any": [{"field": "CHANNEL", "operator": "EQUALS", "values": []}]}}, "input.any[0].values"),
    ("routing/UpdateRoutingSettings", {"input": {"defaultGroupIds": ["1", "2", "3", "4"]}},
     "input.defaultGroupIds"),
    ("routing/UpdateRoutingSettings", {"input": {"noAgentMessage": ""}}, "input.noAgentMessage"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "variables", "field"), BAD, ids=lambda v: str(v)[:40])
async def test_bad_settings_are_refused_naming_the_field_and_change_nothing(
    gql, world, name, variables, field
):
    w = world
    g = await group(gql, w, "g", [])
    text = str(variables).replace("{g}", g)
    before = await snapshot()
    result = await gql(operation(name), eval(text), token=w["admin"])  # noqa: S307 - test data
    assert error_codes(result) == ["BAD_USER_INPUT"], result
    assert result["errors"][0]["extensions"]["field"] == field, result
    assert await snapshot() == before


async def test_route_session_refuses_bad_input(gql, world):
    w = world
    for data, field in [
        ({"sessionId": ""}, "input.sessionId"),
        ({"sessionId": "S", "groupIds": ["1", "2", "3", "4"]}, "input.groupIds"),
        ({"sessionId": "S", "groupIds": ["x"]}, "input.groupIds[0]"),
        ({"sessionId": "S", "groupIds": ["424242"]}, "input.groupIds[0]"),
        ({"sessionId": "S", "tags": ["t" * 501]}, "input.tags[0]"),
    ]:
        before = await snapshot()
        result = await gql(operation("integration/RouteSession"), {"input": data}, token=w["pbx"])
        assert error_codes(result) == ["BAD_USER_INPUT"], (data, result)
        assert result["errors"][0]["extensions"]["field"] == field, result
        assert await snapshot() == before


async def test_agents_set_their_own_presence_only(gql, world):
    w = world
    mine = await ok(gql, "workspace/SetAgentPresence", {"state": "AWAY"}, w["ann"])
    assert mine["state"] == "AWAY" and mine["agent"]["account"] == "ann"
    again = await ok(gql, "workspace/SetAgentPresence", {"state": "AWAY"}, w["ann"])
    assert again["changedAt"] == mine["changedAt"]
    assert await DomainEvent.filter(topic="agent.presence_changed").count() == 1
    bob = await gql("{ me { id } }", token=w["bob"])
    result = await gql(operation("workspace/SetAgentPresence"),
                       {"state": "ONLINE", "agentId": bob["data"]["me"]["id"]}, token=w["ann"])  # fmt: skip
    assert error_codes(result) == ["FORBIDDEN"]
