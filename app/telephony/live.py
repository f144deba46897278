"""Live call events that keep the call records current while calls happen (R-CC-5).

Each event kind has its handler in :data:`HANDLERS`; the handler changes the record inside the
transaction :func:`app.events.ingest.apply_once` opens, which also remembers the event id, so a
replayed event changes nothing. Ring, queue, hold and talk seconds are derived from the event
times; a transfer or consult sets the main record's flags only once its leg is answered.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tortoise.backends.base.client import BaseDBAsyncClient

from app.accounts.principal import Principal
from app.directory.agents import Agent, name_of, resolve_one
from app.directory.teams import queue_ids
from app.errors import Conflict, InvalidInput, NotFound
from app.events import ingest, log
from app.telephony import models
from app.telephony.models import CallResult, CallType, TransferFlag
from app.telephony.snapshots import snapshot

LANGUAGE = re.compile(r"[A-Za-z0-9_-]{1,16}")


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
    language: str | None = None


@dataclass
class _Step:
    """What a handler gets: the event, its time in UTC and the transaction."""

    event: CallEvent
    at: datetime
    conn: BaseDBAsyncClient
    _agent: Agent | None = None

    async def agent(self) -> Agent | None:
        """The agent the event names (resolved once)."""
        if self._agent is None:
            self._agent = await resolve_one(self.event.agent_account, conn=self.conn)
        return self._agent

    async def agent_name(self, account_id: int | None) -> str | None:
        """The login name of the record's agent, for the event payload."""
        if account_id is None:
            return None
        if self._agent is not None and self._agent.id == account_id:
            return self.event.agent_account
        return await name_of(account_id, conn=self.conn)

    async def queue_id(self) -> int | None:
        if not self.event.queue:
            return None
        return (await queue_ids({self.event.queue}, self.conn))[self.event.queue[:64]]


async def record_call_event(
    *, actor: Principal, event: CallEvent
) -> tuple[bool, models.CallRecord]:
    """Apply one call event. Returns (duplicate, the record it concerns)."""
    at = ingest.check_event(event.event_id, event.occurred_at)

    async def apply(conn: BaseDBAsyncClient) -> models.CallRecord:
        step = _Step(event, at, conn)
        record = await HANDLERS[event.type](step)
        language = (event.language or "").strip()
        if language and not LANGUAGE.fullmatch(language):
            raise InvalidInput(
                "language is a language tag such as zh-CN (1-16 letters, digits, - or _).",
                field="language",
            )
        if language and record.language != language:
            record.language = language
            await models.CallRecord.filter(id=record.id).using_db(conn).update(language=language)
        await log.append(
            conn,
            f"call.{event.type.lower()}",
            record.main_call_id,
            {
                "eventId": event.event_id,
                "type": str(event.type),
                "callId": record.call_id,
                "mainCallId": record.main_call_id,
                "isMain": record.is_main,
                "callType": str(record.call_type),
                "direction": str(record.direction),
                "agentId": record.agent_id,
                "agentAccount": await step.agent_name(record.agent_id),
                "occurredAt": at.isoformat(),
                "record": snapshot(record),
            },
            actor=actor,
            source="live",
        )
        return record

    async def current(conn: BaseDBAsyncClient | None) -> models.CallRecord:
        query = models.CallRecord.filter(call_id=event.call_id)
        record = await (query.using_db(conn) if conn else query).first()
        if record is None:
            raise NotFound("No such call.")
        return record

    return await ingest.apply_once(event.event_id, "call", apply=apply, current=current)


# --- opening records ---


async def _open_main(step: _Step) -> models.CallRecord:
    event, conn = step.event, step.conn
    if event.main_call_id not in (None, event.call_id):
        raise InvalidInput("A new call's callId is its mainCallId.", field="mainCallId")
    if await models.CallRecord.filter(call_id=event.call_id).using_db(conn).exists():
        raise Conflict("This call already exists.", code="CALL_EXISTS")
    call_type = CallType.INBOUND if event.type is CallEventType.INCOMING else CallType.OUTBOUND
    agent = await step.agent()
    if call_type is CallType.OUTBOUND and agent is None:
        raise InvalidInput("An outgoing call needs agentAccount.", field="agentAccount")
    return await models.CallRecord.create(
        call_id=event.call_id,
        main_call_id=event.call_id,
        is_main=True,
        call_type=call_type,
        direction=call_type,
        agent_id=agent.id if agent else None,
        team_id=agent.team_id if agent else None,
        queue_id=await step.queue_id(),
        customer_phone=event.customer_phone,
        customer_name=event.customer_name,
        caller=event.caller,
        callee=event.callee,
        call_way=event.call_way,
        started_at=step.at,
        started_epoch=int(step.at.timestamp()),
        using_db=conn,
    )


