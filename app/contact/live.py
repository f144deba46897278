"""Live call and chat events that keep the records current while calls and chats happen.

Each event carries its own id. Applying an event, remembering its id and logging the domain event
happen in one transaction, so a replayed event (same id) changes nothing, and an event that fails
(unknown call, out of order) is not remembered and can be sent again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.accounts.models import Account
from app.contact import events, models
from app.contact.models import CallResult, CallType, TransferFlag
from app.errors import Conflict, InvalidInput, NotFound


class CallEventType(StrEnum):
    INCOMING = "INCOMING"
    OUTGOING = "OUTGOING"
    RINGING = "RINGING"
    ANSWERED = "ANSWERED"
    HOLD = "HOLD"
    UNHOLD = "UNHOLD"
    TRANSFER = "TRANSFER"
    CONSULT = "CONSULT"
    MONITOR = "MONITOR"
    VOICEMAIL = "VOICEMAIL"
    ABANDONED = "ABANDONED"
    ENDED = "ENDED"


class SessionEventType(StrEnum):
    STARTED = "STARTED"
    ASSIGNED = "ASSIGNED"
    TRANSFERRED = "TRANSFERRED"
    ENDED = "ENDED"
    RATED = "RATED"


# Which leg types each leg-starting event may open.
_LEG_TYPES = {
    CallEventType.TRANSFER: {CallType.TRANSFER_AGENT, CallType.TRANSFER_CONSULT,
                             CallType.TRANSFER_THIRD_PARTY},
    CallEventType.CONSULT: {CallType.CONSULT_AGENT, CallType.CONSULT_THIRD_PARTY},
    CallEventType.MONITOR: {CallType.MONITOR, CallType.BARGE_IN, CallType.FORCE_DISCONNECT},
}


@dataclass
class CallEvent:
    event_id: str
    type: CallEventType
    call_id: str
    occurred_at: datetime
    main_call_id: str | None = None
    call_type: CallType | None = None
    agent_account: str | None = None
    queue: str | None = None
    customer_phone: str | None = None
    customer_name: str | None = None
    caller: str | None = None
    callee: str | None = None
    call_way: models.CallWay | None = None
    hangup_party: models.HangupParty | None = None
    result: CallResult | None = None
    recording_url: str | None = None
    voicemail_url: str | None = None


@dataclass
class SessionEvent:
    event_id: str
    type: SessionEventType
    session_id: str
    occurred_at: datetime
    channel: models.Channel | None = None
    agent_account: str | None = None
    contact_id: int | None = None
    level: models.SatisfactionLevel | None = None
    comment: str | None = None
    reason: str | None = None


def _check_event(event_id: str, occurred_at: datetime) -> datetime:
    if not event_id or len(event_id) > 128:
        raise InvalidInput("eventId is 1-128 characters.", field="eventId")
    if occurred_at.tzinfo is None:
        raise InvalidInput("occurredAt needs a time zone.", field="occurredAt")
    return occurred_at.astimezone(timezone.utc)


async def _seen(conn, event_id: str, kind: str) -> bool:
    """Remember the event id. True when it was already applied."""
    if await models.IngestedEvent.filter(event_id=event_id).using_db(conn).exists():
        return True
    await models.IngestedEvent.create(event_id=event_id, kind=kind, using_db=conn)
    return False


async def _agent(name: str | None, conn) -> tuple[int, int | None] | None:
    if not name:
        return None
    row = await Account.filter(account=name).using_db(conn).values(
        "id", "team_membership__team_id")
    if not row:
        raise InvalidInput(f"Unknown agent {name!r}.", field="agentAccount")
    return row[0]["id"], row[0]["team_membership__team_id"]


async def _queue_id(name: str | None, conn) -> int | None:
    if not name:
        return None
    queue, _ = await models.Queue.get_or_create(name=name[:64], using_db=conn)
    return queue.id


def _seconds(later: datetime, earlier: datetime | None) -> int:
    if earlier is None:
        return 0
    return max(0, int((later - earlier).total_seconds()))


async def record_call_event(event: CallEvent) -> tuple[bool, models.CallRecord]:
    """Apply one call event. Returns (duplicate, the record it concerns)."""
    at = _check_event(event.event_id, event.occurred_at)
    kind = event.type
    try:
        async with in_transaction() as conn:
            if await _seen(conn, event.event_id, "call"):
                record = await models.CallRecord.filter(call_id=event.call_id).using_db(conn).first()
                if record is None:
                    raise NotFound("No such call.")
                return True, record
            record = await _apply_call_event(event, kind, at, conn)
            await events.append(conn, f"call.{kind.lower()}", record.main_call_id, {
                "eventId": event.event_id, "callId": record.call_id,
                "mainCallId": record.main_call_id, "type": str(kind),
                "callType": str(record.call_type), "isMain": record.is_main})
            return False, record
    except IntegrityError:
        # Another process applied the same event id first.
        record = await models.CallRecord.get_or_none(call_id=event.call_id)
        if record is None:
            raise NotFound("No such call.") from None
        return True, record


async def _apply_call_event(event: CallEvent, kind: CallEventType, at: datetime,
                            conn) -> models.CallRecord:
    if kind in (CallEventType.INCOMING, CallEventType.OUTGOING):
        if event.main_call_id not in (None, event.call_id):
            raise InvalidInput("A new call's callId is its mainCallId.", field="mainCallId")
        if await models.CallRecord.filter(call_id=event.call_id).using_db(conn).exists():
            raise Conflict("This call already exists.", code="CALL_EXISTS")
        call_type = CallType.INBOUND if kind is CallEventType.INCOMING else CallType.OUTBOUND
        agent = await _agent(event.agent_account, conn)
        if call_type is CallType.OUTBOUND and agent is None:
            raise InvalidInput("An outgoing call needs agentAccount.", field="agentAccount")
        return await models.CallRecord.create(
            call_id=event.call_id, main_call_id=event.call_id, is_main=True, call_type=call_type,
            direction=call_type, agent_id=agent[0] if agent else None,
            team_id=agent[1] if agent else None, queue_id=await _queue_id(event.queue, conn),
            customer_phone=event.customer_phone, customer_name=event.customer_name,
            caller=event.caller, callee=event.callee, call_way=event.call_way, started_at=at,
            started_epoch=int(at.timestamp()), using_db=conn)
    if kind in _LEG_TYPES:
        if event.call_type not in _LEG_TYPES[kind]:
            raise InvalidInput(f"A {kind} event opens a leg of type "
                               f"{', '.join(sorted(_LEG_TYPES[kind]))}.", field="callType")
        main = await models.CallRecord.filter(call_id=event.main_call_id or "", is_main=True
                                              ).using_db(conn).select_for_update().first()
        if main is None:
            raise NotFound("No such main call.")
        if main.ended_at is not None:
            raise Conflict("The call has ended.", code="CALL_ENDED")
        if await models.CallRecord.filter(call_id=event.call_id).using_db(conn).exists():
            raise Conflict("This leg already exists.", code="CALL_EXISTS")
        agent = await _agent(event.agent_account, conn)
        if agent is None and event.call_type not in models.THIRD_PARTY_CALL_TYPES:
            raise InvalidInput(f"A {event.call_type} leg needs agentAccount.",
                               field="agentAccount")
        if kind is CallEventType.CONSULT:
            main.consult_count += 1
            await main.save(using_db=conn, update_fields=["consult_count", "updated_at"])
        return await models.CallRecord.create(
            call_id=event.call_id, main_call_id=main.call_id, is_main=False,
            call_type=event.call_type, direction=main.direction,
            agent_id=agent[0] if agent else None, team_id=agent[1] if agent else None,
            queue_id=await _queue_id(event.queue, conn) or main.queue_id,
            customer_phone=main.customer_phone, customer_name=main.customer_name,
            caller=event.caller or main.caller, callee=event.callee, call_way=event.call_way,
            started_at=at, started_epoch=int(at.timestamp()), using_db=conn)

    record = await models.CallRecord.filter(call_id=event.call_id).using_db(
        conn).select_for_update().first()
    if record is None:
        raise NotFound("No such call.")
    if record.ended_at is not None:
        raise Conflict("The call has ended.", code="CALL_ENDED")
    if at < record.started_at:
        raise InvalidInput("occurredAt is before the call started.", field="occurredAt")
    if kind is CallEventType.RINGING:
        agent = await _agent(event.agent_account, conn)
        if agent is not None:
            record.agent_id, record.team_id = agent
        record.ringing_at = at
        if record.is_main and record.call_type is CallType.INBOUND:
            record.queue_seconds = _seconds(at, record.started_at)
    elif kind is CallEventType.ANSWERED:
        if record.answered_at is not None:
            raise Conflict("The call was already answered.", code="CALL_ANSWERED")
        record.answered_at = at
        record.ring_seconds = _seconds(at, record.ringing_at or record.started_at)
        await _leg_answered(record, conn)
    elif kind is CallEventType.HOLD:
        if record.answered_at is None:
            raise Conflict("Only an answered call can be held.", code="CALL_NOT_ANSWERED")
        record.hold_started_at = record.hold_started_at or at
    elif kind is CallEventType.UNHOLD:
        record.hold_seconds += _seconds(at, record.hold_started_at)
        record.hold_started_at = None
    elif kind is CallEventType.VOICEMAIL:
        record.voicemail, record.voicemail_url = True, event.voicemail_url
        record.result = CallResult.VOICEMAIL
    elif kind is CallEventType.ABANDONED:
        result = event.result or CallResult.ABANDONED_IN_QUEUE
        if result not in models.ABANDONED_RESULTS:
            raise InvalidInput("An abandoned call's result is ABANDONED_IN_QUEUE or "
                               "ABANDONED_IN_IVR.", field="result")
        record.result, record.hangup_party = result, models.HangupParty.CUSTOMER
        record.ended_at = at
    elif kind is CallEventType.ENDED:
        _end(record, event, at)
    await record.save(using_db=conn)
    return record


async def _leg_answered(record: models.CallRecord, conn) -> None:
    """A transfer or consult counts only once its leg is answered (R-CC-5)."""
    if record.is_main:
        return
    flag_updates = {}
    if record.call_type in (CallType.TRANSFER_AGENT, CallType.TRANSFER_THIRD_PARTY):
        flag_updates["transfer_flag"] = TransferFlag.TRANSFERRED
    elif record.call_type is CallType.TRANSFER_CONSULT:
        flag_updates["transfer_flag"] = TransferFlag.TRANSFER_CONSULT
    elif record.call_type in (CallType.CONSULT_AGENT, CallType.CONSULT_THIRD_PARTY):
        flag_updates["consulted"] = True
    if flag_updates:
        main = await models.CallRecord.filter(call_id=record.main_call_id).using_db(
            conn).select_for_update().first()
        if main.transfer_flag is TransferFlag.TRANSFERRED:
            flag_updates.pop("transfer_flag", None)
        main.update_from_dict(flag_updates)
        await main.save(using_db=conn)


def _end(record: models.CallRecord, event: CallEvent, at: datetime) -> None:
    if record.hold_started_at is not None:
        record.hold_seconds += _seconds(at, record.hold_started_at)
        record.hold_started_at = None
    record.ended_at = at
    if record.answered_at is not None:
        record.talk_seconds = max(0, _seconds(at, record.answered_at) - record.hold_seconds)
    third_party = record.call_type in models.THIRD_PARTY_CALL_TYPES
    if event.result is not None:
        if event.result in models.THIRD_PARTY_RESULTS and not third_party:
            raise InvalidInput(f"{event.result} is only for third-party legs.", field="result")
        record.result = event.result
    elif record.result is None:
        if record.answered_at is not None:
            record.result = CallResult.THIRD_PARTY_ANSWERED if third_party else CallResult.ANSWERED
        elif third_party:
            record.result = CallResult.THIRD_PARTY_NO_ANSWER
        elif record.call_type is CallType.OUTBOUND:
            record.result = CallResult.CUSTOMER_NO_ANSWER
        else:
            record.result = CallResult.AGENT_NO_ANSWER
    if event.hangup_party is not None:
        record.hangup_party = event.hangup_party
    if event.recording_url:
        if not event.recording_url.startswith(("https://", "http://")):
            raise InvalidInput("recordingUrl must be an http(s) URL.", field="recordingUrl")
        record.recording_url = event.recording_url[:500]


async def record_session_event(event: SessionEvent) -> tuple[bool, models.ChatSession]:
    at = _check_event(event.event_id, event.occurred_at)
    try:
        async with in_transaction() as conn:
            if await _seen(conn, event.event_id, "session"):
                session = await models.ChatSession.filter(
                    session_id=event.session_id).using_db(conn).first()
                if session is None:
                    raise NotFound("No such session.")
                return True, session
            session = await _apply_session_event(event, at, conn)
            await events.append(conn, f"session.{event.type.lower()}", session.session_id, {
                "eventId": event.event_id, "sessionId": session.session_id,
                "type": str(event.type)})
            return False, session
    except IntegrityError:
        session = await models.ChatSession.get_or_none(session_id=event.session_id)
        if session is None:
            raise NotFound("No such session.") from None
        return True, session


async def _apply_session_event(event: SessionEvent, at: datetime, conn) -> models.ChatSession:
    if event.type is SessionEventType.STARTED:
        if not event.session_id or len(event.session_id) > 64:
            raise InvalidInput("sessionId is 1-64 characters.", field="sessionId")
        if event.channel is None:
            raise InvalidInput("A started session needs its channel.", field="channel")
        if await models.ChatSession.filter(session_id=event.session_id).using_db(conn).exists():
            raise Conflict("This session already exists.", code="SESSION_EXISTS")
        if event.contact_id is not None and not await models.Contact.filter(
                id=event.contact_id).using_db(conn).exists():
            raise InvalidInput("No such contact.", field="contactId")
        agent = await _agent(event.agent_account, conn)
        return await models.ChatSession.create(
            session_id=event.session_id, channel=event.channel, contact_id=event.contact_id,
            agent_id=agent[0] if agent else None, started_at=at, using_db=conn)
    session = await models.ChatSession.filter(session_id=event.session_id).using_db(
        conn).select_for_update().first()
    if session is None:
        raise NotFound("No such session.")
    if session.ended_at is not None and event.type is not SessionEventType.RATED:
        raise Conflict("The session has ended.", code="SESSION_ENDED")
    if event.type is SessionEventType.ASSIGNED:
        agent = await _agent(event.agent_account, conn)
        if agent is None:
            raise InvalidInput("ASSIGNED needs agentAccount.", field="agentAccount")
        session.agent_id = agent[0]
    elif event.type is SessionEventType.TRANSFERRED:
        agent = await _agent(event.agent_account, conn)
        if agent is None:
            raise InvalidInput("TRANSFERRED needs the new agent's agentAccount.",
                               field="agentAccount")
        await models.SessionTransfer.create(
            session_id=session.id, from_agent_id=session.agent_id, to_agent_id=agent[0],
            transferred_at=at, reason=(event.reason or "")[:200] or None, using_db=conn)
        session.agent_id = agent[0]
        session.transfer_count += 1
    elif event.type is SessionEventType.ENDED:
        session.ended_at = at
    elif event.type is SessionEventType.RATED:
        if event.level is None:
            raise InvalidInput("RATED needs level.", field="level")
        comment = (event.comment or "").strip()[:1000] or None
        rating = await models.SatisfactionRating.filter(session_id=session.id).using_db(
            conn).first()
        values = {"level": event.level, "comment": comment, "rated_at": at,
                  "channel": session.channel, "agent_id": session.agent_id}
        if rating is None:
            await models.SatisfactionRating.create(session_id=session.id, **values, using_db=conn)
        else:
            rating.update_from_dict(values)
            await rating.save(using_db=conn)
    await session.save(using_db=conn)
    return session
