"""Tickets (R-CC-2), the satisfaction survey (R-SAT-2) and contacts (R-CC-1)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from app.accounts.models import Role
from app.contact import models, satisfaction
from app.contact.phones import normalize_phone
from app.contact.tickets import TRANSITIONS
from app.errors import InvalidInput
from tests.conftest import error_codes
from tests.support import count_queries, operation, snapshot

CREATE = """mutation($input: CreateTicketInput!) { createTicket(input: $input) {
  id status assignee { account } customFields { name value } requester { name } } }"""
STATUS = operation("workspace/ChangeTicketStatus")
LIST = operation("workspace/Tickets")
COMMENT = """mutation($id: ID!, $body: String!, $public: Boolean!) {
  addTicketComment(id: $id, body: $body, public: $public) { id public author { account } } }"""
SUBMIT = """mutation($token: String!, $score: Int!, $comment: String) {
  submitTicketSatisfaction(token: $token, score: $score, comment: $comment) }"""


@pytest.fixture
async def people(make_account):
    _, manager = await make_account("manager", Role.FULL_ADMIN)
    agent, agent_token = await make_account("agent", Role.AGENT)
    other, other_token = await make_account("other", Role.AGENT)
    return {"manager": manager, "agent": agent_token, "other": other_token,
            "agent_id": agent.id, "other_id": other.id}


async def create(gql, token, **fields):
    result = await gql(CREATE, {"input": {"subject": "Printer on fire", **fields}}, token=token)
    assert "errors" not in result, result
    return result["data"]["createTicket"]


async def test_agent_ticket_is_assigned_to_them_and_hidden_from_others(gql, people):
    ticket = await create(gql, people["agent"], customFields=[{"name": "order", "value": "A-1"}])
    assert ticket["status"] == "NEW" and ticket["assignee"]["account"] == "agent"
    assert ticket["customFields"] == [{"name": "order", "value": "A-1"}]
    mine = await gql(LIST, {}, token=people["agent"])
    assert [n["id"] for n in mine["data"]["tickets"]["nodes"]] == [ticket["id"]]
    theirs = await gql(LIST, {}, token=people["other"])
    assert theirs["data"]["tickets"]["nodes"] == []
    hidden = await gql(STATUS, {"id": ticket["id"], "status": "OPEN"}, token=people["other"])
    assert error_codes(hidden) == ["NOT_FOUND"]
    everything = await gql(LIST, {}, token=people["manager"])
    assert everything["data"]["tickets"]["totalCount"] == 1


async def test_agent_cannot_assign_to_someone_else(gql, people):
    result = await gql(CREATE, {"input": {"subject": "x", "assigneeId": str(people["other_id"])}},
                       token=people["agent"])
    assert error_codes(result) == ["FORBIDDEN"]
    ok = await create(gql, people["manager"], assigneeId=str(people["other_id"]))
    assert ok["assignee"]["account"] == "other"


@pytest.mark.parametrize("start", list(models.TicketStatus))
async def test_transition_table(gql, people, start):
    """Every (from, to) pair: allowed moves succeed, the others are INVALID_TRANSITION and
    change nothing. CLOSED is final."""
    for target in models.TicketStatus:
        if target is start:
            continue
        ticket = await models.Ticket.create(subject="t", status=start)
        result = await gql(STATUS, {"id": str(ticket.id), "status": target}, token=people["manager"])
        if target in TRANSITIONS[start]:
            assert result["data"]["changeTicketStatus"]["status"] == target, (start, target)
        else:
            assert error_codes(result) == ["INVALID_TRANSITION"], (start, target)
            assert (await models.Ticket.get(id=ticket.id)).status is start
    assert TRANSITIONS[models.TicketStatus.CLOSED] == frozenset()


async def test_comments_merge_and_closed_is_final(gql, people):
    first = await create(gql, people["manager"])
    second = await create(gql, people["manager"])
    note = await gql(COMMENT, {"id": first["id"], "body": "internal", "public": False},
                     token=people["manager"])
    assert note["data"]["addTicketComment"]["public"] is False
    await gql(COMMENT, {"id": first["id"], "body": "hello customer", "public": True},
              token=people["manager"])
    merged = await gql("mutation($s: ID!, $t: ID!) { mergeTickets(sourceId: $s, targetId: $t) "
                       "{ status mergedIntoId } }", {"s": first["id"], "t": second["id"]},
                       token=people["manager"])
    assert merged["data"]["mergeTickets"] == {"status": "CLOSED", "mergedIntoId": second["id"]}
    target = await models.TicketComment.filter(ticket_id=int(second["id"])).order_by("id")
    assert [c.body for c in target] == ["[merged from #%s] internal" % first["id"],
                                        "[merged from #%s] hello customer" % first["id"]]
    assert not any(c.public for c in target)
    refused = await gql(COMMENT, {"id": first["id"], "body": "late", "public": True},
                        token=people["manager"])
    assert error_codes(refused) == ["TICKET_CLOSED"]


async def test_ticket_list_is_a_constant_number_of_statements(gql, people, make_account):
    """Tickets with requester (and its phones), assignee and comments: same statements for 2
    and for 30 tickets."""
    counts = []
    for n in range(30):
        contact = await models.Contact.create(name=f"C{n}")
        await models.ContactPhone.create(contact=contact, e164=f"+86138000000{n:02d}")
        ticket = await models.Ticket.create(subject=f"T{n}", requester=contact,
                                            assignee_id=people["agent_id"])
        await models.TicketComment.create(ticket=ticket, body="c", public=True,
                                          author_id=people["agent_id"])
    for first in (2, 30):
        with count_queries() as queries:
            result = await gql(LIST, {"first": first}, token=people["manager"])
        assert len(result["data"]["tickets"]["nodes"]) == first
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10, counts


# --- ticket satisfaction (R-SAT-2) ---

async def _solved_with_survey(gql, people, channel="EMAIL"):
    await satisfaction.update_settings(enabled=True, channels=["EMAIL", "H5"],
                                       question="How did we do? <b>", valid_days=30)
    ticket = await create(gql, people["manager"], channel=channel)
    result = await gql(STATUS, {"id": ticket["id"], "status": "SOLVED"}, token=people["manager"])
    return ticket, result["data"]["changeTicketStatus"]["satisfaction"]


async def test_solving_sends_an_invitation_once(gql, people, settings):
    ticket, survey = await _solved_with_survey(gql, people)
    assert survey["surveyUrl"].startswith(f"{settings.public_url}/h5/surveys/")
    assert survey["score"] is None
    logged = [e for e in await models.DomainEvent.all().order_by("id")
              if e.topic == "ticket.status_changed"]
    assert logged[-1].payload["surveyUrl"] == survey["surveyUrl"]
    await gql(STATUS, {"id": ticket["id"], "status": "OPEN"}, token=people["manager"])
    again = await gql(STATUS, {"id": ticket["id"], "status": "SOLVED"}, token=people["manager"])
    assert again["data"]["changeTicketStatus"]["satisfaction"]["surveyUrl"] == survey["surveyUrl"]
    assert await models.TicketSatisfactionInvitation.all().count() == 1


async def test_no_invitation_when_disabled_or_other_channel(gql, people):
    _, survey = await _solved_with_survey(gql, people, channel="PHONE")
    assert survey is None
    await satisfaction.update_settings(enabled=False, channels=["EMAIL"], question="q",
                                       valid_days=1)
    ticket = await create(gql, people["manager"], channel="EMAIL")
    result = await gql(STATUS, {"id": ticket["id"], "status": "SOLVED"}, token=people["manager"])
    assert result["data"]["changeTicketStatus"]["satisfaction"] is None


async def test_submit_through_graphql_replaces_the_answer(gql, people):
    _, survey = await _solved_with_survey(gql, people)
    token = survey["surveyUrl"].rsplit("/", 1)[1]
    assert (await gql(SUBMIT, {"token": token, "score": 2}))["data"]["submitTicketSatisfaction"]
    await gql(SUBMIT, {"token": token, "score": 5, "comment": "great"})
    row = await models.TicketSatisfactionInvitation.get()
    assert (row.score, row.comment) == (5, "great")
    bad_score = await gql(SUBMIT, {"token": token, "score": 6})
    assert bad_score["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "score"}


async def test_unknown_forged_and_expired_tokens_get_one_error(gql, people):
    _, survey = await _solved_with_survey(gql, people)
    token = survey["surveyUrl"].rsplit("/", 1)[1]
    invitation_id = token.split(".")[0]
    forged = f"{int(invitation_id) + 1}.{token.split('.')[1]}"
    row = await models.TicketSatisfactionInvitation.get()
    for bad in ("nonsense", forged, token[:-2] + "xx", ""):
        result = await gql(SUBMIT, {"token": bad, "score": 3})
        assert error_codes(result) == ["SURVEY_UNAVAILABLE"], bad
    row.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    await row.save()
    assert error_codes(await gql(SUBMIT, {"token": token, "score": 3})) == ["SURVEY_UNAVAILABLE"]


async def test_h5_survey_page_get_and_post(client, gql, people):
    ticket, survey = await _solved_with_survey(gql, people)
    path = survey["surveyUrl"].split("://", 1)[1].split("/", 1)[1]
    page = await client.get(f"/{path}")
    assert page.status_code == 200
    assert "form-action 'self'" in page.headers["content-security-policy"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "How did we do? &lt;b&gt;" in page.text  # the question is escaped
    assert "<script" not in page.text
    assert len(re.findall(r'type="radio" name="score"', page.text)) == 5
    posted = await client.post(f"/{path}", data={"score": "4", "comment": "ok <i>"})
    assert posted.status_code == 200 and "Thank you" in posted.text
    assert "ok &lt;i&gt;" in posted.text
    row = await models.TicketSatisfactionInvitation.get()
    assert (row.score, row.comment) == (4, "ok <i>")
    invalid = await client.post(f"/{path}", data={"score": "9"})
    assert invalid.status_code == 400 and "1-5" in invalid.text
    missing = await client.get("/h5/surveys/1.forged")
    assert missing.status_code == 404 and "expired" in missing.text
    assert "form-action 'self'" in missing.headers["content-security-policy"]


async def test_survey_settings_need_settings_manage(gql, people):
    query = "{ ticketSatisfactionSettings { enabled channels question validDays } }"
    assert error_codes(await gql(query, token=people["agent"])) == ["FORBIDDEN"]
    result = await gql(query, token=people["manager"])
    assert result["data"]["ticketSatisfactionSettings"]["enabled"] is False
    bad = await gql("mutation { updateTicketSatisfactionSettings(enabled: true, channels: [PHONE], "
                    "question: \"q\") { enabled } }", token=people["manager"])
    assert bad["errors"][0]["extensions"]["field"] == "channels"


# --- contacts (R-CC-1) ---

@pytest.mark.parametrize("raw, expected", [
    ("138 0013 8000", "+8613800138000"),
    ("+86 138-0013-8000", "+8613800138000"),
    ("0086 13800138000", "+8613800138000"),
    ("8613800138000", "+8613800138000"),
    ("010-6552 9988", "+861065529988"),
    ("+1 (415) 555-0100", "+14155550100"),
])
def test_phone_numbers_are_normalized_to_e164(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "+12", "+1234567890123456", "00"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(InvalidInput):
        normalize_phone(raw)


async def test_contacts_are_found_by_any_of_their_identifiers(gql, people):
    create_contact = """mutation($input: ContactInput!) { createContact(input: $input) {
      id phones email externalId } }"""
    made = await gql(create_contact, {"input": {
        "name": "王小明", "phones": ["138 0013 8000", "+86 10 6552 9988"],
        "email": "Ming@Example.com", "externalId": "crm-42"}}, token=people["agent"])
    contact = made["data"]["createContact"]
    assert contact["phones"] == ["+8613800138000", "+861065529988"]
    assert contact["email"] == "ming@example.com"
    await gql(create_contact, {"input": {"name": "Someone else", "phones": ["13900000000"]}},
              token=people["agent"])
    search = "query($s: String) { contacts(search: $s) { nodes { id } } }"
    for term in ("小明", "ming@example.com", "crm-42", "+8613800138000", "138-0013-8000",
                 "0086 10 6552 9988"):
        found = await gql(search, {"s": term}, token=people["agent"])
        assert [n["id"] for n in found["data"]["contacts"]["nodes"]] == [contact["id"]], term
    duplicate = await gql(create_contact, {"input": {"name": "x", "externalId": "crm-42"}},
                          token=people["agent"])
    assert error_codes(duplicate) == ["CONFLICT"]
    bad = await gql(create_contact, {"input": {"name": "x", "phones": ["12ab"]}},
                    token=people["agent"])
    assert bad["errors"][0]["extensions"]["field"] == "phones[0]"


async def test_import_contacts_is_idempotent_and_all_or_nothing(gql, make_account):
    _, token = await make_account("crm", Role.AGENT, groups=[["integration.write"]])
    mutation = "mutation($c: [ContactInput!]!) { importContacts(contacts: $c) { created updated } }"
    batch = [{"name": f"P{n}", "externalId": f"e{n}", "phones": [f"1390000000{n}"]}
             for n in range(3)]
    assert (await gql(mutation, {"c": batch}, token=token))["data"]["importContacts"] == {
        "created": 3, "updated": 0}
    batch[0]["name"] = "Renamed"
    assert (await gql(mutation, {"c": batch}, token=token))["data"]["importContacts"] == {
        "created": 0, "updated": 3}
    before = await snapshot()
    broken = batch + [{"name": "Bad", "externalId": "e9", "phones": ["nope"]}]
    result = await gql(mutation, {"c": broken}, token=token)
    assert result["errors"][0]["extensions"]["field"] == "contacts[3].phones[0]"
    assert await snapshot() == before