# Which leg types each leg-starting event may open.
_LEG_TYPES = {
    CallEventType.TRANSFER: {
        CallType.TRANSFER_AGENT,
        CallType.TRANSFER_CONSULT,
        CallType.TRANSFER_THIRD_PARTY,
    },
    CallEventType.CONSULT: {CallType.CONSULT_AGENT, CallType.CONSULT_THIRD_PARTY},
    CallEventType.MONITOR: {CallType.MONITOR, CallType.BARGE_IN, CallType.FORCE_DISCONNECT},
}


async def _open_leg(step: _Step) -> models.CallRecord:
    event, conn = step.event, step.conn
    if event.call_type not in _LEG_TYPES[event.type]:
        raise InvalidInput(
            f"A {event.type} event opens a leg of type "
            f"{', '.join(sorted(_LEG_TYPES[event.type]))}.",
            field="callType",
        )
    main = (
        await models.CallRecord.filter(call_id=event.main_call_id or "", is_main=True)
        .using_db(conn)
        .select_for_update()
        .first()
    )
    if main is None:
        raise NotFound("No such main call.")
    if main.ended_at is not None:
        raise Conflict("The call has ended.", code="CALL_ENDED")
    if await models.CallRecord.filter(call_id=event.call_id).using_db(conn).exists():
        raise Conflict("This leg already exists.", code="CALL_EXISTS")
    agent = await step.agent()
    if agent is None and event.call_type not in models.THIRD_PARTY_CALL_TYPES:
        raise InvalidInput(f"A {event.call_type} leg needs agentAccount.", field="agentAccount")
    if event.type is CallEventType.CONSULT:
        main.consult_count += 1
        await main.save(using_db=conn, update_fields=["consult_count", "updated_at"])
    return await models.CallRecord.create(
        call_id=event.call_id,
        main_call_id=main.call_id,
        is_main=False,
        call_type=event.call_type,
        direction=main.direction,
        agent_id=agent.id if agent else None,
        team_id=agent.team_id if agent else None,
        queue_id=await step.queue_id() or main.queue_id,
        customer_phone=main.customer_phone,
        customer_name=main.customer_name,
        caller=event.caller or main.caller,
        callee=event.callee,
        call_way=event.call_way,
        started_at=step.at,
        started_epoch=int(step.at.timestamp()),
        using_db=conn,
    )


# --- changing an open record ---

Change = Callable[[_Step, models.CallRecord], Awaitable[None]]


def _updating(change: Change) -> Callable[[_Step], Awaitable[models.CallRecord]]:
    """A handler that locks the record the event names, checks it is still open, applies
    ``change`` and saves it."""

    async def handler(step: _Step) -> models.CallRecord:
        record = (
            await models.CallRecord.filter(call_id=step.event.call_id)
            .using_db(step.conn)
            .select_for_update()
            .first()
        )
        if record is None:
            raise NotFound("No such call.")
        if record.ended_at is not None:
            raise Conflict("The call has ended.", code="CALL_ENDED")
        if step.at < record.started_at:
            raise InvalidInput("occurredAt is before the call started.", field="occurredAt")
        await change(step, record)
        await record.save(using_db=step.conn)
        return record

    return handler


def _seconds(later: datetime, earlier: datetime | None) -> int:
    if earlier is None:
        return 0
    return max(0, int((later - earlier).total_seconds()))


async def _ringing(step: _Step, record: models.CallRecord) -> None:
    agent = await step.agent()
    if agent is not None:
        record.agent_id, record.team_id = agent.id, agent.team_id
    record.ringing_at = step.at
    if step.event.call_way is not None:  # the device the agent takes it on
        record.call_way = step.event.call_way
    if record.is_main and record.call_type is CallType.INBOUND:
        record.queue_seconds = _seconds(step.at, record.started_at)


