"""The call rules of the integration guide against the fake Zendesk over real HTTP (R-ZD-1,
R-ZD-3..7, R-ZD-9, R-ZD-10): live call events go in through `recordCallEvent`, the worker runs
on the fake's manual clock, and what Zendesk ends up holding is read back through its API."""

from __future__ import annotations

from app.directory.models import Contact
from app.tickets.models import Ticket
from app.zendesk import models
from tests.support import (
    Answer,
    Receiver,
    call_event,
    operation,
    settle,
    zendesk_comments,
    zendesk_id,
)

FIELDS = operation("settings/CreateZendeskCustomFields")
UPDATE = operation("settings/UpdateZendeskSettings")
STATUS = operation("workspace/ChangeTicketStatus")
CONTACT = """mutation($input: ContactInput!) { createContact(input: $input) { id } }"""
PHONE = "+8613800138000"
RECORDING = b"ID3" + b"\x00" * 1021  # an MP3's first kilobyte, near enough


async def _call(gql, token, call_id, *, at="10:00", agent="agent", queue="Billing", phone=PHONE,
                talk=True, recording=None, language="zh-CN", minute_talk=1, during=None):  # fmt: skip
    """An inbound call: incoming, ringing, answered (unless talk=False), ended."""
    m = int(at[-2:])
    hour = at[:2]
    await call_event(gql, token, f"{call_id}-1", "INCOMING", call_id, f"{hour}:{m:02d}:00",
                     customerPhone=phone, queue=queue, language=language)  # fmt: skip
    await call_event(gql, token, f"{call_id}-2", "RINGING", call_id, f"{hour}:{m:02d}:02",
                     agentAccount=agent)  # fmt: skip
    if talk:
        await call_event(gql, token, f"{call_id}-3", "ANSWERED", call_id, f"{hour}:{m:02d}:05")
    if during is not None:  # while the call is on
        await during()
    end = f"{hour}:{m + minute_talk:02d}:05" if talk else f"{hour}:{m:02d}:07"
    extra = {"recordingUrl": recording} if recording else {}
    await call_event(gql, token, f"{call_id}-9", "ENDED", call_id, end, **extra)


async def _ticket_of(call_id: str) -> Ticket:
    row = await models.ZendeskCall.get(call_id=call_id)
    return await Ticket.get(id=row.ticket_id)


async def test_an_answered_call_gets_a_ticket_standard_data_and_the_end_of_call_update(
    gql, connected_gql, people, sync, zendesk_fake, zd
):
    """R-ZD-1 (new number → contact), R-ZD-5 (standard data, recording, call_finished),
    R-ZD-10 (fields at start and completion)."""
    token = people["manager"]
    created = await connected_gql(FIELDS, {}, token=token)
    assert "errors" not in created, created
    ids = {f["key"]: int(f["fieldId"]) for f in created["data"]["createZendeskCustomFields"]["sessionFields"]}  # fmt: skip
    with Receiver(lambda request: Answer(200, RECORDING, {"content-type": "audio/mpeg"})) as rec:
        await _call(gql, token, "C1", recording=rec.url("/rec/C1.mp3"),
                    during=lambda: settle(sync, zendesk_fake.clock, step=2))  # fmt: skip
        await settle(sync, zendesk_fake.clock, step=2)

    ticket = await _ticket_of("C1")
    contact = await Contact.get(id=ticket.requester_id)
    assert contact.name == PHONE  # a new number makes a contact (R-ZD-1)
    assert ticket.assignee_id == people["agent_id"] and ticket.menu_selection == "Billing"
    zid = await zendesk_id(gql, token, str(ticket.id))
    shown = (await zd.get(f"/tickets/{zid}.json")).json()["ticket"]
    requester = (await zd.get(f"/users/{shown['requester_id']}.json")).json()["user"]
    identities = (await zd.get(f"/users/{requester['id']}/identities.json")).json()
    assert [i["value"] for i in identities["identities"]] == [PHONE]
    assert "call_finished" in shown["tags"]
    values = {f["id"]: f["value"] for f in shown["custom_fields"]}
    assert values[ids["sessionType"]] == "call" and values[ids["callerNumber"]] == PHONE
    assert values[ids["sessionId"]] == "C1" and values[ids["queueName"]] == "Billing"
    assert values[ids["callDuration"]] == 65 and values[ids["waitTime"]] == 5
    assert values[ids["holdDuration"]] == 0

    notes = await zendesk_comments(zd, zid)
    assert all(c["public"] is False for c in notes)
    standard = next(c for c in notes if "Call id: C1" in c["body"])
    assert "Language: zh-CN" in standard["body"] and "Menu/queue: Billing" in standard["body"]
    end = notes[-1]
    assert "Call C1 finished" in end["body"] and "talk 60 s" in end["body"]
    assert [c["body"] for c in notes].index(standard["body"]) == 1  # right after creation
    assert "Call C1 finished" not in standard["body"]
    if end.get("attachments"):  # the recording, uploaded at send time
        assert end["attachments"][0]["file_name"] == "call-C1.mp3"
    assert len(rec.requests("/rec/C1.mp3")) == 1


