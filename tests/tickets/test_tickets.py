"""Tickets (R-CC-2): who sees and assigns them, the transition table, comments, merging, and
a constant number of statements per list page."""

from __future__ import annotations

import pytest

from app.directory.models import Contact, ContactPhone
from app.tickets import models
from app.tickets.transitions import TRANSITIONS
from tests.support import CREATE_TICKET as CREATE
from tests.support import count_queries, create_ticket, error_codes, operation

STATUS = operation("workspace/ChangeTicketStatus")
LIST = operation("workspace/Tickets")
COMMENT = """mutation($id: ID!, $body: String!, $public: Boolean!) {
  addTicketComment(id: $id, body: $body, public: $public) { id public author { account } } }"""


async def create(gql, token, **fields):
    return await create_ticket(gql, token, **fields)


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
    result = await gql(
        CREATE,
        {"input": {"subject": "x", "assigneeId": str(people["other_id"])}},
        token=people["agent"],
    )
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
        result = await gql(
            STATUS, {"id": str(ticket.id), "status": target}, token=people["manager"]
        )
        if target in TRANSITIONS[start]:
            assert result["data"]["changeTicketStatus"]["status"] == target, (start, target)
        else:
            assert error_codes(result) == ["INVALID_TRANSITION"], (start, target)
            assert (await models.Ticket.get(id=ticket.id)).status is start
    assert TRANSITIONS[models.TicketStatus.CLOSED] == frozenset()


async def test_comments_merge_and_closed_is_final(gql, people):
    first = await create(gql, people["manager"])
    second = await create(gql, people["manager"])
    note = await gql(
        COMMENT, {"id": first["id"], "body": "internal", "public": False}, token=people["manager"]
    )
    assert note["data"]["addTicketComment"]["public"] is False
    await gql(
        COMMENT,
        {"id": first["id"], "body": "hello customer", "public": True},
        token=people["manager"],
    )
    merged = await gql(
        "mutation($s: ID!, $t: ID!) { mergeTickets(sourceId: $s, targetId: $t) "
        "{ status mergedIntoId } }",
        {"s": first["id"], "t": second["id"]},
        token=people["manager"],
    )
    assert merged["data"]["mergeTickets"] == {"status": "CLOSED", "mergedIntoId": second["id"]}
    target = await models.TicketComment.filter(ticket_id=int(second["id"])).order_by("id")
    assert [c.body for c in target] == [
        "[merged from #{}] internal".format(first["id"]),
        "[merged from #{}] hello customer".format(first["id"]),
    ]
    assert not any(c.public for c in target)
    refused = await gql(
        COMMENT, {"id": first["id"], "body": "late", "public": True}, token=people["manager"]
    )
    assert error_codes(refused) == ["TICKET_CLOSED"]


async def test_ticket_list_is_a_constant_number_of_statements(gql, people, make_account):
    """Tickets with requester (and its phones), assignee and comments: same statements for 2
    and for 30 tickets."""
    counts = []
    for n in range(30):
        contact = await Contact.create(name=f"C{n}")
        await ContactPhone.create(contact=contact, e164=f"+86138000000{n:02d}")
        ticket = await models.Ticket.create(
            subject=f"T{n}", requester=contact, assignee_id=people["agent_id"]
        )
        await models.TicketComment.create(
            ticket=ticket, body="c", public=True, author_id=people["agent_id"]
        )
    for first in (2, 30):
        with count_queries() as queries:
            result = await gql(LIST, {"first": first}, token=people["manager"])
        assert len(result["data"]["tickets"]["nodes"]) == first
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10, counts
