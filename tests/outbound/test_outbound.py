"""The agent's outbound-call flows (R-OUT-1..3) through GraphQL: what the outbound form shows for
0/1/many contacts and open tickets under each setting, and startOutboundCall's checks and
effects (a failed start changes nothing)."""

from __future__ import annotations

from app.outbound.models import OutboundCall
from app.tickets.models import TicketComment
from tests.support import create_ticket, error_codes, operation, snapshot

OPTIONS = operation("workspace/OutboundCallOptions")
START = operation("workspace/StartOutboundCall")
SETTINGS = operation("settings/OutboundSettings")
UPDATE = operation("settings/UpdateOutboundSettings")
TEAM = operation("settings/SetTeamOutboundSettings")
CONTACT = """mutation($input: ContactInput!) { createContact(input: $input) { id } }"""
MAKE_TEAM = """mutation($name: String!) { createTeam(name: $name) { id } }"""
MEMBERS = """mutation($team: ID!, $ids: [ID!]!) { setTeamMembers(teamId: $team, accountIds: $ids) { id } }"""
STATUS = operation("workspace/ChangeTicketStatus")
PHONE = "+8613800138000"


async def _contact(gql, token, name, phones=(PHONE,)) -> str:
    result = await gql(CONTACT, {"input": {"name": name, "phones": list(phones)}}, token=token)
    return result["data"]["createContact"]["id"]


async def _options(gql, token, **args) -> dict:
    result = await gql(OPTIONS, args, token=token)
    assert "errors" not in result, result
    return result["data"]["outboundCallOptions"]


async def test_the_form_follows_the_data_zero_one_or_many_contacts_and_tickets(gql, people):
    """R-OUT-2: placeholder when there is no number; one contact with its open tickets; several
    contacts sharing the number (the agent picks one first)."""
    agent, manager = people["agent"], people["manager"]
    empty = await _options(gql, agent)
    assert empty["number"] is None and empty["placeholder"] == "(415) 123-4567"
    assert empty["contacts"] == [] and empty["openTickets"] == []
    assert empty["choices"] == ["NEW_TICKET"]  # prompting (default), nothing open

    unknown = await _options(gql, agent, phone="138 0013 8000")
    assert unknown["number"] == PHONE and unknown["contacts"] == []

    one = await _contact(gql, manager, "Li Lei")
    open_ticket = await create_ticket(gql, agent, requesterId=one)
    solved = await create_ticket(gql, agent, requesterId=one)
    for status in ("OPEN", "SOLVED"):
        await gql(STATUS, {"id": solved["id"], "status": status}, token=agent)
    single = await _options(gql, agent, phone=PHONE)
    assert [c["name"] for c in single["contacts"]] == ["Li Lei"]
    assert [t["id"] for t in single["openTickets"]] == [open_ticket["id"]]
    assert single["choices"] == ["EXISTING_TICKET", "NEW_TICKET"]
    assert single["warning"] is None and single["prompt"] is True
    by_contact = await _options(gql, agent, contactId=one)
    assert by_contact["number"] == PHONE  # the contact's number when none is given

    await _contact(gql, manager, "Han Meimei")
    many = await _options(gql, agent, phone=PHONE)
    assert [c["name"] for c in many["contacts"]] == ["Han Meimei", "Li Lei"]  # newest first
    assert many["openTickets"] == []  # the agent picks a contact first


async def test_settings_decide_the_choices(gql, people):
    """R-OUT-1: no prompt → the newest open ticket is used; 'no ticket' with its warning; the
    entered number switch."""
    agent, manager = people["agent"], people["manager"]
    contact = await _contact(gql, manager, "Li Lei")
    older = await create_ticket(gql, agent, requesterId=contact)
    newer = await create_ticket(gql, agent, requesterId=contact)
    changed = await gql(
        UPDATE,
        {"input": {"promptTicketChoice": False, "allowNoTicket": True,
                   "allowEnteredNumber": False}},
        token=manager,
    )  # fmt: skip
    assert changed["data"]["updateOutboundSettings"]["allowNoTicket"] is True
    auto = await _options(gql, agent, contactId=contact)
    assert auto["prompt"] is False and auto["defaultTicket"]["id"] == newer["id"]
    assert auto["choices"] == ["EXISTING_TICKET", "NO_TICKET"]
    assert "recording" in auto["warning"] and auto["allowEnteredNumber"] is False

    started = await gql(START, {"input": {"choice": "EXISTING_TICKET", "contactId": contact}},
                        token=agent)  # fmt: skip
    assert started["data"]["startOutboundCall"]["ticketId"] == newer["id"] != older["id"]
    refused = await gql(START, {"input": {"choice": "NEW_TICKET", "contactId": contact}},
                        token=agent)  # fmt: skip
    assert error_codes(refused) == ["NOT_ALLOWED"]
    typed = await gql(START, {"input": {"choice": "NO_TICKET", "phone": "13900000001",
                                        "enteredNumber": True}}, token=agent)  # fmt: skip
    assert error_codes(typed) == ["NOT_ALLOWED"]
    agent_reads = await gql(SETTINGS, {}, token=agent)
    assert error_codes(agent_reads) == ["FORBIDDEN"]