async def test_calls_reuse_the_open_ticket_of_the_same_menu_and_a_call_back_attaches(
    gql, people, sync, zendesk_fake, zd
):
    """R-ZD-3 for calls (same customer, menu and channel while open in Zendesk), and "hang up and
    call back": a call shorter than 10 s followed by a call back within 10 minutes."""
    token = people["manager"]
    await _call(gql, token, "R1", at="10:00", queue="Billing")
    await settle(sync, zendesk_fake.clock, step=2)
    await _call(gql, token, "R2", at="10:05", queue="Billing")
    await settle(sync, zendesk_fake.clock, step=2)
    assert (await _ticket_of("R1")).id == (await _ticket_of("R2")).id

    await _call(gql, token, "R3", at="10:10", queue="Sales")  # another menu: a new ticket
    await settle(sync, zendesk_fake.clock, step=2)
    assert (await _ticket_of("R3")).id != (await _ticket_of("R1")).id

    # A 2-second call on Support, then a call back on another menu 1 minute later.
    await call_event(gql, token, "S1-1", "INCOMING", "S1", "10:20:00", customerPhone=PHONE,
                     queue="Support")  # fmt: skip
    await call_event(gql, token, "S1-2", "RINGING", "S1", "10:20:01", agentAccount="agent")
    await call_event(gql, token, "S1-3", "ANSWERED", "S1", "10:20:02")
    await call_event(gql, token, "S1-9", "ENDED", "S1", "10:20:04")
    await settle(sync, zendesk_fake.clock, step=2)
    await _call(gql, token, "S2", at="10:21", queue="Complaints")
    await settle(sync, zendesk_fake.clock, step=2)
    assert (await _ticket_of("S2")).id == (await _ticket_of("S1")).id

    # Solved in Zendesk: the next Billing call gets a new ticket (the status is re-read).
    zid = await zendesk_id(gql, token, str((await _ticket_of("R1")).id))
    (await zd.put(f"/tickets/{zid}.json", json={"ticket": {"status": "solved"}})).raise_for_status()
    await _call(gql, token, "R4", at="10:40", queue="Billing")  # past the call-back window
    await settle(sync, zendesk_fake.clock, step=2)
    assert (await _ticket_of("R4")).id != (await _ticket_of("R1")).id
    listed = (await zd.get("/tickets.json")).json()["tickets"]
    assert len(listed) == 4  # R1=R2, R3, S1=S2, R4


async def test_voicemail_always_makes_a_ticket_on_the_default_user_reused_by_a_later_call(
    gql, people, sync, zendesk_fake, zd
):
    """R-ZD-4: a voicemail ticket even when one is pending; the CRM default user; a later IVR
    call from the number is logged on it. Abandoned calls: a ticket only with the setting."""
    token = people["manager"]
    for n, minute in ((1, 0), (2, 5)):
        cid = f"V{n}"
        await call_event(gql, token, f"{cid}-1", "INCOMING", cid, f"10:{minute:02d}:00",
                         customerPhone=PHONE, queue="Billing")  # fmt: skip
        await call_event(gql, token, f"{cid}-2", "VOICEMAIL", cid, f"10:{minute:02d}:30",
                         voicemailUrl=f"https://files.example.com/vm/{cid}.mp3")  # fmt: skip
        await settle(sync, zendesk_fake.clock, step=2)
        if n == 1:
            zid = await zendesk_id(gql, token, str((await _ticket_of("V1")).id))
            (await zd.put(f"/tickets/{zid}.json",
                          json={"ticket": {"status": "pending"}})).raise_for_status()  # fmt: skip
    first, second = await _ticket_of("V1"), await _ticket_of("V2")
    assert first.id != second.id
    default = await Contact.get(id=first.requester_id)
    assert default.name == "CRM default user" and second.requester_id == default.id
    zid = await zendesk_id(gql, token, str(second.id))
    shown = (await zd.get(f"/tickets/{zid}.json")).json()["ticket"]
    assert shown["subject"] == f"Voicemail from {PHONE}"
    requester = (await zd.get(f"/users/{shown['requester_id']}.json")).json()["user"]
    assert requester["name"] == "CRM default user"

    await _call(gql, token, "V3", at="10:10", queue="Sales")  # reuses the newest open voicemail
    await settle(sync, zendesk_fake.clock, step=2)
    assert (await _ticket_of("V3")).id == second.id
    assert any("Call id: V3" in c["body"] for c in await zendesk_comments(zd, zid))

    # Abandoned: no ticket with the setting off (the default), one with it on.
    await call_event(
        gql, token, "A1-1", "INCOMING", "A1", "10:20:00", customerPhone="+8613900000001"
    )
    await call_event(gql, token, "A1-2", "ABANDONED", "A1", "10:20:09")
    await settle(sync, zendesk_fake.clock, step=2)
    assert (await models.ZendeskCall.get(call_id="A1")).ticket_id is None
    await gql(UPDATE, {"input": {"abandonedCallTickets": True}}, token=token)
    await call_event(
        gql, token, "A2-1", "INCOMING", "A2", "10:21:00", customerPhone="+8613900000001"
    )
    await call_event(gql, token, "A2-2", "ABANDONED", "A2", "10:21:09")
    await settle(sync, zendesk_fake.clock, step=2)
    abandoned = await _ticket_of("A2")
    assert abandoned.subject == "Abandoned call from +8613900000001"


