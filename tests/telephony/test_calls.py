"""Call records: import validation and idempotency, visibility (R-AUTH-3), legs, filters, and a
constant number of SQL statements per page (R-CC-3..5)."""

from __future__ import annotations

import copy

import pytest

from app.accounts.models import Role
from app.events import log
from app.telephony import models
from app.telephony.importer import import_call_records
from tests import support as dataset
from tests.support import count_queries, error_codes, operation, snapshot

IMPORT = operation("integration/ImportCallRecords")
LIST = operation("reports/CallRecords")


@pytest.fixture
async def world(make_account):
    made = await dataset.build_contact_day(make_account)
    _, made["all"] = await make_account("viewer", Role.AGENT, groups=[["calls.view_all"]])
    _, made["integration"] = await make_account("pbx", Role.AGENT, groups=[["integration.write"]])
    return made


async def test_import_through_graphql_is_idempotent(gql, world):
    records = copy.deepcopy(dataset.CALLS[:2])
    records[0]["talkSeconds"] = 200
    result = await gql(IMPORT, {"records": records}, token=world["integration"])
    assert result["data"]["importCallRecords"] == {"created": 0, "updated": 2}
    assert (await models.CallRecord.get(call_id="C1")).talk_seconds == 200
    assert await models.CallRecord.all().count() == len(dataset.CALLS)
    new = dataset.call("N1", "N1", "INBOUND", "a", "2026-03-04T08:00:00Z", result="AGENT_NO_ANSWER")
    again = await gql(IMPORT, {"records": [new]}, token=world["integration"])
    assert again["data"]["importCallRecords"] == {"created": 1, "updated": 0}


BAD_RECORDS = [
    ({"agentAccount": "nobody"}, "agentAccount", "Unknown agent"),
    ({"mainCallId": "MISSING"}, "mainCallId", "neither stored nor in this batch"),
    ({"talkSeconds": 9999}, "talkSeconds", "longer than answeredAt to endedAt"),
    ({"endedAt": "2026-03-02T09:00:00Z"}, "endedAt", "before startedAt"),
    ({"startedAt": "2026-03-02T10:04:00"}, "startedAt", "time zone"),
    ({"callType": "INBOUND"}, "callType", "sub record"),
    ({"result": "THIRD_PARTY_ANSWERED"}, "result", "third-party legs"),
    ({"ringSeconds": -1}, "ringSeconds", "between 0"),
    ({"voicemailUrl": "https://x/v.mp3"}, "voicemailUrl", "voicemail is false"),
    ({"recordingUrl": "javascript:alert(1)"}, "recordingUrl", "http(s) URL"),
]


@pytest.mark.parametrize("change, field, message", BAD_RECORDS)
async def test_an_invalid_record_rejects_the_whole_batch(gql, world, change, field, message):
    good = dataset.call(
        "N1", "N1", "INBOUND", "a", "2026-03-04T08:00:00Z", result="ABANDONED_IN_IVR"
    )
    leg = {**dataset.CALLS[1], "id": "C1-9", **change}
    before = await snapshot()
    result = await gql(IMPORT, {"records": [good, leg]}, token=world["integration"])
    assert error_codes(result) == ["BAD_USER_INPUT"]
    extensions = result["errors"][0]["extensions"]
    assert extensions["field"] == f"records[1].{field}"
    assert extensions["recordErrors"][0]["record"] == 1
    assert extensions["recordErrors"][0]["id"] == "C1-9"
    assert message in extensions["recordErrors"][0]["message"]
    assert await snapshot() == before


async def test_every_bad_record_is_reported(gql, world):
    records = [{**dataset.CALLS[1], "id": f"L{n}", "agentAccount": "nobody"} for n in range(3)]
    records.append({**records[0]})  # duplicate id
    result = await gql(IMPORT, {"records": records}, token=world["integration"])
    errors = result["errors"][0]["extensions"]["recordErrors"]
    assert [(e["record"], e["field"]) for e in errors] == [
        (0, "agentAccount"),
        (1, "agentAccount"),
        (2, "agentAccount"),
        (3, "id"),
    ]


