"""R-ZD-7: what happens around a call reaches its ticket in Zendesk as private notes — a
SmartAction's result with its shared files, or its error; an agent reading, closing or calling
back a voicemail; an API access point's response as key-value lines or JSON (setting). Sent
through `recordCallActivity` over real HTTP; the worker runs against the fake on its manual
clock and what Zendesk holds is read back through its API."""

from __future__ import annotations

import json

from app.tickets.models import Ticket
from app.zendesk import models
from tests.support import (
    Answer,
    Receiver,
    call_event,
    error_codes,
    operation,
    settle,
    snapshot,
    zendesk_comments,
    zendesk_id,
)

ACTIVITY = operation("integration/RecordCallActivity")
UPDATE = operation("settings/UpdateZendeskSettings")
PHONE = "+8613800138000"
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


async def _activity(gql, token, event_id, type_, call_id, clock="10:00:30", **fields) -> dict:
    result = await gql(
        ACTIVITY,
        {
            "input": {
                "eventId": event_id,
                "type": type_,
                "callId": call_id,
                "occurredAt": f"2026-03-02T{clock}+08:00",
                **fields,
            }
        },  # fmt: skip
        token=token,
    )
    return result


async def _ok(gql, token, *args, **fields) -> dict:
    result = await _activity(gql, token, *args, **fields)
    assert "errors" not in result, result
    return result["data"]["recordCallActivity"]


async def _zendesk_notes(gql, zd, token, call_id) -> list[dict]:
    row = await models.ZendeskCall.get(call_id=call_id)
    return await zendesk_comments(zd, await zendesk_id(gql, token, str(row.ticket_id)))


async def test_smartaction_results_files_and_errors_are_noted_after_the_ticket_is_made(
    gql, people, sync, zendesk_fake, zd
):
    """R-ZD-7: a SmartAction in the IVR comes before the answer that makes the ticket; its note
    waits and follows the standard-data note, with the shared file attached; a failure is
    noted with its error. A replayed activity writes nothing twice."""
    token = people["manager"]
    await call_event(gql, token, "P1-1", "INCOMING", "P1", "10:00:00", customerPhone=PHONE,
                     queue="Billing")  # fmt: skip
    with Receiver(lambda request: Answer(200, PHOTO, {"content-type": "image/png"})) as rec:
        photo = rec.url("/shared/id%20card.png")
        done = await _ok(gql, token, "P1-a", "SMART_ACTION", "P1", action="Photo",
                         succeeded=True, outcome={"verified": True, "document": {"type": "ID"}},
                         files=[photo])  # fmt: skip
        assert done["duplicate"] is False and done["call"]["mainCallId"] == "P1"
        again = await _ok(gql, token, "P1-a", "SMART_ACTION", "P1", action="Photo",
                          succeeded=True, files=[photo])  # fmt: skip
        assert again["duplicate"] is True
        await _ok(gql, token, "P1-b", "SMART_ACTION", "P1", clock="10:00:40",
                  action="Fingerprint", succeeded=False,
                  error="Fingerprint access is not enabled on the device.")  # fmt: skip
        await settle(sync, zendesk_fake.clock, step=2)
        assert await models.ZendeskCall.exists(call_id="P1") is False  # no ticket yet
        await call_event(gql, token, "P1-2", "RINGING", "P1", "10:00:50", agentAccount="agent")
        await call_event(gql, token, "P1-3", "ANSWERED", "P1", "10:00:55")
        await settle(sync, zendesk_fake.clock, step=2)
        await _ok(gql, token, "P1-c", "SMART_ACTION", "P1", clock="10:01:10", action="Verify",
                  succeeded=True, outcome={"pin": "ok"})  # fmt: skip
        await call_event(gql, token, "P1-9", "ENDED", "P1", "10:02:00")
        await settle(sync, zendesk_fake.clock, step=2)
        assert len(rec.requests("/shared/id%20card.png")) == 1

    # Batching joins the comments of one window into one Zendesk comment (R-ZD-11): read the
    # notes in order as one text.
    notes = await _zendesk_notes(gql, zd, token, "P1")
    assert all(c["public"] is False for c in notes)
    text = "\n\n".join(c["body"] for c in notes)
    photo_note = "\n".join([
        "SmartAction Photo completed on call P1.",
        "Result:",
        "document.type: ID",
        "verified: true",
        "Shared files:",
        photo,
    ])  # fmt: skip
    failed = (
        "SmartAction Fingerprint failed on call P1.\n"
        "Error: Fingerprint access is not enabled on the device."
    )
    verify = "SmartAction Verify completed on call P1.\nResult:\npin: ok"
    order = [text.index(part) for part in
             ("Call id: P1", photo_note, failed, verify, "Call P1 finished")]  # fmt: skip
    assert order == sorted(order), text  # after the standard data, before the end of call
    assert text.count("SmartAction Photo") == 1
    attached = [a for c in notes for a in c["attachments"]]
    assert [(a["file_name"], a["content_type"], a["size"]) for a in attached] == [
        ("id card.png", "image/png", len(PHOTO))
    ]
    with_photo = next(c for c in notes if c["attachments"])
    assert photo_note in with_photo["body"]


