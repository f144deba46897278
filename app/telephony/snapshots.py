"""A call record as plain data, as it stood at one moment: what the live call events carry in
the event log (so the webhook push and subscriptions send what was true at that event, not
what the record became later) and what `call.ended_all` lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.telephony import models


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _text(value: object) -> str | None:
    return str(value) if value is not None else None


def snapshot(record: models.CallRecord) -> dict[str, Any]:
    return {
        "callId": record.call_id,
        "mainCallId": record.main_call_id,
        "isMain": record.is_main,
        "callType": str(record.call_type),
        "direction": str(record.direction),
        "agentId": record.agent_id,
        "teamId": record.team_id,
        "queueId": record.queue_id,
        "customerPhone": record.customer_phone,
        "customerName": record.customer_name,
        "caller": record.caller,
        "callee": record.callee,
        "callWay": _text(record.call_way),
        "startedAt": _instant(record.started_at),
        "answeredAt": _instant(record.answered_at),
        "endedAt": _instant(record.ended_at),
        "ringSeconds": record.ring_seconds,
        "talkSeconds": record.talk_seconds,
        "holdSeconds": record.hold_seconds,
        "queueSeconds": record.queue_seconds,
        "hangupParty": _text(record.hangup_party),
        "result": _text(record.result),
        "transferFlag": str(record.transfer_flag),
        "consulted": record.consulted,
        "consultCount": record.consult_count,
        "voicemail": record.voicemail,
        "voicemailUrl": record.voicemail_url,
        "voicemailState": _text(record.voicemail_state),
        "recordingUrl": record.recording_url,
        "language": record.language,
    }


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def restore(data: dict[str, Any]) -> models.CallRecord:
    """The record as the snapshot shows it: an unsaved model instance, for the same GraphQL
    type as a stored record (a subscription shows the call as it stood at the event)."""

    def enum(kind: type, value: str | None) -> Any:
        return kind(value) if value is not None else None

    return models.CallRecord(
        call_id=data["callId"],
        main_call_id=data["mainCallId"],
        is_main=data["isMain"],
        call_type=models.CallType(data["callType"]),
        direction=models.CallType(data["direction"]),
        agent_id=data["agentId"],
        team_id=data["teamId"],
        queue_id=data["queueId"],
        customer_phone=data["customerPhone"],
        customer_name=data["customerName"],
        caller=data["caller"],
        callee=data["callee"],
        call_way=enum(models.CallWay, data["callWay"]),
        started_at=_when(data["startedAt"]),
        answered_at=_when(data["answeredAt"]),
        ended_at=_when(data["endedAt"]),
        ring_seconds=data["ringSeconds"],
        talk_seconds=data["talkSeconds"],
        hold_seconds=data["holdSeconds"],
        queue_seconds=data["queueSeconds"],
        hangup_party=enum(models.HangupParty, data["hangupParty"]),
        result=enum(models.CallResult, data["result"]),
        transfer_flag=models.TransferFlag(data["transferFlag"]),
        consulted=data["consulted"],
        consult_count=data["consultCount"],
        voicemail=data["voicemail"],
        voicemail_url=data["voicemailUrl"],
        voicemail_state=enum(models.VoicemailState, data.get("voicemailState")),
        recording_url=data["recordingUrl"],
        language=data.get("language"),
    )