async def test_batch_limits(gql, world):
    too_many = [
        dataset.call(f"X{n}", f"X{n}", "INBOUND", None, "2026-03-04T08:00:00Z") for n in range(1001)
    ]
    result = await gql(IMPORT, {"records": too_many}, token=world["integration"])
    assert result["errors"][0]["extensions"]["field"] == "records"
    assert (await gql(IMPORT, {"records": []}, token=world["integration"]))["errors"]


async def test_sub_record_may_come_before_its_main_in_the_batch(gql, world):
    main = dataset.call("M", "M", "OUTBOUND", "a", "2026-03-04T08:00:00Z", result="BUSY")
    leg = dataset.call("M-1", "M", "MONITOR", "s", "2026-03-04T08:00:05Z")
    result = await gql(IMPORT, {"records": [leg, main]}, token=world["integration"])
    assert result["data"]["importCallRecords"]["created"] == 2
    assert (await models.CallRecord.get(call_id="M-1")).direction == "OUTBOUND"


async def test_import_writes_one_domain_event_per_batch(world):
    logged = await log.read()
    assert [e.topic for e in logged] == ["calls.imported"]
    assert logged[0].payload["callIds"] == [c["id"] for c in dataset.CALLS]


async def test_import_needs_integration_write(gql, world):
    result = await gql(IMPORT, {"records": dataset.CALLS[:1]}, token=world["a"][1])
    assert error_codes(result) == ["FORBIDDEN"]


async def _ids(gql, token, **variables):
    result = await gql(LIST, {"first": 100, **variables}, token=token)
    assert "errors" not in result, result
    return result["data"]["calls"]


async def test_agents_see_their_own_records_including_legs_r_auth_3(gql, world):
    page = await _ids(gql, world["b"][1])
    assert [n["id"] for n in page["nodes"]] == ["C2", "C1-2"]  # newest start first
    assert page["totalCount"] == 2
    c2, c1_2 = page["nodes"]
    assert c1_2["mainCall"] is None  # a's main record is not b's
    assert c2["subCalls"] == []  # a's transfer-consult leg and third-party legs are hidden
    a_page = await _ids(gql, world["a"][1])
    assert [n["id"] for n in a_page["nodes"]] == ["C5", "C2-2", "C1"]
    assert [s["id"] for s in a_page["nodes"][2]["subCalls"]] == []
    s_page = await _ids(gql, world["s"][1])
    assert [n["callType"] for n in s_page["nodes"]] == ["FORCE_DISCONNECT", "BARGE_IN", "MONITOR"]
    one = await gql("query($id: ID!) { call(id: $id) { id } }", {"id": "C1"}, token=world["b"][1])
    assert one["data"]["call"] is None


async def test_view_all_sees_every_record_with_legs(gql, world):
    page = await _ids(gql, world["all"], filter={"mainOnly": True})
    assert [n["id"] for n in page["nodes"]] == ["C6", "C5", "C4", "C3", "C2", "C1"]
    c1 = page["nodes"][-1]
    assert [s["id"] for s in c1["subCalls"]] == ["C1-4", "C1-3", "C1-2"]  # start order
    assert {s["callType"] for s in c1["subCalls"]} == {"MONITOR", "CONSULT_AGENT", "TRANSFER_AGENT"}
    assert c1["mainCall"]["id"] == "C1"
    assert c1["queue"]["name"] == "q1" and c1["team"]["name"] == "T1"
    assert c1["transferFlag"] == "TRANSFERRED" and c1["consulted"] is True
    assert c1["recordingUrl"] == "https://rec.example/C1.mp3"
    leg = (
        await gql(
            'query { call(id: "C2-3") { id mainCall { id agentAccount } endedAt '
            "result hangupParty agentAccount } }",
            token=world["all"],
        )
    )["data"]["call"]
    assert leg == {
        "id": "C2-3",
        "mainCall": {"id": "C2", "agentAccount": "b"},
        "endedAt": "2026-03-02T11:32:20+00:00",
        "result": "THIRD_PARTY_UNREACHABLE",
        "hangupParty": "THIRD_PARTY",
        "agentAccount": None,
    }


