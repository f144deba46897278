"""A small contact-center day with every leg type, whose report figures are worked out by hand
in test_reports.py. All times UTC, on 2026-03-02 (day 1) and 2026-03-03 (day 2).

Agents a and b are in team T1, c in T2, the supervisor s in no team.

C1  inbound, q1, 10:00  a answers, is consulted with c, monitored by s, transfers to b
C2  inbound, q1, 11:30  b answers (20 s hold), transfer-consults a, consults and tries to
                        transfer to third parties
C3  inbound, q2, 23:50  abandoned in the queue
C4  outbound, day 2 09:00  c, s barges in and later force-disconnects
C5  outbound, day 2 10:00  a, no answer
C6  inbound, q2, day 2 12:00  rings c, voicemail
"""

from __future__ import annotations


def _t(day: int, clock: str) -> str:
    return f"2026-03-0{day + 1}T{clock}Z"


def call(id, main, call_type, agent, start, **fields):
    record = {"id": id, "mainCallId": main, "callType": call_type, "startedAt": start}
    if agent:
        record["agentAccount"] = agent
    record.update(fields)
    return record


CALLS = [
    call("C1", "C1", "INBOUND", "a", _t(1, "10:00:00"), queue="q1", answeredAt=_t(1, "10:00:20"),
         endedAt=_t(1, "10:04:20"), ringSeconds=20, talkSeconds=240, queueSeconds=5,
         hangupParty="TRANSFER", result="ANSWERED", transferFlag="TRANSFERRED", consulted=True,
         consultCount=1, customerPhone="+8613800138000", callWay="SIP_PHONE",
         recordingUrl="https://rec.example/C1.mp3"),
    call("C1-2", "C1", "TRANSFER_AGENT", "b", _t(1, "10:04:00"), queue="q1",
         answeredAt=_t(1, "10:04:10"), endedAt=_t(1, "10:09:10"), ringSeconds=10, talkSeconds=300,
         hangupParty="CUSTOMER", result="ANSWERED"),
    call("C1-3", "C1", "CONSULT_AGENT", "c", _t(1, "10:02:00"), answeredAt=_t(1, "10:02:05"),
         endedAt=_t(1, "10:03:05"), ringSeconds=5, talkSeconds=60, hangupParty="AGENT",
         result="ANSWERED"),
    call("C1-4", "C1", "MONITOR", "s", _t(1, "10:01:00"), answeredAt=_t(1, "10:01:00"),
         endedAt=_t(1, "10:04:00"), talkSeconds=180, hangupParty="AGENT", result="ANSWERED"),
    call("C2", "C2", "INBOUND", "b", _t(1, "11:30:00"), queue="q1", answeredAt=_t(1, "11:30:30"),
         endedAt=_t(1, "11:32:30"), ringSeconds=30, talkSeconds=100, holdSeconds=20,
         hangupParty="CUSTOMER", result="ANSWERED", transferFlag="TRANSFER_CONSULT",
         consulted=True, consultCount=1),
    call("C2-2", "C2", "TRANSFER_CONSULT", "a", _t(1, "11:31:00"), answeredAt=_t(1, "11:31:10"),
         endedAt=_t(1, "11:31:40"), ringSeconds=10, talkSeconds=30, hangupParty="AGENT",
         result="ANSWERED"),
    call("C2-3", "C2", "TRANSFER_THIRD_PARTY", None, _t(1, "11:32:00"),
         endedAt=_t(1, "11:32:20"), hangupParty="THIRD_PARTY", result="THIRD_PARTY_UNREACHABLE"),
    call("C2-4", "C2", "CONSULT_THIRD_PARTY", None, _t(1, "11:31:45"),
         answeredAt=_t(1, "11:31:50"), endedAt=_t(1, "11:32:00"), talkSeconds=10,
         hangupParty="THIRD_PARTY", result="THIRD_PARTY_ANSWERED"),
    call("C3", "C3", "INBOUND", None, _t(1, "23:50:00"), queue="q2", endedAt=_t(1, "23:51:00"),
         queueSeconds=60, hangupParty="CUSTOMER", result="ABANDONED_IN_QUEUE"),
    call("C4", "C4", "OUTBOUND", "c", _t(2, "09:00:00"), answeredAt=_t(2, "09:00:15"),
         endedAt=_t(2, "09:10:15"), ringSeconds=15, talkSeconds=600,
         hangupParty="FORCE_DISCONNECT", result="ANSWERED"),
    call("C4-2", "C4", "BARGE_IN", "s", _t(2, "09:05:00"), answeredAt=_t(2, "09:05:00"),
         endedAt=_t(2, "09:06:00"), talkSeconds=60, hangupParty="AGENT", result="ANSWERED"),
    call("C4-3", "C4", "FORCE_DISCONNECT", "s", _t(2, "09:09:00"), answeredAt=_t(2, "09:09:00"),
         endedAt=_t(2, "09:09:30"), talkSeconds=30, hangupParty="FORCE_DISCONNECT",
         result="ANSWERED"),
    call("C5", "C5", "OUTBOUND", "a", _t(2, "10:00:00"), endedAt=_t(2, "10:00:40"),
         ringSeconds=40, hangupParty="AGENT", result="CUSTOMER_NO_ANSWER"),
    call("C6", "C6", "INBOUND", "c", _t(2, "12:00:00"), queue="q2", endedAt=_t(2, "12:01:00"),
         ringSeconds=25, hangupParty="CUSTOMER", result="VOICEMAIL", voicemail=True,
         voicemailUrl="https://rec.example/C6-vm.mp3"),
]

INTERVALS = [
    {"agentAccount": "a", "status": "IDLE", "startedAt": _t(1, "09:00:00"), "endedAt": _t(1, "10:00:00")},
    {"agentAccount": "a", "status": "BUSY", "startedAt": _t(1, "10:00:00"), "endedAt": _t(1, "10:30:00")},
    {"agentAccount": "a", "status": "ACW", "startedAt": _t(1, "10:30:00"), "endedAt": _t(1, "10:40:00")},
    {"agentAccount": "a", "status": "BREAK", "startedAt": _t(1, "10:40:00"), "endedAt": _t(1, "11:00:00")},
    # crosses the end of the range (2026-03-04 00:00 UTC): one hour of it counts
    {"agentAccount": "b", "status": "IDLE", "startedAt": _t(2, "23:00:00"), "endedAt": "2026-03-04T01:00:00Z"},
    # before the range: not counted
    {"agentAccount": "c", "status": "IDLE", "startedAt": "2026-03-01T22:00:00Z", "endedAt": "2026-03-01T23:00:00Z"},
]


async def build(make_account, *, with_tokens: bool = False) -> dict:
    """Teams, queues, agents a, b, c, s, and the calls imported through the real service."""
    from app.accounts.models import Role
    from app.contact import calls, directory

    made = {}
    for name in ("a", "b", "c", "s"):
        made[name] = await make_account(name, Role.AGENT)
    t1 = await directory.create_team("T1")
    t2 = await directory.create_team("T2")
    await directory.set_team_members(t1.id, [made["a"][0].id, made["b"][0].id])
    await directory.set_team_members(t2.id, [made["c"][0].id])
    await directory.create_queue("q1", t1.id)
    await directory.create_queue("q2", t2.id)
    await calls.import_call_records(CALLS)
    made["T1"], made["T2"] = t1, t2
    return made
