"""GraphQL types of the contact-center record. Nested objects come through the request's
loaders, so a page of calls or tickets costs a fixed number of statements whatever its size."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.accounts.models import Account
from app.contact import calls as call_service
from app.contact import directory, models, records, tickets

TicketStatus = strawberry.enum(models.TicketStatus, description=(
    "Ticket status. Allowed moves: NEW -> any but NEW, OPEN/PENDING/HOLD -> each other, SOLVED "
    "or CLOSED, SOLVED -> OPEN or CLOSED. CLOSED is final."))
Channel = strawberry.enum(models.Channel, description="Where a ticket, session or rating came from.")
CallType = strawberry.enum(models.CallType, description=(
    "INBOUND/OUTBOUND are main records, the others are legs (sub records) of a call."))
HangupParty = strawberry.enum(models.HangupParty, description="Who ended the call (R-CC-4).")
CallResult = strawberry.enum(models.CallResult, description=(
    "How the record ended. THIRD_PARTY_* only on third-party legs."))
CallWay = strawberry.enum(models.CallWay, description="How the agent took the call.")
TransferFlag = strawberry.enum(models.TransferFlag, description=(
    "TRANSFER_CONSULT when a transfer was not confirmed, TRANSFERRED only when it succeeded."))
SatisfactionLevel = strawberry.enum(models.SatisfactionLevel,
                                    description="The five satisfaction levels (R-SAT-1).")
AgentStatus = strawberry.enum(models.AgentStatus, description="An agent's status while logged in.")
ResolutionStatus = strawberry.enum(models.ResolutionStatus,
                                   description="Whether the customer's question was resolved.")


def _id(value: int) -> strawberry.ID:
    return strawberry.ID(str(value))


async def _accounts_by_id(ids: list[int]) -> dict[int, Account]:
    return {a.id: a for a in await Account.filter(id__in=ids)}


async def load_agent(info: Info, account_id: int | None) -> AgentRef | None:
    if account_id is None:
        return None
    row = await info.context.loader("accounts", _accounts_by_id).load(account_id)
    return AgentRef.from_model(row) if row else None


@strawberry.type(description="A custom field's name and value.")
class CustomField:
    name: str = strawberry.field(description="The field's name, 1-64 characters.")
    value: str = strawberry.field(description="The value, up to 2000 characters.")


@strawberry.input(description="A custom field's name and value.")
class CustomFieldInput:
    name: str = strawberry.field(description="The field's name, 1-64 characters, unique.")
    value: str = strawberry.field(description="The value, up to 2000 characters.")


def custom_fields(items: list[dict]) -> list[CustomField]:
    return [CustomField(name=i["name"], value=i["value"]) for i in items or []]


@strawberry.type(description="An agent as other records name them.")
class AgentRef:
    id: strawberry.ID = strawberry.field(description="The account's id.")
    account: str = strawberry.field(description="Login name.")
    display_name: str = strawberry.field(description="Name shown to colleagues.")
    email: str | None = strawberry.field(description="E-mail address, if known.")

    @classmethod
    def from_model(cls, row: Account) -> AgentRef:
        return cls(id=_id(row.id), account=row.account, display_name=row.display_name,
                   email=row.email)


@strawberry.type(description="A team (skill group) of agents.")
class Team:
    id: strawberry.ID = strawberry.field(description="The team's id.")
    name: str = strawberry.field(description="Unique name.")
    _row: strawberry.Private[models.Team]

    @classmethod
    def from_model(cls, row: models.Team) -> Team:
        return cls(id=_id(row.id), name=row.name, _row=row)

    @strawberry.field(description="The team's agents.")
    async def members(self, info: Info) -> list[AgentRef]:
        async def fetch(ids):
            found = {i: [] for i in ids}
            for m in await models.TeamMember.filter(team_id__in=ids).prefetch_related("account"):
                found[m.team_id].append(m.account)
            return found

        rows = await info.context.loader("team_members", fetch, list).load(self._row.id)
        return [AgentRef.from_model(r) for r in sorted(rows, key=lambda a: a.account)]


async def _teams_by_id(ids):
    return {t.id: t for t in await models.Team.filter(id__in=ids)}


async def load_team(info: Info, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    row = await info.context.loader("teams", _teams_by_id).load(team_id)
    return Team.from_model(row) if row else None


async def _queues_by_id(ids):
    return {q.id: q for q in await models.Queue.filter(id__in=ids)}


@strawberry.type(description="A call queue (IVR menu choice).")
class Queue:
    id: strawberry.ID = strawberry.field(description="The queue's id.")
    name: str = strawberry.field(description="Unique name.")
    _row: strawberry.Private[models.Queue]

    @classmethod
    def from_model(cls, row: models.Queue) -> Queue:
        return cls(id=_id(row.id), name=row.name, _row=row)

    @strawberry.field(description="The team serving the queue, if any.")
    async def team(self, info: Info) -> Team | None:
        return await load_team(info, self._row.team_id)


async def load_queue(info: Info, queue_id: int | None) -> Queue | None:
    if queue_id is None:
        return None
    row = await info.context.loader("queues", _queues_by_id).load(queue_id)
    return Queue.from_model(row) if row else None


@strawberry.type(description="A customer (R-CC-1).")
class Contact:
    id: strawberry.ID = strawberry.field(description="The contact's id.")
    name: str = strawberry.field(description="The customer's name.")
    email: str | None = strawberry.field(description="E-mail address (lower case).")
    external_id: str | None = strawberry.field(description="The customer system's id (docking id).")
    created_at: datetime = strawberry.field(description="When the contact was created (UTC).")
    _row: strawberry.Private[models.Contact]

    @classmethod
    def from_model(cls, row: models.Contact) -> Contact:
        return cls(id=_id(row.id), name=row.name, email=row.email, external_id=row.external_id,
                   created_at=row.created_at, _row=row)

    @strawberry.field(description="Phone numbers in E.164 (e.g. +8613800138000).")
    async def phones(self, info: Info) -> list[str]:
        return await info.context.loader("contact_phones", directory.phones_by_contact,
                                         list).load(self._row.id)


async def _contacts_by_id(ids):
    return {c.id: c for c in await models.Contact.filter(id__in=ids)}


async def load_contact(info: Info, contact_id: int | None) -> Contact | None:
    if contact_id is None:
        return None
    row = await info.context.loader("contacts", _contacts_by_id).load(contact_id)
    return Contact.from_model(row) if row else None


@strawberry.type(description="A ticket comment: public (the customer sees it) or internal.")
class TicketComment:
    id: strawberry.ID = strawberry.field(description="The comment's id.")
    body: str = strawberry.field(description="Plain text.")
    public: bool = strawberry.field(description="False for an internal note.")
    created_at: datetime = strawberry.field(description="When it was written (UTC).")
    _row: strawberry.Private[models.TicketComment]

    @classmethod
    def from_model(cls, row: models.TicketComment) -> TicketComment:
        return cls(id=_id(row.id), body=row.body, public=row.public, created_at=row.created_at,
                   _row=row)

    @strawberry.field(description="Who wrote it (null for a removed account).")
    async def author(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._row.author_id)


@strawberry.type(description="A ticket (R-CC-2).")
class Ticket:
    id: strawberry.ID = strawberry.field(description="The ticket's id.")
    subject: str = strawberry.field(description="1-200 characters.")
    description: str = strawberry.field(description="The customer's request.")
    status: TicketStatus = strawberry.field(description="Where the ticket stands.")
    channel: Channel = strawberry.field(description="Where the ticket came from.")
    menu_selection: str | None = strawberry.field(description="The IVR or menu choice, if any.")
    custom_fields: list[CustomField] = strawberry.field(description="Custom field values.")
    solved_at: datetime | None = strawberry.field(description="When it was last solved (UTC).")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="Last change (UTC).")
    _row: strawberry.Private[models.Ticket]

    @classmethod
    def from_model(cls, row: models.Ticket) -> Ticket:
        return cls(id=_id(row.id), subject=row.subject, description=row.description,
                   status=row.status, channel=row.channel, menu_selection=row.menu_selection,
                   custom_fields=custom_fields(row.custom_fields), solved_at=row.solved_at,
                   created_at=row.created_at, updated_at=row.updated_at, _row=row)

    @strawberry.field(description="The customer who asked.")
    async def requester(self, info: Info) -> Contact | None:
        return await load_contact(info, self._row.requester_id)

    @strawberry.field(description="The agent the ticket is assigned to.")
    async def assignee(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._row.assignee_id)

    @strawberry.field(description="The queue chosen, if any.")
    async def queue(self, info: Info) -> Queue | None:
        return await load_queue(info, self._row.queue_id)

    @strawberry.field(description="The ticket this one was merged into (it is then CLOSED).")
    def merged_into_id(self) -> strawberry.ID | None:
        return _id(self._row.merged_into_id) if self._row.merged_into_id else None

    @strawberry.field(description="Comments, oldest first, internal notes included.")
    async def comments(self, info: Info) -> list[TicketComment]:
        rows = await info.context.loader("ticket_comments", tickets.comments_by_ticket,
                                         list).load(self._row.id)
        return [TicketComment.from_model(r) for r in rows]

    @strawberry.field(description="The satisfaction survey sent when the ticket was solved.")
    async def satisfaction(self, info: Info) -> TicketSatisfaction | None:
        async def fetch(ids):
            return {i.ticket_id: i for i in
                    await models.TicketSatisfactionInvitation.filter(ticket_id__in=ids)}

        row = await info.context.loader("ticket_satisfaction", fetch).load(self._row.id)
        return TicketSatisfaction.from_model(row) if row else None


@strawberry.type(description="A ticket's satisfaction survey (R-SAT-2).")
class TicketSatisfaction:
    channel: Channel = strawberry.field(description="Where the invitation was sent.")
    invited_at: datetime = strawberry.field(description="When (UTC).")
    expires_at: datetime = strawberry.field(description="The link stops working then (UTC).")
    score: int | None = strawberry.field(description="1-5, null until answered.")
    comment: str | None = strawberry.field(description="The customer's comment.")
    rated_at: datetime | None = strawberry.field(description="Last answer (UTC).")
    _row: strawberry.Private[models.TicketSatisfactionInvitation]

    @classmethod
    def from_model(cls, row: models.TicketSatisfactionInvitation) -> TicketSatisfaction:
        return cls(channel=row.channel, invited_at=row.invited_at, expires_at=row.expires_at,
                   score=row.score, comment=row.comment, rated_at=row.rated_at, _row=row)

    @strawberry.field(description="The H5 survey page for the customer.")
    def survey_url(self, info: Info) -> str:
        from app.contact.satisfaction import survey_url
        settings = info.context.settings
        return survey_url(self._row, public_url=settings.public_url, secret_key=settings.secret_key)


@strawberry.type(description="One record of a phone call: the main record or one leg (R-CC-3..5).")
class CallRecord:
    id: strawberry.ID = strawberry.field(description="The telephony system's record id.")
    main_call_id: strawberry.ID = strawberry.field(
        description="Shared by every record of the call; equals `id` on the main record.")
    is_main: bool = strawberry.field(description="True on the main record.")
    call_type: CallType = strawberry.field(description="Main direction or leg type.")
    direction: CallType = strawberry.field(
        description="The main record's type (INBOUND or OUTBOUND), on every record of the call.")
    customer_phone: str | None = strawberry.field(description="The customer's number.")
    customer_name: str | None = strawberry.field(description="The customer's name.")
    caller: str | None = strawberry.field(description="Calling number.")
    callee: str | None = strawberry.field(description="Called number.")
    call_way: CallWay | None = strawberry.field(description="Web phone, SIP phone or mobile.")
    started_at: datetime = strawberry.field(description="When the record began (UTC).")
    answered_at: datetime | None = strawberry.field(description="When it was answered (UTC).")
    ended_at: datetime | None = strawberry.field(description="When it ended; null while going on.")
    ring_seconds: int = strawberry.field(description="Seconds ringing.")
    talk_seconds: int = strawberry.field(description="Seconds talking (hold excluded).")
    hold_seconds: int = strawberry.field(description="Seconds on hold.")
    queue_seconds: int = strawberry.field(description="Seconds waiting in the queue.")
    hangup_party: HangupParty | None = strawberry.field(description="Who hung up.")
    result: CallResult | None = strawberry.field(description="Null while the call goes on.")
    transfer_flag: TransferFlag = strawberry.field(description="Transfer outcome (R-CC-5).")
    consulted: bool = strawberry.field(description="True when a consult succeeded.")
    consult_count: int = strawberry.field(description="How many consults were started.")
    voicemail: bool = strawberry.field(description="True when the caller left a voicemail.")
    voicemail_url: str | None = strawberry.field(description="The voicemail, if any.")
    recording_url: str | None = strawberry.field(description="The call recording, if any.")
    _row: strawberry.Private[models.CallRecord]

    @classmethod
    def from_model(cls, row: models.CallRecord) -> CallRecord:
        return cls(
            id=strawberry.ID(row.call_id), main_call_id=strawberry.ID(row.main_call_id),
            is_main=row.is_main, call_type=row.call_type, direction=row.direction,
            customer_phone=row.customer_phone, customer_name=row.customer_name,
            caller=row.caller, callee=row.callee, call_way=row.call_way,
            started_at=row.started_at, answered_at=row.answered_at, ended_at=row.ended_at,
            ring_seconds=row.ring_seconds, talk_seconds=row.talk_seconds,
            hold_seconds=row.hold_seconds, queue_seconds=row.queue_seconds,
            hangup_party=row.hangup_party, result=row.result, transfer_flag=row.transfer_flag,
            consulted=row.consulted, consult_count=row.consult_count, voicemail=row.voicemail,
            voicemail_url=row.voicemail_url, recording_url=row.recording_url, _row=row)

    @strawberry.field(description="The agent's login name (null on third-party legs).")
    async def agent_account(self, info: Info) -> str | None:
        agent = await load_agent(info, self._row.agent_id)
        return agent.account if agent else None

    @strawberry.field(description="The agent on this record.")
    async def agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._row.agent_id)

    @strawberry.field(description="The agent's team when the record was written.")
    async def team(self, info: Info) -> Team | None:
        return await load_team(info, self._row.team_id)

    @strawberry.field(description="The queue, if any.")
    async def queue(self, info: Info) -> Queue | None:
        return await load_queue(info, self._row.queue_id)

    @strawberry.field(description="The call's legs, in start order (empty on a leg). An agent "
                                  "without `calls.view_all` sees only their own legs.")
    async def sub_calls(self, info: Info) -> list[CallRecord]:
        if not self._row.is_main:
            return []
        principal = info.context.principal

        async def fetch(main_ids):
            found = {m: [] for m in main_ids}
            query = call_service.visible_calls(principal).filter(
                main_call_id__in=main_ids, is_main=False).order_by("started_epoch", "id")
            for row in await query:
                found[row.main_call_id].append(row)
            return found

        rows = await info.context.loader("sub_calls", fetch, list).load(self._row.main_call_id)
        return [CallRecord.from_model(r) for r in rows]

    @strawberry.field(description="The call's main record (itself on a main record); null when "
                                  "the main record is not visible to the caller.")
    async def main_call(self, info: Info) -> CallRecord | None:
        if self._row.is_main:
            return self
        principal = info.context.principal

        async def fetch(ids):
            rows = await call_service.visible_calls(principal).filter(call_id__in=ids)
            return {r.call_id: r for r in rows}

        row = await info.context.loader("main_calls", fetch).load(self._row.main_call_id)
        return CallRecord.from_model(row) if row else None


@strawberry.type(description="A chat session handed from one agent to another.")
class SessionTransfer:
    transferred_at: datetime = strawberry.field(description="When (UTC).")
    reason: str | None = strawberry.field(description="Why, if given.")
    _row: strawberry.Private[models.SessionTransfer]

    @strawberry.field(description="The agent who handed it over.")
    async def from_agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._row.from_agent_id)

    @strawberry.field(description="The agent who took it.")
    async def to_agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._row.to_agent_id)


@strawberry.type(description="A chat session (R-CC-6).")
class ChatSession:
    id: strawberry.ID = strawberry.field(description="The chat system's session id.")
    channel: Channel = strawberry.field(description="Where the customer wrote from.")
    started_at: datetime = strawberry.field(description="Start (UTC).")
    ended_at: datetime | None = strawberry.field(description="End (UTC); null while going on.")
    transfer_count: int = strawberry.field(description="How many times it was transferred.")
    _row: strawberry.Private[models.ChatSession]

    @classmethod
    def from_model(cls, row: models.ChatSession) -> ChatSession:
        return cls(id=strawberry.ID(row.session_id), channel=row.channel, started_at=row.started_at,
                   ended_at=row.ended_at, transfer_count=row.transfer_count, _row=row)

    @strawberry.field(description="The agent serving it now (or last).")
    async def agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._row.agent_id)

    @strawberry.field(description="The customer, if known.")
    async def contact(self, info: Info) -> Contact | None:
        return await load_contact(info, self._row.contact_id)

    @strawberry.field(description="Transfer history, oldest first.")
    async def transfers(self, info: Info) -> list[SessionTransfer]:
        rows = await info.context.loader("session_transfers", records.transfers_by_session,
                                         list).load(self._row.id)
        return [SessionTransfer(transferred_at=r.transferred_at, reason=r.reason, _row=r)
                for r in rows]


@strawberry.type(description="A session's service summary (R-CC-7).")
class ServiceSummary:
    session_id: strawberry.ID = strawberry.field(description="The session.")
    summarized: bool = strawberry.field(description="False when no summary was written yet.")
    business_unit: str | None = strawberry.field(description="Business unit.")
    question_type: str | None = strawberry.field(description="Question type.")
    resolution_status: ResolutionStatus | None = strawberry.field(description="Resolved or not.")
    remark: str = strawberry.field(description="The agent's remark.")
    marked_valid: bool = strawberry.field(description="Whether the agent marked it valid.")
    custom_fields: list[CustomField] = strawberry.field(description="Custom summary fields.")
    updated_at: datetime | None = strawberry.field(description="Last change (UTC).")
    _agent_id: strawberry.Private[int | None]

    @strawberry.field(description="The agent who summarized.")
    async def agent(self, info: Info) -> AgentRef | None:
        return await load_agent(info, self._agent_id)

    @classmethod
    def of(cls, session: models.ChatSession, row: models.ServiceSummary | None) -> ServiceSummary:
        if row is None:
            return cls(session_id=strawberry.ID(session.session_id), summarized=False,
                       business_unit=None, question_type=None, resolution_status=None, remark="",
                       marked_valid=False, custom_fields=[], updated_at=None, _agent_id=None)
        return cls(session_id=strawberry.ID(session.session_id), summarized=True,
                   business_unit=row.business_unit, question_type=row.question_type,
                   resolution_status=row.resolution_status, remark=row.remark,
                   marked_valid=row.marked_valid, custom_fields=custom_fields(row.custom_fields),
                   updated_at=row.updated_at, _agent_id=row.agent_id)


@strawberry.type(description="A quality-check result (R-QC-1/2).")
class QcResult:
    id: strawberry.ID = strawberry.field(description="The session id (online) or call id.")
    started_at: datetime = strawberry.field(description="When the session or call began (UTC).")
    completed_at: datetime = strawberry.field(description="When the QC was completed (UTC).")
    agent_name: str | None = strawberry.field(description="The agent's display name.")
    agent_id: strawberry.ID | None = strawberry.field(description="The agent's account id.")
    agent_email: str | None = strawberry.field(description="The agent's e-mail.")
    scheme_id: str | None = strawberry.field(description="The QC scheme (online results only).")
    full_score: float = strawberry.field(description="Full score.")
    score: float = strawberry.field(description="Score.")
    standard_full: float = strawberry.field(description="Standard items: full score.")
    standard_score: float = strawberry.field(description="Standard items: score.")
    bonus_full: float = strawberry.field(description="Bonus items: full score.")
    bonus_score: float = strawberry.field(description="Bonus items: score.")
    deduction_full: float = strawberry.field(description="Deduction items: full score.")
    deduction_score: float = strawberry.field(description="Deduction items: score.")

    @classmethod
    def from_model(cls, row: models.QcResult) -> QcResult:
        agent = row.agent
        return cls(
            id=strawberry.ID(row.target_id), started_at=row.target_started_at,
            completed_at=row.completed_at, agent_name=agent.display_name if agent else None,
            agent_id=_id(agent.id) if agent else None, agent_email=agent.email if agent else None,
            scheme_id=row.scheme_id, full_score=row.full_score, score=row.score,
            standard_full=row.standard_full, standard_score=row.standard_score,
            bonus_full=row.bonus_full, bonus_score=row.bonus_score,
            deduction_full=row.deduction_full, deduction_score=row.deduction_score)


@strawberry.type(description="One page of QC results.")
class QcResultPage:
    total: int = strawberry.field(description="How many results the whole date range has.")
    rows: list[QcResult] = strawberry.field(description="This page, oldest completion first.")