async def test_an_outbound_call_attaches_to_the_open_latest_ticket_else_makes_one(
    gql, people, sync, zendesk_fake, zd
):
    """R-ZD-4: the customer's latest ticket open (pending here) → attached and set open;
    solved → a new ticket."""
    token = people["manager"]
    await _call(gql, token, "O1", at="10:00")
    await settle(sync, zendesk_fake.clock, step=2)
    inbound = await _ticket_of("O1")
    zid = await zendesk_id(gql, token, str(inbound.id))
    (
        await zd.put(f"/tickets/{zid}.json", json={"ticket": {"status": "pending"}})
    ).raise_for_status()

    async def outbound(cid: str, at: str) -> None:
        await call_event(gql, token, f"{cid}-1", "OUTGOING", cid, f"{at}:00", callee=PHONE,
                         agentAccount="agent")  # fmt: skip
        await call_event(gql, token, f"{cid}-2", "ANSWERED", cid, f"{at}:10")
        await call_event(gql, token, f"{cid}-9", "ENDED", cid, f"{at}:50")
        await settle(sync, zendesk_fake.clock, step=2)

    await outbound("O2", "10:10")
    assert (await _ticket_of("O2")).id == inbound.id
    shown = (await zd.get(f"/tickets/{zid}.json")).json()["ticket"]
    assert shown["status"] == "open"
    assert any("Call O2 finished (outbound)" in c["body"] for c in await zendesk_comments(zd, zid))

    (await zd.put(f"/tickets/{zid}.json", json={"ticket": {"status": "solved"}})).raise_for_status()
    await outbound("O3", "10:20")
    fresh = await _ticket_of("O3")
    assert fresh.id != inbound.id and fresh.requester_id == inbound.requester_id


async def test_ivr_call_with_several_contacts_goes_to_the_newest_and_transfer_reassigns(
    gql, people, sync, zendesk_fake, zd
):
    """R-ZD-9: an IVR-only call (no agent) whose number several contacts share: at the end the
    most recently created one. R-ZD-7: a transfer leg answered by another agent reassigns."""
    token = people["manager"]
    for name in ("Older", "Newer"):
        await gql(CONTACT, {"input": {"name": name, "phones": [PHONE]}}, token=token)
    await call_event(gql, token, "I1-1", "INCOMING", "I1", "10:00:00", customerPhone=PHONE,
                     queue="Self-service")  # fmt: skip
    await call_event(gql, token, "I1-9", "ENDED", "I1", "10:01:00")
    await settle(sync, zendesk_fake.clock, step=2)
    ivr = await _ticket_of("I1")
    assert (await Contact.get(id=ivr.requester_id)).name == "Newer"

    async def transfer() -> None:
        await settle(sync, zendesk_fake.clock, step=2)  # the ticket is made on answer
        await call_event(gql, token, "T1L-1", "TRANSFER", "T1L", "10:12:00", mainCallId="T1",
                         callType="TRANSFER_AGENT", agentAccount="other")  # fmt: skip
        await call_event(gql, token, "T1L-2", "ANSWERED", "T1L", "10:12:05")

    await _call(gql, token, "T1", at="10:10", queue="Tech", minute_talk=5, during=transfer)
    await settle(sync, zendesk_fake.clock, step=2)
    moved = await _ticket_of("T1")
    assert moved.assignee_id == people["other_id"]
    zid = await zendesk_id(gql, token, str(moved.id))
    assert any("transferred to Other" in c["body"] for c in await zendesk_comments(zd, zid))