async def _answered(step: _Step, record: models.CallRecord) -> None:
    if record.answered_at is not None:
        raise Conflict("The call was already answered.", code="CALL_ANSWERED")
    record.answered_at = step.at
    if step.event.call_way is not None:
        record.call_way = step.event.call_way
    record.ring_seconds = _seconds(step.at, record.ringing_at or record.started_at)
    await _leg_answered(record, step.conn)


async def _leg_answered(record: models.CallRecord, conn: BaseDBAsyncClient) -> None:
    """A transfer or consult counts only once its leg is answered (R-CC-5)."""
    if record.is_main:
        return
    flag_updates: dict[str, object] = {}
    if record.call_type in (CallType.TRANSFER_AGENT, CallType.TRANSFER_THIRD_PARTY):
        flag_updates["transfer_flag"] = TransferFlag.TRANSFERRED
    elif record.call_type is CallType.TRANSFER_CONSULT:
        flag_updates["transfer_flag"] = TransferFlag.TRANSFER_CONSULT
    elif record.call_type in (CallType.CONSULT_AGENT, CallType.CONSULT_THIRD_PARTY):
        flag_updates["consulted"] = True
    if flag_updates:
        main = (
            await models.CallRecord.filter(call_id=record.main_call_id)
            .using_db(conn)
            .select_for_update()
            .get()
        )
        if main.transfer_flag is TransferFlag.TRANSFERRED:
            flag_updates.pop("transfer_flag", None)
        main.update_from_dict(flag_updates)
        await main.save(using_db=conn)


async def _hold(step: _Step, record: models.CallRecord) -> None:
    if record.answered_at is None:
        raise Conflict("Only an answered call can be held.", code="CALL_NOT_ANSWERED")
    record.hold_started_at = record.hold_started_at or step.at


async def _unhold(step: _Step, record: models.CallRecord) -> None:
    record.hold_seconds += _seconds(step.at, record.hold_started_at)
    record.hold_started_at = None


async def _voicemail(step: _Step, record: models.CallRecord) -> None:
    record.voicemail, record.voicemail_url = True, step.event.voicemail_url
    record.result = CallResult.VOICEMAIL


async def _abandoned(step: _Step, record: models.CallRecord) -> None:
    result = step.event.result or CallResult.ABANDONED_IN_QUEUE
    if result not in models.ABANDONED_RESULTS:
        raise InvalidInput(
            "An abandoned call's result is ABANDONED_IN_QUEUE or ABANDONED_IN_IVR.", field="result"
        )
    record.result, record.hangup_party = result, models.HangupParty.CUSTOMER
    record.ended_at = step.at


async def _ended(step: _Step, record: models.CallRecord) -> None:
    event, at = step.event, step.at
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
        record.result = _derived_result(record, third_party)
    if event.hangup_party is not None:
        record.hangup_party = event.hangup_party
    if event.recording_url:
        if not event.recording_url.startswith(("https://", "http://")):
            raise InvalidInput("recordingUrl must be an http(s) URL.", field="recordingUrl")
        record.recording_url = event.recording_url[:500]


def _derived_result(record: models.CallRecord, third_party: bool) -> CallResult:
    if record.answered_at is not None:
        return CallResult.THIRD_PARTY_ANSWERED if third_party else CallResult.ANSWERED
    if third_party:
        return CallResult.THIRD_PARTY_NO_ANSWER
    if record.call_type is CallType.OUTBOUND:
        return CallResult.CUSTOMER_NO_ANSWER
    return CallResult.AGENT_NO_ANSWER


HANDLERS: dict[CallEventType, Callable[[_Step], Awaitable[models.CallRecord]]] = {
    CallEventType.INCOMING: _open_main,
    CallEventType.OUTGOING: _open_main,
    CallEventType.TRANSFER: _open_leg,
    CallEventType.CONSULT: _open_leg,
    CallEventType.MONITOR: _open_leg,
    CallEventType.RINGING: _updating(_ringing),
    CallEventType.ANSWERED: _updating(_answered),
    CallEventType.HOLD: _updating(_hold),
    CallEventType.UNHOLD: _updating(_unhold),
    CallEventType.VOICEMAIL: _updating(_voicemail),
    CallEventType.ABANDONED: _updating(_abandoned),
    CallEventType.ENDED: _updating(_ended),
}