@pytest.mark.parametrize(
    "flt, expected",
    [
        ({"callTypes": ["TRANSFER_AGENT", "TRANSFER_CONSULT"]}, ["C2-2", "C1-2"]),
        ({"hangupParties": ["FORCE_DISCONNECT"]}, ["C4-3", "C4"]),
        ({"results": ["VOICEMAIL"]}, ["C6"]),
        ({"transferredOnly": True}, ["C2", "C1"]),
        ({"agentAccounts": ["s"]}, ["C4-3", "C4-2", "C1-4"]),
        ({"from": "2026-03-03", "to": "2026-03-03", "mainOnly": True}, ["C6", "C5", "C4"]),
    ],
)
async def test_call_filters(gql, world, flt, expected):
    page = await _ids(gql, world["all"], filter=flt)
    assert [n["id"] for n in page["nodes"]] == expected


BY_START = sorted(dataset.CALLS, key=lambda c: (c["startedAt"], dataset.CALLS.index(c)))


@pytest.mark.parametrize("order", ["STARTED_AT_DESC", "STARTED_AT_ASC"])
async def test_pages_follow_the_order_and_cursors_stay_valid(gql, world, order):
    """Pages of 4 walk the whole list in start order (ties by id); a record arriving between
    pages does not disturb the cursor: it appears where the order puts it."""
    expected = [c["id"] for c in BY_START]
    if order == "STARTED_AT_DESC":
        expected.reverse()
    seen, after = [], None
    while True:
        page = await _ids(gql, world["all"], first=4, after=after, orderBy=order)
        seen += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        if len(seen) == 4:  # a late record starting before everything else
            late = dataset.call(
                "L0", "L0", "INBOUND", "a", "2026-03-01T00:00:00Z", result="AGENT_NO_ANSWER"
            )
            await import_call_records(actor=dataset.SYSTEM, records=[late])
    assert seen[:4] == expected[:4]
    if order == "STARTED_AT_DESC":
        assert seen[4:] == expected[4:] + ["L0"]  # the oldest comes last
    else:
        assert seen[4:] == expected[4:]  # it sorts before the cursor: not on later pages


async def test_a_cursor_of_another_order_or_list_is_refused(gql, world):
    page = await _ids(gql, world["all"], first=2)
    cursor = page["pageInfo"]["endCursor"]
    other = await gql(
        LIST, {"first": 2, "after": cursor, "orderBy": "STARTED_AT_ASC"}, token=world["all"]
    )
    assert other["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}
    for bad in ("pk:99999999999999999999999", "bm9wZQ", "e30=", "cGs6wrI="):
        result = await gql(LIST, {"first": 2, "after": bad}, token=world["all"])
        assert error_codes(result) == ["BAD_USER_INPUT"], bad


async def test_calls_page_is_a_constant_number_of_statements(gql, world, make_account):
    """Main records with subCalls, queue, team and agents: the same statements for a page of 2
    and a page of 20 (each loader runs once per nesting level, whatever the page size)."""
    extra = []
    for n in range(20):
        extra.append(
            dataset.call(
                f"E{n}",
                f"E{n}",
                "INBOUND",
                "a",
                "2026-03-04T08:00:00Z",
                queue=f"qq{n % 5}",
                result="AGENT_NO_ANSWER",
            )
        )
        extra.append(dataset.call(f"E{n}-1", f"E{n}", "CONSULT_AGENT", "b", "2026-03-04T08:00:01Z"))
    await import_call_records(actor=dataset.SYSTEM, records=extra)
    counts = []
    for first in (2, 20):
        with count_queries() as queries:
            page = await _ids(gql, world["all"], first=first, filter={"mainOnly": True})
        assert len(page["nodes"]) == first
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10, counts