async def test_an_outbound_call_started_by_the_agent_is_logged_on_the_chosen_ticket(
    gql, people, sync, zendesk_fake, zd
):
    """R-OUT-1..3 with the sync: startOutboundCall links the ticket (set open, the entered
    number noted), the call's events are logged on it in Zendesk."""
    agent = people["agent"]
    made = await gql(CONTACT, {"input": {"name": "Li Lei", "phones": [PHONE]}},
                     token=people["manager"])  # fmt: skip
    contact = made["data"]["createContact"]["id"]
    start = operation("workspace/StartOutboundCall")
    result = await gql(start, {"input": {"choice": "NEW_TICKET", "contactId": contact,
                                         "callId": "P1"}}, token=agent)  # fmt: skip
    ticket_id = result["data"]["startOutboundCall"]["ticketId"]
    system = people["manager"]  # the telephony integration
    await call_event(gql, system, "P1-1", "OUTGOING", "P1", "10:00:00", callee=PHONE,
                     agentAccount="agent")  # fmt: skip
    await call_event(gql, system, "P1-2", "ANSWERED", "P1", "10:00:10")
    await call_event(gql, system, "P1-9", "ENDED", "P1", "10:02:10")
    await settle(sync, zendesk_fake.clock, step=2)

    assert (await _ticket_of("P1")).id == int(ticket_id)
    zid = await zendesk_id(gql, people["manager"], ticket_id)
    bodies = "\n".join(c["body"] for c in await zendesk_comments(zd, zid))
    assert f"Outbound call to {PHONE}" in bodies and "Call id: P1" in bodies
    assert "Call P1 finished (outbound)" in bodies
    assert len((await zd.get("/tickets.json")).json()["tickets"]) == 1


async def test_the_end_of_call_update_follows_a_merge_made_in_zendesk(
    gql, people, sync, zendesk_fake, zd
):
    """R-ZD-6: the call's ticket A is merged into B in Zendesk while the call is live (A closed
    with Zendesk's merge note); the end-of-call update goes to B, and deskql merges A into B."""
    token = people["manager"]
    target = await gql(
        """mutation { createTicket(input: {subject: "Earlier ticket"}) { id } }""", token=token
    )
    target_id = target["data"]["createTicket"]["id"]

    async def merge_in_zendesk() -> None:
        await settle(sync, zendesk_fake.clock, step=2)
        za = await zendesk_id(gql, token, str((await _ticket_of("M1")).id))
        zb = await zendesk_id(gql, token, target_id)
        note = {"body": f"This request was closed and merged into request #{zb}.", "public": False}
        (await zd.put(f"/tickets/{za}.json", json={"ticket": {"comment": note}})).raise_for_status()
        closed = await zd.put(f"/tickets/{za}.json", json={"ticket": {"status": "closed"}})
        closed.raise_for_status()

    await _call(gql, token, "M1", during=merge_in_zendesk)
    await settle(sync, zendesk_fake.clock, step=2)

    source = await Ticket.get(id=(await models.ZendeskCall.get(call_id="M1")).ticket_id)
    assert str(source.status) == "CLOSED" and source.merged_into_id == int(target_id)
    zb = await zendesk_id(gql, token, target_id)
    shown = (await zd.get(f"/tickets/{zb}.json")).json()["ticket"]
    assert "call_finished" in shown["tags"]
    assert any("Call M1 finished" in c["body"] for c in await zendesk_comments(zd, zb))
    assert await models.ZendeskTask.filter(status=models.TaskStatus.DEAD).count() == 0


async def test_a_malformed_language_is_refused_and_changes_nothing(gql, people):
    from tests.support import error_codes, snapshot

    before = await snapshot()
    result = await gql(
        operation("integration/RecordCallEvent"),
        {"input": {"eventId": "L-1", "type": "INCOMING", "callId": "L1",
                   "occurredAt": "2026-03-02T10:00:00+08:00", "language": "zh CN; DROP"}},
        token=people["manager"],
    )  # fmt: skip
    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result["errors"][0]["extensions"]["field"] == "language"
    assert await snapshot() == before