async def test_starting_a_call_makes_or_links_the_ticket_and_notes_the_number(gql, people):
    """A new ticket for the contact; an existing pending ticket is set open (R-ZD-4); an entered
    number goes in the ticket note, never on the contact; solved tickets cannot be linked."""
    agent, manager = people["agent"], people["manager"]
    contact = await _contact(gql, manager, "Li Lei")
    made = await gql(START, {"input": {"choice": "NEW_TICKET", "contactId": contact,
                                       "callId": "OUT-1"}}, token=agent)  # fmt: skip
    call = made["data"]["startOutboundCall"]
    assert call["number"] == PHONE and call["callId"] == "OUT-1" and call["contactId"] == contact
    ticket = await gql(operation("workspace/TicketZendesk"), {"id": call["ticketId"]}, token=agent)
    assert ticket["data"]["ticket"]["status"] == "NEW"

    pending = await create_ticket(gql, agent, requesterId=contact)
    for status in ("OPEN", "PENDING"):
        await gql(STATUS, {"id": pending["id"], "status": status}, token=agent)
    linked = await gql(START, {"input": {"choice": "EXISTING_TICKET", "contactId": contact,
                                         "ticketId": pending["id"], "phone": "13900000009",
                                         "enteredNumber": True}}, token=agent)  # fmt: skip
    assert linked["data"]["startOutboundCall"]["number"] == "+8613900000009"
    shown = await gql(operation("workspace/TicketZendesk"), {"id": pending["id"]}, token=agent)
    assert shown["data"]["ticket"]["status"] == "OPEN"
    notes = [c.body for c in await TicketComment.filter(ticket_id=int(pending["id"]))]
    assert any("+8613900000009" in n and "not saved on the contact" in n for n in notes)
    phones = await _options(gql, agent, contactId=contact)
    assert phones["number"] == PHONE  # the contact's numbers are unchanged

    await gql(STATUS, {"id": pending["id"], "status": "SOLVED"}, token=agent)
    hidden = await create_ticket(gql, people["other"], requesterId=contact)
    before = await snapshot()
    refused = await gql(START, {"input": {"choice": "EXISTING_TICKET", "ticketId": pending["id"]}},
                        token=agent)  # fmt: skip
    assert error_codes(refused) == ["TICKET_NOT_LINKABLE"]
    again = await gql(START, {"input": {"choice": "NEW_TICKET", "contactId": contact,
                                        "callId": "OUT-1"}}, token=agent)  # fmt: skip
    assert error_codes(again) == ["CALL_EXISTS"]
    other = await gql(START, {"input": {"choice": "EXISTING_TICKET", "ticketId": hidden["id"]}},
                      token=agent)  # fmt: skip
    assert error_codes(other) == ["NOT_FOUND"]  # another agent's ticket looks missing
    bad = await gql(START, {"input": {"choice": "NEW_TICKET", "phone": "not a number"}},
                    token=agent)  # fmt: skip
    assert error_codes(bad) == ["BAD_USER_INPUT"]
    assert await snapshot() == before  # nothing half-written
    assert await OutboundCall.all().count() == 2


async def test_ticket_id_teams(gql, people):
    """R-OUT-3: the ticket id resolves the number and is required when set so; entering a
    number and click-to-dial are refused with a clear error."""
    agent, manager = people["agent"], people["manager"]
    team = (await gql(MAKE_TEAM, {"name": "Escalations"}, token=manager))["data"]["createTeam"]
    await gql(MEMBERS, {"team": team["id"], "ids": [str(people["agent_id"])]}, token=manager)
    bad = await gql(TEAM, {"teamId": team["id"], "enabled": False, "required": True},
                    token=manager)  # fmt: skip
    assert error_codes(bad) == ["BAD_USER_INPUT"]
    await gql(TEAM, {"teamId": team["id"], "enabled": True, "required": True}, token=manager)
    listed = await gql(SETTINGS, {}, token=manager)
    assert listed["data"]["outboundSettings"]["teams"] == [
        {"teamId": team["id"], "ticketIdEnabled": True, "ticketIdRequired": True}
    ]

    contact = await _contact(gql, manager, "Li Lei")
    ticket = await create_ticket(gql, agent, requesterId=contact)
    form = await _options(gql, agent, ticketId=ticket["id"])
    assert form["number"] == PHONE and form["ticketIdRequired"] is True
    assert form["allowEnteredNumber"] is False and form["choices"] == ["EXISTING_TICKET"]

    missing = await gql(START, {"input": {"choice": "NEW_TICKET", "phone": PHONE}}, token=agent)
    assert error_codes(missing) == ["BAD_USER_INPUT"]
    for flag in ("enteredNumber", "fromContact"):
        refused = await gql(START, {"input": {"choice": "EXISTING_TICKET", "ticketId": ticket["id"],
                                              flag: True}}, token=agent)  # fmt: skip
        assert error_codes(refused) == ["TICKET_ID_TEAM"]
        assert "ticket id" in refused["errors"][0]["message"]
    ok = await gql(START, {"input": {"choice": "EXISTING_TICKET", "ticketId": ticket["id"]}},
                   token=agent)  # fmt: skip
    assert ok["data"]["startOutboundCall"]["ticketId"] == ticket["id"]
