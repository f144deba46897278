"""Role x operation matrix of the contact-center record and reports (R-AUTH-3).

Roles: anonymous, plain agent, reporter (agent + reports.view, qc.view), integration (agent +
integration.write), full admin, super admin. A refused operation answers UNAUTHENTICATED (no
token) or FORBIDDEN and changes nothing; an allowed one answers without errors.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.accounts.models import Role
from app.chat.models import ChatSession
from app.directory import contacts
from app.routing.models import ReceptionGroup, RoutingRule
from tests import support as dataset
from tests.support import assert_allowed, error_codes, operation, snapshot

ROLES = ["anonymous", "agent", "reporter", "integration", "full_admin", "super_admin"]
SIGNED_IN = set(ROLES) - {"anonymous"}
ADMINS = {"full_admin", "super_admin"}
REPORTS = ADMINS | {"reporter"}
INTEGRATION = ADMINS | {"integration"}
DAYS = {"from": "2026-03-02", "to": "2026-03-03"}


@dataclass(frozen=True)
class Op:
    name: str
    document: str
    allowed: set[str]
    variables: object = lambda w: {}


def doc(name: str) -> str:
    return operation(name)


OPS = [
    *[
        Op(n, doc(f"reports/{n}"), REPORTS, lambda w: DAYS)
        for n in (
            "CallReport",
            "AgentReport",
            "TeamReport",
            "AgentWorkStatusReport",
            "SatisfactionReport",
            "TicketSatisfactionReport",
            "OnlineQcResults",
            "CallQcResults",
        )
    ],
    Op("CallRecords", doc("reports/CallRecords"), SIGNED_IN),
    Op("ChatSessions", doc("reports/ChatSessions"), SIGNED_IN),
    Op("Tickets", doc("workspace/Tickets"), SIGNED_IN),
    Op("Teams", "{ teams { nodes { name members { account } } } }", SIGNED_IN),
    Op("Queues", "{ queues { nodes { name team { name } } } }", SIGNED_IN),
    Op("Contacts", '{ contacts(search: "138") { totalCount } }', SIGNED_IN),
    Op("TicketSatisfactionSettings", "{ ticketSatisfactionSettings { enabled } }", ADMINS),
    Op(
        "ImportCallRecords",
        doc("integration/ImportCallRecords"),
        INTEGRATION,
        lambda w: {
            "records": [
                dataset.call(
                    "N1", "N1", "INBOUND", "a", "2026-03-04T08:00:00Z", result="ABANDONED_IN_IVR"
                )
            ]
        },
    ),
    Op(
        "RecordCallEvent",
        doc("integration/RecordCallEvent"),
        INTEGRATION,
        lambda w: {
            "input": {
                "eventId": "e1",
                "type": "INCOMING",
                "callId": "L1",
                "occurredAt": "2026-03-04T08:00:00Z",
            }
        },
    ),
    Op(
        "RecordCallActivity",
        doc("integration/RecordCallActivity"),
        INTEGRATION,
        lambda w: {
            "input": {
                "eventId": "act1",
                "type": "SMART_ACTION",
                "callId": "C1",
                "occurredAt": "2026-03-04T08:00:00Z",
                "action": "Verify",
                "succeeded": True,
                "outcome": {"verified": True},
            }
        },
    ),
    Op(
        "RecordSessionEvent",
        doc("integration/RecordSessionEvent"),
        INTEGRATION,
        lambda w: {
            "input": {
                "eventId": "s1",
                "type": "STARTED",
                "sessionId": "S1",
                "channel": "WEB",
                "occurredAt": "2026-03-04T08:00:00Z",
            }
        },
    ),
    Op(
        "ImportContacts",
        "mutation($c: [ContactInput!]!) { importContacts(contacts: $c) { created } }",
        INTEGRATION,
        lambda w: {"c": [{"name": "P", "externalId": "x1"}]},
    ),
    Op(
        "ImportChatSessions",
        'mutation { importChatSessions(sessions: [{sessionId: "S2", '
        'channel: SDK, startedAt: "2026-03-04T08:00:00Z"}]) { created } }',
        INTEGRATION,
    ),
    Op(
        "ImportAgentStatusIntervals",
        "mutation { importAgentStatusIntervals(intervals: "
        '[{agentAccount: "a", status: IDLE, startedAt: "2026-03-04T08:00:00Z", '
        'endedAt: "2026-03-04T09:00:00Z"}]) { created } }',
        INTEGRATION,
    ),
    Op(
        "ImportCallQcResults",
        'mutation { importCallQcResults(results: [{id: "C1", '
        'startedAt: "2026-03-02T10:00:00Z", completedAt: "2026-03-03T10:00:00Z", '
        "fullScore: 100, score: 90}]) { created } }",
        INTEGRATION,
    ),
    Op(
        "ImportOnlineQcResults",
        'mutation { importOnlineQcResults(results: [{id: "S9", '
        'startedAt: "2026-03-02T10:00:00Z", completedAt: "2026-03-03T10:00:00Z", '
        'schemeId: "s", fullScore: 100, score: 90}]) { created } }',
        INTEGRATION,
    ),
    Op(
        "ImportSatisfactionRatings",
        "mutation { importSatisfactionRatings(ratings: "
        '[{mainCallId: "C1", channel: PHONE, level: SATISFIED, '
        'ratedAt: "2026-03-02T12:00:00Z"}]) { created } }',
        INTEGRATION,
    ),
    Op("CreateTeam", 'mutation { createTeam(name: "T9") { id } }', ADMINS),
    Op(
        "SetTeamMembers",
        "mutation($t: ID!, $a: [ID!]!) { setTeamMembers(teamId: $t, accountIds: $a) { id } }",
        ADMINS,
        lambda w: {"t": w["team"], "a": [w["a"]]},
    ),
    Op("CreateQueue", 'mutation { createQueue(name: "q9") { id } }', ADMINS),
    Op(
        "CreateContact",
        'mutation { createContact(input: {name: "N", phones: ["13800000001"]}) { id } }',
        SIGNED_IN,
    ),
    Op(
        "UpdateContact",
        'mutation($id: ID!) { updateContact(id: $id, input: {name: "M"}) { id } }',
        ADMINS,
        lambda w: {"id": w["contact"]},
    ),
    Op("CreateTicket", 'mutation { createTicket(input: {subject: "s"}) { id } }', SIGNED_IN),
    Op(
        "UpdateTicketSatisfactionSettings",
        "mutation { updateTicketSatisfactionSettings("
        'enabled: true, channels: [EMAIL], question: "q") { enabled } }',
        ADMINS,
    ),
    Op("ZendeskSettings", doc("settings/ZendeskSettings"), ADMINS),
    Op(
        "UpdateZendeskSettings",
        doc("settings/UpdateZendeskSettings"),
        ADMINS,
        lambda w: {"input": {"batchWindowSeconds": 5}},
    ),
    Op("ZendeskSyncStatus", doc("settings/ZendeskSyncStatus"), ADMINS),
    Op("ZendeskDeadLetters", doc("settings/ZendeskDeadLetters"), ADMINS),
    Op("OutboundSettings", doc("settings/OutboundSettings"), ADMINS),
    Op(
        "UpdateOutboundSettings",
        doc("settings/UpdateOutboundSettings"),
        ADMINS,
        lambda w: {"input": {"allowNoTicket": True}},
    ),
    Op(
        "SetTeamOutboundSettings",
        doc("settings/SetTeamOutboundSettings"),
        ADMINS,
        lambda w: {"teamId": w["team"], "enabled": True, "required": False},
    ),
    Op("ReceptionGroups", doc("routing/ReceptionGroups"), ADMINS),
    Op(
        "CreateReceptionGroup",
        doc("routing/CreateReceptionGroup"),
        ADMINS,
        lambda w: {"input": {"name": "new group", "timeZone": "Asia/Shanghai"}},
    ),
    Op(
        "SetReceptionGroupMembers",
        doc("routing/SetReceptionGroupMembers"),
        ADMINS,
        lambda w: {"id": w["group"], "members": [{"account": "a", "maxSessions": 2}]},
    ),
    Op("RoutingRules", doc("routing/RoutingRules"), ADMINS),
    Op(
        "CreateRoutingRule",
        doc("routing/CreateRoutingRule"),
        ADMINS,
        lambda w: {
            "input": {
                "name": "r",
                "priority": 1,
                "groupIds": [w["group"]],
                "any": [{"field": "VIP", "operator": "EQUALS", "values": ["true"]}],
            }
        },
    ),  # fmt: skip
    Op("RoutingSettings", doc("routing/RoutingSettings"), ADMINS),
    Op(
        "UpdateRoutingSettings",
        doc("routing/UpdateRoutingSettings"),
        ADMINS,
        lambda w: {"input": {"noAgentMessage": "Later, please."}},
    ),
    Op(
        "EvaluateRoutingRules",
        doc("routing/EvaluateRoutingRules"),
        ADMINS,
        lambda w: {"input": {"channel": "WEB"}},
    ),
    Op(
        "RouteSession",
        doc("integration/RouteSession"),
        INTEGRATION,
        lambda w: {"input": {"sessionId": "S9", "groupIds": [w["group"]]}},
    ),
    Op(
        "SetAgentPresence",
        doc("workspace/SetAgentPresence"),
        SIGNED_IN,
        lambda w: {"state": "ONLINE"},
    ),
    Op(
        "OutboundCallOptions",
        doc("workspace/OutboundCallOptions"),
        SIGNED_IN,
        lambda w: {"phone": "13800138000"},
    ),
    Op(
        "StartOutboundCall",
        doc("workspace/StartOutboundCall"),
        SIGNED_IN,
        lambda w: {"input": {"choice": "NEW_TICKET", "phone": "13800138001"}},
    ),
]


@pytest.fixture
async def world(make_account):
    made = await dataset.build_contact_day(make_account)
    tokens = {"anonymous": None}
    _, tokens["agent"] = await make_account("plain", Role.AGENT)
    _, tokens["reporter"] = await make_account(
        "reporter", Role.AGENT, groups=[["reports.view", "qc.view"]]
    )
    _, tokens["integration"] = await make_account("pbx", Role.AGENT, groups=[["integration.write"]])
    _, tokens["full_admin"] = await make_account("full.admin", Role.FULL_ADMIN)
    _, tokens["super_admin"] = await make_account("super.admin", Role.SUPER_ADMIN)
    contact = await contacts.create_contact(
        actor=dataset.SYSTEM, data=contacts.ContactInput("C", ["13800138000"]), country_code="86"
    )
    await ChatSession.create(session_id="S9", channel="WEB", started_at="2026-03-02T10:00:00+00:00")
    group = await ReceptionGroup.create(name="front", time_zone="UTC")
    await RoutingRule.create(name="vip", priority=1, time_zone="UTC", group_ids=[group.id],
                             conditions={"all": [], "any": [
                                 {"field": "VIP", "operator": "EQUALS", "values": ["true"]}]})  # fmt: skip
    return {
        "group": str(group.id),
        "tokens": tokens,
        "team": str(made["T1"].id),
        "a": str(made["a"][0].id),
        "contact": str(contact.id),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
async def test_role_matrix(gql, world, op: Op, role: str):
    before = await snapshot()
    result = await gql(op.document, op.variables(world), token=world["tokens"][role])
    if role in op.allowed:
        await assert_allowed(op.document, result, before)
    else:
        expected = "UNAUTHENTICATED" if role == "anonymous" else "FORBIDDEN"
        assert error_codes(result) == [expected], result
        assert await snapshot() == before
