"""Writes to the contact-center record: agents' and admins' edits, integration imports and live
events. Integration writes need `integration.write`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.args import Id
from app.api.contact import types as t
from app.api.contact.queries import TicketSatisfactionSettings
from app.api.ids import parse_id
from app.api.permissions import requires, signed_in
from app.contact import calls, directory, live, records, satisfaction, tickets
from app.contact import models

_INTEGRATION = [requires(Permission.INTEGRATION_WRITE)]


def _custom(items: list[t.CustomFieldInput] | None) -> list[tuple[str, str]] | None:
    return None if items is None else [(i.name, i.value) for i in items]


def _opt_id(value: strawberry.ID | None, field: str) -> int | None:
    return None if value is None else parse_id(value, field=field)


@strawberry.input(description="A contact's fields.")
class ContactInput:
    name: str = strawberry.field(description="1-128 characters.")
    phones: list[str] = strawberry.field(default_factory=list, description=(
        "Up to 10 numbers in any formatting; stored as E.164."))
    email: str | None = strawberry.field(default=None, description="E-mail address.")
    external_id: str | None = strawberry.field(default=None, description=(
        "The customer system's id (docking id); unique. Required by importContacts."))

    def to_domain(self) -> directory.ContactInput:
        return directory.ContactInput(name=self.name, phones=list(self.phones), email=self.email,
                                      external_id=self.external_id)


@strawberry.input(description="A new ticket.")
class CreateTicketInput:
    subject: str = strawberry.field(description="1-200 characters.")
    description: str = strawberry.field(default="", description="The request, plain text.")
    channel: t.Channel = strawberry.field(default=models.Channel.WEB, description="Origin.")
    requester_id: strawberry.ID | None = strawberry.field(default=None, description="A contact.")
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description=(
        "Defaults to the caller for agents; others than yourself need `tickets.manage`."))
    queue_id: strawberry.ID | None = strawberry.field(default=None, description="A queue.")
    menu_selection: str | None = strawberry.field(default=None, description="IVR/menu choice.")
    custom_fields: list[t.CustomFieldInput] | None = strawberry.field(
        default=None, description="Custom field values.")


@strawberry.input(description="Changes to a ticket; omitted fields stay as they are.")
class UpdateTicketInput:
    subject: str | None = strawberry.field(default=None, description="1-200 characters.")
    description: str | None = strawberry.field(default=None, description="The request.")
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description=(
        "New assignee (`tickets.manage`)."))
    unassign: bool = strawberry.field(default=False, description="Remove the assignee.")
    custom_fields: list[t.CustomFieldInput] | None = strawberry.field(
        default=None, description="Replaces all custom field values.")


@strawberry.input(description="A service summary (R-CC-7).")
class ServiceSummaryInput:
    business_unit: str | None = strawberry.field(default=None, description="Business unit.")
    question_type: str | None = strawberry.field(default=None, description="Question type.")
    resolution_status: t.ResolutionStatus | None = strawberry.field(
        default=None, description="Resolved or not.")
    remark: str = strawberry.field(default="", description="Up to 2000 characters.")
    marked_valid: bool = strawberry.field(default=True, description="Mark the session valid.")
    custom_fields: list[t.CustomFieldInput] | None = strawberry.field(
        default=None, description="Custom summary fields.")


@strawberry.input(description="One call record to import (R-CC-3..5). `id` equal to `mainCallId` "
                              "makes it the main record.")
class CallRecordInput:
    id: str = strawberry.field(description="The telephony system's record id (idempotency key).")
    main_call_id: str = strawberry.field(description="The call's main record id.")
    call_type: t.CallType = strawberry.field(description="Main direction or leg type.")
    agent_account: str | None = strawberry.field(default=None, description="Agent login name.")
    queue: str | None = strawberry.field(default=None, description=(
        "Queue name; created when new."))
    customer_phone: str | None = strawberry.field(default=None, description="Customer number.")
    customer_name: str | None = strawberry.field(default=None, description="Customer name.")
    caller: str | None = strawberry.field(default=None, description="Calling number.")
    callee: str | None = strawberry.field(default=None, description="Called number.")
    call_way: t.CallWay | None = strawberry.field(default=None, description="Web, SIP or mobile.")
    started_at: datetime = strawberry.field(description="Start, with a time zone.")
    answered_at: datetime | None = strawberry.field(default=None, description="Answer time.")
    ended_at: datetime | None = strawberry.field(default=None, description="End time.")
    ring_seconds: int = strawberry.field(default=0, description="Seconds ringing.")
    talk_seconds: int = strawberry.field(default=0, description=(
        "Seconds talking; at most answeredAt to endedAt."))
    hold_seconds: int = strawberry.field(default=0, description="Seconds on hold.")
    queue_seconds: int = strawberry.field(default=0, description="Seconds queued.")
    hangup_party: t.HangupParty | None = strawberry.field(default=None, description="Who hung up.")
    result: t.CallResult | None = strawberry.field(default=None, description="How it ended.")
    transfer_flag: t.TransferFlag = strawberry.field(default=models.TransferFlag.NONE,
                                                     description="Transfer outcome.")
    consulted: bool = strawberry.field(default=False, description="A consult succeeded.")
    consult_count: int = strawberry.field(default=0, description="Consults started.")
    voicemail: bool = strawberry.field(default=False, description="A voicemail was left.")
    voicemail_url: str | None = strawberry.field(default=None, description="The voicemail.")
    recording_url: str | None = strawberry.field(default=None, description="The recording.")

    def as_record(self) -> dict:
        return {
            "id": self.id, "mainCallId": self.main_call_id, "callType": self.call_type,
            "agentAccount": self.agent_account, "queue": self.queue,
            "customerPhone": self.customer_phone, "customerName": self.customer_name,
            "caller": self.caller, "callee": self.callee, "callWay": self.call_way,
            "startedAt": self.started_at, "answeredAt": self.answered_at,
            "endedAt": self.ended_at, "ringSeconds": self.ring_seconds,
            "talkSeconds": self.talk_seconds, "holdSeconds": self.hold_seconds,
            "queueSeconds": self.queue_seconds, "hangupParty": self.hangup_party,
            "result": self.result, "transferFlag": self.transfer_flag,
            "consulted": self.consulted, "consultCount": self.consult_count,
            "voicemail": self.voicemail, "voicemailUrl": self.voicemail_url,
            "recordingUrl": self.recording_url,
        }


@strawberry.type(description="What an import did.")
class ImportResult:
    created: int = strawberry.field(description="New records.")
    updated: int = strawberry.field(description="Records that existed and were replaced.")


@strawberry.input(description="A chat session's hand-over.")
class SessionTransferInput:
    from_agent: str | None = strawberry.field(default=None, description="Login name.")
    to_agent: str | None = strawberry.field(default=None, description="Login name.")
    transferred_at: datetime = strawberry.field(description="When, with a time zone.")
    reason: str | None = strawberry.field(default=None, description="Why.")


@strawberry.input(description="A chat session to import (idempotent by sessionId).")
class ChatSessionInput:
    session_id: str = strawberry.field(description="The chat system's id.")
    channel: t.Channel = strawberry.field(description="Where the customer wrote from.")
    started_at: datetime = strawberry.field(description="Start, with a time zone.")
    ended_at: datetime | None = strawberry.field(default=None, description="End.")
    agent_account: str | None = strawberry.field(default=None, description="Serving agent.")
    contact_id: strawberry.ID | None = strawberry.field(default=None, description="A contact.")
    transfers: list[SessionTransferInput] | None = strawberry.field(
        default=None, description="Transfer history; replaces the stored one.")


@strawberry.input(description="A five-level rating (R-SAT-1) of a session or a call.")
class SatisfactionRatingInput:
    session_id: str | None = strawberry.field(default=None, description="The rated session.")
    main_call_id: str | None = strawberry.field(default=None, description="The rated call.")
    channel: t.Channel = strawberry.field(description="Where it was given.")
    level: t.SatisfactionLevel = strawberry.field(description="The rating.")
    comment: str | None = strawberry.field(default=None, description="Up to 1000 characters.")
    rated_at: datetime = strawberry.field(description="When, with a time zone.")
    agent_account: str | None = strawberry.field(default=None, description="Rated agent.")


@strawberry.input(description="A QC result (R-QC-1/2), idempotent by id.")
class QcResultInput:
    id: str = strawberry.field(description="Session id (online) or call id.")
    started_at: datetime = strawberry.field(description="Session or call start.")
    completed_at: datetime = strawberry.field(description="QC completion.")
    agent_account: str | None = strawberry.field(default=None, description="Checked agent.")
    scheme_id: str | None = strawberry.field(default=None, description="Online results only.")
    full_score: float = strawberry.field(description="Full score.")
    score: float = strawberry.field(description="Score.")
    standard_full: float = strawberry.field(default=0, description="Standard items full.")
    standard_score: float = strawberry.field(default=0, description="Standard items score.")
    bonus_full: float = strawberry.field(default=0, description="Bonus items full.")
    bonus_score: float = strawberry.field(default=0, description="Bonus items score.")
    deduction_full: float = strawberry.field(default=0, description="Deduction items full.")
    deduction_score: float = strawberry.field(default=0, description="Deduction items score.")

    def to_domain(self) -> records.QcInput:
        return records.QcInput(
            target_id=self.id, target_started_at=self.started_at, completed_at=self.completed_at,
            agent_account=self.agent_account, scheme_id=self.scheme_id,
            full_score=self.full_score, score=self.score, standard_full=self.standard_full,
            standard_score=self.standard_score, bonus_full=self.bonus_full,
            bonus_score=self.bonus_score, deduction_full=self.deduction_full,
            deduction_score=self.deduction_score)


@strawberry.input(description="Time an agent spent in one status (idempotent by agent and start).")
class AgentStatusIntervalInput:
    agent_account: str = strawberry.field(description="Login name.")
    status: t.AgentStatus = strawberry.field(description="IDLE, BUSY, ACW or BREAK.")
    started_at: datetime = strawberry.field(description="Start, with a time zone.")
    ended_at: datetime = strawberry.field(description="End, after the start.")


CallEventType = strawberry.enum(live.CallEventType, description=(
    "INCOMING/OUTGOING open a main record, TRANSFER/CONSULT/MONITOR open a leg (with callType), "
    "the others update the record `callId`."))
SessionEventType = strawberry.enum(live.SessionEventType, description="What happened to a chat.")


@strawberry.input(description="A live call event. Replaying an eventId changes nothing.")
class CallEventInput:
    event_id: str = strawberry.field(description="Unique per event (idempotency key).")
    type: CallEventType = strawberry.field(description="What happened.")
    call_id: str = strawberry.field(description="The record concerned (a new leg's id for "
                                                "TRANSFER/CONSULT/MONITOR).")
    main_call_id: str | None = strawberry.field(default=None, description="For new legs.")
    occurred_at: datetime = strawberry.field(description="When, with a time zone.")
    call_type: t.CallType | None = strawberry.field(default=None, description="A new leg's type.")
    agent_account: str | None = strawberry.field(default=None, description="The agent involved.")
    queue: str | None = strawberry.field(default=None, description="Queue name.")
    customer_phone: str | None = strawberry.field(default=None, description="Customer number.")
    customer_name: str | None = strawberry.field(default=None, description="Customer name.")
    caller: str | None = strawberry.field(default=None, description="Calling number.")
    callee: str | None = strawberry.field(default=None, description="Called number.")
    call_way: t.CallWay | None = strawberry.field(default=None, description="How it was taken.")
    hangup_party: t.HangupParty | None = strawberry.field(default=None, description="ENDED: who.")
    result: t.CallResult | None = strawberry.field(default=None, description=(
        "ENDED/ABANDONED: the result (derived when omitted)."))
    recording_url: str | None = strawberry.field(default=None, description="ENDED: recording.")
    voicemail_url: str | None = strawberry.field(default=None, description="VOICEMAIL: the file.")


@strawberry.input(description="A live chat event. Replaying an eventId changes nothing.")
class SessionEventInput:
    event_id: str = strawberry.field(description="Unique per event (idempotency key).")
    type: SessionEventType = strawberry.field(description="What happened.")
    session_id: str = strawberry.field(description="The session.")
    occurred_at: datetime = strawberry.field(description="When, with a time zone.")
    channel: t.Channel | None = strawberry.field(default=None, description="STARTED: channel.")
    agent_account: str | None = strawberry.field(default=None, description=(
        "STARTED/ASSIGNED: the agent, TRANSFERRED: the new agent."))
    contact_id: strawberry.ID | None = strawberry.field(default=None, description="STARTED.")
    level: t.SatisfactionLevel | None = strawberry.field(default=None, description="RATED.")
    comment: str | None = strawberry.field(default=None, description="RATED: comment.")
    reason: str | None = strawberry.field(default=None, description="TRANSFERRED: why.")


@strawberry.type(description="The outcome of a live call event.")
class CallEventResult:
    duplicate: bool = strawberry.field(description="True when the eventId was already applied.")
    call: t.CallRecord = strawberry.field(description="The record as it stands now.")


@strawberry.type(description="The outcome of a live chat event.")
class SessionEventResult:
    duplicate: bool = strawberry.field(description="True when the eventId was already applied.")
    session: t.ChatSession = strawberry.field(description="The session as it stands now.")


def _import_result(pair: tuple[int, int]) -> ImportResult:
    return ImportResult(created=pair[0], updated=pair[1])


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a team. Requires `accounts.manage`.",
                         extensions=[requires(Permission.ACCOUNTS_MANAGE)])
    async def create_team(self, name: Annotated[str, strawberry.argument(
            description="Unique, 1-64 characters.")]) -> t.Team:
        return t.Team.from_model(await directory.create_team(name))

    @strawberry.mutation(description="Make the team's members exactly these agents (each leaves "
                                     "any other team). Requires `accounts.manage`.",
                         extensions=[requires(Permission.ACCOUNTS_MANAGE)])
    async def set_team_members(self, team_id: Annotated[strawberry.ID, strawberry.argument(
            description="The team.")], account_ids: Annotated[list[strawberry.ID],
            strawberry.argument(description="Agent account ids.")]) -> t.Team:
        team = await directory.set_team_members(
            parse_id(team_id, field="teamId"),
            [parse_id(a, field="accountIds") for a in account_ids])
        return t.Team.from_model(team)

    @strawberry.mutation(description="Create a queue. Requires `settings.manage`.",
                         extensions=[requires(Permission.SETTINGS_MANAGE)])
    async def create_queue(self, name: Annotated[str, strawberry.argument(
            description="Unique, 1-64 characters.")], team_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Serving team.")] = None
    ) -> t.Queue:
        return t.Queue.from_model(await directory.create_queue(name, _opt_id(team_id, "teamId")))

    @strawberry.mutation(description="Create a contact. Signed in.", extensions=[signed_in()])
    async def create_contact(self, info: Info, input: Annotated[ContactInput, strawberry.argument(
            description="The contact.")]) -> t.Contact:
        row = await directory.create_contact(
            input.to_domain(), country_code=info.context.settings.phone_country_code)
        return t.Contact.from_model(row)

    @strawberry.mutation(description="Replace a contact's fields. Requires `contacts.manage`.",
                         extensions=[requires(Permission.CONTACTS_MANAGE)])
    async def update_contact(self, info: Info, id: Id, input: Annotated[
            ContactInput, strawberry.argument(description="The new fields.")]) -> t.Contact:
        row = await directory.update_contact(
            parse_id(id), input.to_domain(), country_code=info.context.settings.phone_country_code)
        return t.Contact.from_model(row)

    @strawberry.mutation(description="Create or update contacts by external id, all or nothing "
                                     "(1-1000). Requires `integration.write`.",
                         extensions=_INTEGRATION)
    async def import_contacts(self, info: Info, contacts: Annotated[
            list[ContactInput], strawberry.argument(description="The contacts.")]) -> ImportResult:
        return _import_result(await directory.import_contacts(
            [c.to_domain() for c in contacts],
            country_code=info.context.settings.phone_country_code))

    @strawberry.mutation(description="Create a ticket. Signed in; an agent's ticket is assigned "
                                     "to them.", extensions=[signed_in()])
    async def create_ticket(self, info: Info, input: Annotated[
            CreateTicketInput, strawberry.argument(description="The ticket.")]) -> t.Ticket:
        row = await tickets.create_ticket(info.context.principal, tickets.TicketInput(
            subject=input.subject, description=input.description, channel=input.channel,
            requester_id=_opt_id(input.requester_id, "requesterId"),
            assignee_id=_opt_id(input.assignee_id, "assigneeId"),
            queue_id=_opt_id(input.queue_id, "queueId"), menu_selection=input.menu_selection,
            custom_fields=_custom(input.custom_fields)))
        return t.Ticket.from_model(row)

    @strawberry.mutation(description="Change a visible ticket. Reassigning needs "
                                     "`tickets.manage`; a CLOSED ticket cannot change.",
                         extensions=[signed_in()])
    async def update_ticket(self, info: Info, id: Id, input: Annotated[
            UpdateTicketInput, strawberry.argument(description="The changes.")]) -> t.Ticket:
        row = await tickets.update_ticket(
            info.context.principal, parse_id(id), subject=input.subject,
            description=input.description, assignee_id=_opt_id(input.assignee_id, "assigneeId"),
            unassign=input.unassign, custom_fields=_custom(input.custom_fields))
        return t.Ticket.from_model(row)

    @strawberry.mutation(description="Move a visible ticket to another status, following the "
                                     "transition table (INVALID_TRANSITION otherwise). Solving "
                                     "sends the satisfaction invitation when enabled.",
                         extensions=[signed_in()])
    async def change_ticket_status(self, info: Info, id: Id, status: Annotated[
            t.TicketStatus, strawberry.argument(description="The new status.")]) -> t.Ticket:
        settings = info.context.settings
        row = await tickets.change_status(info.context.principal, parse_id(id), status,
                                          public_url=settings.public_url,
                                          secret_key=settings.secret_key)
        return t.Ticket.from_model(row)

    @strawberry.mutation(description="Comment on a visible ticket.", extensions=[signed_in()])
    async def add_ticket_comment(self, info: Info, id: Id,
                                 body: Annotated[str, strawberry.argument(
                                     description="1-20000 characters.")],
                                 public: Annotated[bool, strawberry.argument(
                                     description="False for an internal note.")] = False
                                 ) -> t.TicketComment:
        row = await tickets.add_comment(info.context.principal, parse_id(id), body, public)
        return t.TicketComment.from_model(row)

    @strawberry.mutation(description="Merge a ticket into another: the source is CLOSED with "
                                     "`mergedIntoId`, its comments copied as internal notes.",
                         extensions=[signed_in()])
    async def merge_tickets(self, info: Info,
                            source_id: Annotated[strawberry.ID, strawberry.argument(
                                description="The ticket to close.")],
                            target_id: Annotated[strawberry.ID, strawberry.argument(
                                description="The ticket that remains.")]) -> t.Ticket:
        row = await tickets.merge(info.context.principal, parse_id(source_id, field="sourceId"),
                                  parse_id(target_id, field="targetId"))
        return t.Ticket.from_model(row)

    @strawberry.mutation(description="Write or replace a visible session's service summary.",
                         extensions=[signed_in()])
    async def submit_service_summary(self, info: Info, session_id: Annotated[
            strawberry.ID, strawberry.argument(description="The session.")],
            input: Annotated[ServiceSummaryInput, strawberry.argument(
                description="The summary.")]) -> t.ServiceSummary:
        row = await records.submit_summary(info.context.principal, str(session_id),
                                           records.SummaryInput(
            business_unit=input.business_unit, question_type=input.question_type,
            resolution_status=input.resolution_status, remark=input.remark,
            marked_valid=input.marked_valid, custom_fields=_custom(input.custom_fields)))
        session = await models.ChatSession.get(id=row.session_id)
        return t.ServiceSummary.of(session, row)

    @strawberry.mutation(description="Set up ticket satisfaction. Requires `settings.manage`.",
                         extensions=[requires(Permission.SETTINGS_MANAGE)])
    async def update_ticket_satisfaction_settings(
        self, enabled: Annotated[bool, strawberry.argument(description="Send invitations.")],
        channels: Annotated[list[t.Channel], strawberry.argument(
            description="Ticket channels that get invitations.")],
        question: Annotated[str, strawberry.argument(description="1-500 characters.")],
        valid_days: Annotated[int, strawberry.argument(
            description="Days a link stays valid, 1-365.")] = 30,
    ) -> TicketSatisfactionSettings:
        row = await satisfaction.update_settings(enabled=enabled, channels=list(channels),
                                                 question=question, valid_days=valid_days)
        return TicketSatisfactionSettings.from_model(row)

    @strawberry.mutation(description="The customer's answer to a ticket survey. Public: the "
                                     "token is the permission. Answering again replaces the "
                                     "answer; unknown or expired tokens are SURVEY_UNAVAILABLE.")
    async def submit_ticket_satisfaction(
        self, info: Info,
        token: Annotated[str, strawberry.argument(description="From the survey link.")],
        score: Annotated[int, strawberry.argument(description="1-5.")],
        comment: Annotated[str | None, strawberry.argument(
            description="Up to 1000 characters.")] = None,
    ) -> bool:
        await satisfaction.submit(token, score, comment,
                                  secret_key=info.context.settings.secret_key)
        return True

    @strawberry.mutation(description="Import 1-1000 call records, idempotent by id, all or "
                                     "nothing: any invalid record gives BAD_USER_INPUT with "
                                     "`extensions.recordErrors` [{record, id, field, message}] "
                                     "and writes nothing. Requires `integration.write`.",
                         extensions=_INTEGRATION)
    async def import_call_records(self, records_: Annotated[
            list[CallRecordInput], strawberry.argument(name="records",
                                                       description="The records.")]
                                  ) -> ImportResult:
        outcome = await calls.import_call_records([r.as_record() for r in records_])
        return ImportResult(created=outcome.created, updated=outcome.updated)

    @strawberry.mutation(description="Import chat sessions (idempotent by sessionId, all or "
                                     "nothing). Requires `integration.write`.",
                         extensions=_INTEGRATION)
    async def import_chat_sessions(self, sessions: Annotated[
            list[ChatSessionInput], strawberry.argument(description="The sessions.")]
                                   ) -> ImportResult:
        return _import_result(await records.import_sessions([records.SessionInput(
            session_id=s.session_id, channel=s.channel, started_at=s.started_at,
            ended_at=s.ended_at, agent_account=s.agent_account,
            contact_id=_opt_id(s.contact_id, "contactId"),
            transfers=[records.SessionTransferInput(x.from_agent, x.to_agent, x.transferred_at,
                                                    x.reason) for x in s.transfers or []])
            for s in sessions]))

    @strawberry.mutation(description="Import session/call ratings (one per session or call; a "
                                     "new one replaces the old). Requires `integration.write`.",
                         extensions=_INTEGRATION)
    async def import_satisfaction_ratings(self, ratings: Annotated[
            list[SatisfactionRatingInput], strawberry.argument(description="The ratings.")]
                                          ) -> ImportResult:
        return _import_result(await satisfaction.import_ratings([{
            "session_id": r.session_id, "main_call_id": r.main_call_id, "channel": r.channel,
            "level": r.level, "comment": r.comment, "rated_at": r.rated_at,
            "agent_account": r.agent_account} for r in ratings]))

    @strawberry.mutation(description="Import online (chat) QC results. Requires "
                                     "`integration.write`.", extensions=_INTEGRATION)
    async def import_online_qc_results(self, results: Annotated[
            list[QcResultInput], strawberry.argument(description="The results.")]) -> ImportResult:
        return _import_result(await records.import_qc(models.QcKind.ONLINE,
                                                      [r.to_domain() for r in results]))

    @strawberry.mutation(description="Import call QC results (no scheme id). Requires "
                                     "`integration.write`.", extensions=_INTEGRATION)
    async def import_call_qc_results(self, results: Annotated[
            list[QcResultInput], strawberry.argument(description="The results.")]) -> ImportResult:
        return _import_result(await records.import_qc(models.QcKind.CALL,
                                                      [r.to_domain() for r in results]))

    @strawberry.mutation(description="Import agent status intervals between login and logout. "
                                     "Requires `integration.write`.", extensions=_INTEGRATION)
    async def import_agent_status_intervals(self, intervals: Annotated[
            list[AgentStatusIntervalInput], strawberry.argument(description="The intervals.")]
                                            ) -> ImportResult:
        return _import_result(await records.import_intervals([records.IntervalInput(
            agent_account=i.agent_account, status=i.status, started_at=i.started_at,
            ended_at=i.ended_at) for i in intervals]))

    @strawberry.mutation(description="Apply a live call event. Requires `integration.write`.",
                         extensions=_INTEGRATION)
    async def record_call_event(self, input: Annotated[CallEventInput, strawberry.argument(
            description="The event.")]) -> CallEventResult:
        duplicate, row = await live.record_call_event(live.CallEvent(
            event_id=input.event_id, type=input.type, call_id=input.call_id,
            main_call_id=input.main_call_id, occurred_at=input.occurred_at,
            call_type=input.call_type, agent_account=input.agent_account, queue=input.queue,
            customer_phone=input.customer_phone, customer_name=input.customer_name,
            caller=input.caller, callee=input.callee, call_way=input.call_way,
            hangup_party=input.hangup_party, result=input.result,
            recording_url=input.recording_url, voicemail_url=input.voicemail_url))
        return CallEventResult(duplicate=duplicate, call=t.CallRecord.from_model(row))

    @strawberry.mutation(description="Apply a live chat event. Requires `integration.write`.",
                         extensions=_INTEGRATION)
    async def record_session_event(self, input: Annotated[SessionEventInput, strawberry.argument(
            description="The event.")]) -> SessionEventResult:
        duplicate, row = await live.record_session_event(live.SessionEvent(
            event_id=input.event_id, type=input.type, session_id=input.session_id,
            occurred_at=input.occurred_at, channel=input.channel,
            agent_account=input.agent_account,
            contact_id=_opt_id(input.contact_id, "contactId"), level=input.level,
            comment=input.comment, reason=input.reason))
        return SessionEventResult(duplicate=duplicate, session=t.ChatSession.from_model(row))