async def test_voicemail_read_closed_and_called_back_update_the_voicemail_ticket(
    gql, people, sync, zendesk_fake, zd
):
    """R-ZD-7: an agent reading, closing or calling back a voicemail is noted on its ticket and
    kept on the call; a call without a voicemail refuses it and nothing changes."""
    token = people["manager"]
    await call_event(gql, token, "V1-1", "INCOMING", "V1", "10:00:00", customerPhone=PHONE)
    await call_event(gql, token, "V1-2", "VOICEMAIL", "V1", "10:00:30",
                     voicemailUrl="https://files.example.com/vm/V1.mp3")  # fmt: skip
    await settle(sync, zendesk_fake.clock, step=2)
    read = await _ok(gql, token, "V1-r", "VOICEMAIL", "V1", clock="11:00:00",
                     voicemailState="READ", agentAccount="agent")  # fmt: skip
    assert read["call"]["voicemailState"] == "READ"
    await _ok(gql, token, "V1-b", "VOICEMAIL", "V1", clock="11:05:00",
              voicemailState="CALLED_BACK", agentAccount="other")  # fmt: skip
    await settle(sync, zendesk_fake.clock, step=2)
    text = "\n\n".join(c["body"] for c in await _zendesk_notes(gql, zd, token, "V1"))
    assert text.endswith("Voicemail of call V1 read by agent.\n\n"
                         "Voicemail of call V1 called back by other.")  # fmt: skip
    shown = await gql('{ call(id: "V1") { voicemailState } }', token=token)
    assert shown["data"]["call"]["voicemailState"] == "CALLED_BACK"

    await call_event(gql, token, "N1-1", "INCOMING", "N1", "10:10:00", customerPhone=PHONE)
    before = await snapshot()
    refused = await _activity(gql, token, "N1-r", "VOICEMAIL", "N1", voicemailState="CLOSED")
    assert error_codes(refused) == ["BAD_USER_INPUT"]
    assert refused["errors"][0]["extensions"]["field"] == "callId"
    assert await snapshot() == before


async def test_api_access_point_responses_are_posted_as_the_setting_says(
    gql, people, sync, zendesk_fake, zd
):
    """R-ZD-7 (optional): off by default; key-value lines or JSON when chosen."""
    token = people["manager"]
    await call_event(gql, token, "A1-1", "INCOMING", "A1", "10:00:00", customerPhone=PHONE)
    await call_event(gql, token, "A1-2", "RINGING", "A1", "10:00:02", agentAccount="agent")
    await call_event(gql, token, "A1-3", "ANSWERED", "A1", "10:00:05")
    response = {"order": {"id": 42, "items": ["a", "b"]}, "status": "shipped", "note": None}
    await _ok(gql, token, "A1-x", "API_RESPONSE", "A1", action="OrderLookup", outcome=response)
    await settle(sync, zendesk_fake.clock, step=2)
    assert not any("OrderLookup" in c["body"] for c in await _zendesk_notes(gql, zd, token, "A1"))

    changed = await gql(UPDATE, {"input": {"apiResponseNotes": "KEY_VALUE"}}, token=token)
    assert changed["data"]["updateZendeskSettings"]["apiResponseNotes"] == "KEY_VALUE"
    await _ok(gql, token, "A1-y", "API_RESPONSE", "A1", action="OrderLookup", outcome=response)
    await settle(sync, zendesk_fake.clock, step=2)
    await gql(UPDATE, {"input": {"apiResponseNotes": "JSON"}}, token=token)
    await _ok(gql, token, "A1-z", "API_RESPONSE", "A1", action="Balance", outcome={"due": 1.5})
    await settle(sync, zendesk_fake.clock, step=2)

    bodies = [c["body"] for c in await _zendesk_notes(gql, zd, token, "A1")]
    assert bodies[-2].splitlines() == [
        "API access point OrderLookup responded on call A1:",
        "note: null",
        "order.id: 42",
        "order.items.0: a",
        "order.items.1: b",
        "status: shipped",
    ]
    head, _, rest = bodies[-1].partition("\n")
    assert head == "API access point Balance responded on call A1:"
    assert json.loads(rest) == {"due": 1.5}


async def test_bad_activities_are_refused_with_the_field_named_and_change_nothing(gql, people):
    token = people["manager"]
    await call_event(gql, token, "B1-1", "INCOMING", "B1", "10:00:00", customerPhone=PHONE)
    before = await snapshot()
    cases = [
        ({"type": "SMART_ACTION", "succeeded": False, "action": "Verify"}, "error"),
        ({"type": "SMART_ACTION", "action": "Verify"}, "succeeded"),
        ({"type": "SMART_ACTION", "succeeded": True}, "action"),
        ({"type": "SMART_ACTION", "succeeded": True, "action": "x" * 101}, "action"),
        (
            {
                "type": "SMART_ACTION",
                "succeeded": True,
                "action": "P",
                "files": ["file:///etc/passwd"],
            },
            "files",
        ),  # fmt: skip
        (
            {
                "type": "SMART_ACTION",
                "succeeded": True,
                "action": "P",
                "files": ["https://a.example/x"] * 11,
            },
            "files",
        ),  # fmt: skip
        ({"type": "API_RESPONSE", "action": "Lookup"}, "outcome"),
        ({"type": "API_RESPONSE", "action": "Lookup", "outcome": {"x": "y" * 17000}}, "outcome"),
        ({"type": "VOICEMAIL"}, "voicemailState"),
        (
            {"type": "VOICEMAIL", "voicemailState": "READ", "agentAccount": "nobody"},
            "agentAccount",
        ),  # fmt: skip
    ]
    for n, (fields, field) in enumerate(cases):
        type_ = fields.pop("type")
        result = await _activity(gql, token, f"bad-{n}", type_, "B1", **fields)
        assert error_codes(result) == ["BAD_USER_INPUT"], (fields, result)
        assert result["errors"][0]["extensions"]["field"] == field, (fields, result)
    unknown = await _activity(gql, token, "bad-x", "VOICEMAIL", "NOPE", voicemailState="READ")
    assert error_codes(unknown) == ["NOT_FOUND"]
    assert await snapshot() == before
    assert await Ticket.all().count() == 0
