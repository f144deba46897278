"""Reads of the contact-center record. Every list is keyset-paginated and filtered by who asks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.accounts.permissions import Permission
from app.api.args import After, First, Id
from app.api.contact import types as t
from app.api.ids import parse_id
from app.api.pagination import Connection, to_connection
from app.api.permissions import requires, signed_in
from app.contact import calls, directory, events, models, records, reports, satisfaction, tickets
from app.errors import InvalidInput
from app.pagination import paginate

FromDay = Annotated[date, strawberry.argument(
    name="from", description="First day, inclusive, in the business time zone.")]
ToDay = Annotated[date, strawberry.argument(
    description="Last day, inclusive, in the business time zone.")]


@strawberry.input(description="Which call records to list or report on (R-RPT-3). Every field "
                              "is optional; lists match any of their values.")
class CallFilter:
    from_: date | None = strawberry.field(name="from", default=None, description=(
        "First day (inclusive, business time zone) of the records' start."))
    to: date | None = strawberry.field(default=None, description="Last day, inclusive.")
    agent_accounts: list[str] | None = strawberry.field(default=None, description=(
        "Agents' login names; an unknown name is BAD_USER_INPUT."))
    teams: list[strawberry.ID] | None = strawberry.field(default=None, description="Team ids.")
    queues: list[strawberry.ID] | None = strawberry.field(default=None, description="Queue ids.")
    call_types: list[t.CallType] | None = strawberry.field(default=None, description="Types.")
    hangup_parties: list[t.HangupParty] | None = strawberry.field(default=None,
                                                                 description="Who hung up.")
    results: list[t.CallResult] | None = strawberry.field(default=None, description="Results.")
    transferred_only: bool = strawberry.field(default=False, description=(
        "Only records whose transfer flag is not NONE."))
    main_only: bool = strawberry.field(default=False, description="Only main records.")


async def to_report_filter(flt: CallFilter | None, *, field: str = "filter") -> reports.CallFilter:
    if flt is None:
        return reports.CallFilter()

    def ids(values, name):
        if values is None:
            return None
        return [parse_id(v, field=f"{field}.{name}") for v in values]

    return reports.CallFilter(
        agent_ids=await reports.resolve_agents(flt.agent_accounts, f"{field}.agentAccounts"),
        team_ids=ids(flt.teams, "teams"), queue_ids=ids(flt.queues, "queues"),
        call_types=flt.call_types, hangup_parties=flt.hangup_parties, results=flt.results,
        transferred_only=flt.transferred_only, main_only=flt.main_only)


@strawberry.input(description="Which tickets to list.")
class TicketFilter:
    statuses: list[t.TicketStatus] | None = strawberry.field(default=None, description="Statuses.")
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description="Assignee.")
    requester_id: strawberry.ID | None = strawberry.field(default=None, description="Requester.")


@strawberry.input(description="Which chat sessions to list.")
class SessionFilter:
    from_: date | None = strawberry.field(name="from", default=None,
                                          description="First day of the start, inclusive.")
    to: date | None = strawberry.field(default=None, description="Last day, inclusive.")
    channel: t.Channel | None = strawberry.field(default=None, description="Only this channel.")
    transferred_only: bool = strawberry.field(default=False,
                                              description="Only sessions that were transferred.")


def _days(info: Info, first: date | None, last: date | None) -> reports.Range | None:
    if first is None and last is None:
        return None
    if first is None or last is None:
        raise InvalidInput("Give both `from` and `to`, or neither.", field="filter.from")
    return reports.day_range(first, last, info.context.settings.timezone)


@strawberry.type
class Query:
    @strawberry.field(description="Teams (skill groups). Signed in.", extensions=[signed_in()])
    async def teams(self, first: First = 50, after: After = None) -> Connection[t.Team]:
        return to_connection(await paginate(models.Team.all(), first=first, after=after),
                             t.Team.from_model)

    @strawberry.field(description="Call queues. Signed in.", extensions=[signed_in()])
    async def queues(self, first: First = 50, after: After = None) -> Connection[t.Queue]:
        return to_connection(await paginate(models.Queue.all(), first=first, after=after),
                             t.Queue.from_model)

    @strawberry.field(description="Contacts, optionally matching `search` by name (contains), "
                                  "e-mail, external id or phone number in any formatting. "
                                  "Signed in.", extensions=[signed_in()])
    async def contacts(
        self, info: Info,
        search: Annotated[str | None, strawberry.argument(
            description="Name part, e-mail, external id or phone number.")] = None,
        first: First = 20, after: After = None,
    ) -> Connection[t.Contact]:
        query = directory.search_contacts(search, country_code=info.context.settings.phone_country_code)
        return to_connection(await paginate(query, first=first, after=after), t.Contact.from_model)

    @strawberry.field(description="One contact, or null. Signed in.", extensions=[signed_in()])
    async def contact(self, id: Id) -> t.Contact | None:
        row = await models.Contact.get_or_none(id=parse_id(id))
        return t.Contact.from_model(row) if row else None

    @strawberry.field(description="Tickets: an agent sees those assigned to them, `tickets.manage` "
                                  "sees all.", extensions=[signed_in()])
    async def tickets(self, info: Info, filter: Annotated[TicketFilter | None, strawberry.argument(
            description="Optional conditions.")] = None,
            first: First = 20, after: After = None) -> Connection[t.Ticket]:
        query = tickets.visible_tickets(info.context.principal)
        if filter is not None:
            if filter.statuses is not None:
                query = query.filter(status__in=list(filter.statuses))
            if filter.assignee_id is not None:
                query = query.filter(assignee_id=parse_id(filter.assignee_id, field="assigneeId"))
            if filter.requester_id is not None:
                query = query.filter(requester_id=parse_id(filter.requester_id,
                                                           field="requesterId"))
        return to_connection(await paginate(query, first=first, after=after), t.Ticket.from_model)

    @strawberry.field(description="One visible ticket, or null.", extensions=[signed_in()])
    async def ticket(self, info: Info, id: Id) -> t.Ticket | None:
        row = await tickets.visible_tickets(info.context.principal).filter(id=parse_id(id)).first()
        return t.Ticket.from_model(row) if row else None

    @strawberry.field(description="Call records, main and legs, oldest first. An agent sees the "
                                  "records where they are the agent (including legs they were "
                                  "consulted, transfer-consulted or transferred on); "
                                  "`calls.view_all` sees all.", extensions=[signed_in()])
    async def calls(self, info: Info, filter: Annotated[CallFilter | None, strawberry.argument(
            description="Optional conditions.")] = None,
            first: First = 20, after: After = None) -> Connection[t.CallRecord]:
        query = calls.visible_calls(info.context.principal)
        flt = await to_report_filter(filter)
        rng = _days(info, filter.from_, filter.to) if filter else None
        if rng is not None:
            query = query.filter(started_epoch__gte=rng.start_epoch,
                                 started_epoch__lt=rng.end_epoch)
        query = flt.apply_to(query)
        return to_connection(await paginate(query, first=first, after=after),
                             t.CallRecord.from_model)

    @strawberry.field(description="One visible call record by its id, or null.",
                      extensions=[signed_in()])
    async def call(self, info: Info, id: Id) -> t.CallRecord | None:
        row = await calls.visible_calls(info.context.principal).filter(call_id=str(id)).first()
        return t.CallRecord.from_model(row) if row else None

    @strawberry.field(description="Chat sessions, oldest first. An agent sees those they served "
                                  "or that were transferred to or from them; `reports.view` or "
                                  "`calls.view_all` sees all.", extensions=[signed_in()])
    async def chat_sessions(self, info: Info, filter: Annotated[
            SessionFilter | None, strawberry.argument(description="Optional conditions.")] = None,
            first: First = 20, after: After = None) -> Connection[t.ChatSession]:
        query = records.visible_sessions(info.context.principal)
        if filter is not None:
            rng = _days(info, filter.from_, filter.to)
            if rng is not None:
                query = query.filter(started_at__gte=rng.start, started_at__lt=rng.end)
            if filter.channel is not None:
                query = query.filter(channel=filter.channel)
            if filter.transferred_only:
                query = query.filter(transfer_count__gt=0)
        return to_connection(await paginate(query, first=first, after=after),
                             t.ChatSession.from_model)

    @strawberry.field(description="One visible chat session, or null.", extensions=[signed_in()])
    async def chat_session(self, info: Info, id: Id) -> t.ChatSession | None:
        row = await records.visible_sessions(info.context.principal).filter(
            session_id=str(id)).first()
        return t.ChatSession.from_model(row) if row else None

    @strawberry.field(description="A session's service summary (`summarized: false` when none "
                                  "was written). NOT_FOUND for an unknown or hidden session.",
                      extensions=[signed_in()])
    async def service_summary(self, info: Info, session_id: Annotated[strawberry.ID, strawberry.argument(
            description="The chat session's id.")]) -> t.ServiceSummary:
        session = await records.session_for(info.context.principal, str(session_id))
        row = await models.ServiceSummary.filter(session_id=session.id).first()
        return t.ServiceSummary.of(session, row)

    @strawberry.field(description="Online (chat) QC results completed in the date range "
                                  "(R-QC-1). Requires `qc.view`.",
                      extensions=[requires(Permission.QC_VIEW)])
    async def online_qc_results(self, info: Info, from_: FromDay, to: ToDay,
                                page: Annotated[int, strawberry.argument(
                                    description="Page number from 1.")] = 1,
                                page_size: Annotated[int, strawberry.argument(
                                    description="1-100 rows per page.")] = 20) -> t.QcResultPage:
        return await _qc(info, models.QcKind.ONLINE, from_, to, page, page_size)

    @strawberry.field(description="Call QC results completed in the date range (R-QC-2). "
                                  "Requires `qc.view`.", extensions=[requires(Permission.QC_VIEW)])
    async def call_qc_results(self, info: Info, from_: FromDay, to: ToDay,
                              page: Annotated[int, strawberry.argument(
                                  description="Page number from 1.")] = 1,
                              page_size: Annotated[int, strawberry.argument(
                                  description="1-100 rows per page.")] = 20) -> t.QcResultPage:
        return await _qc(info, models.QcKind.CALL, from_, to, page, page_size)

    @strawberry.field(description="Ticket satisfaction settings. Requires `settings.manage`.",
                      extensions=[requires(Permission.SETTINGS_MANAGE)])
    async def ticket_satisfaction_settings(self) -> TicketSatisfactionSettings:
        return TicketSatisfactionSettings.from_model(await satisfaction.settings())


async def _qc(info, kind, first_day, last_day, page, page_size) -> t.QcResultPage:
    rng = reports.day_range(first_day, last_day, info.context.settings.timezone)
    total, rows = await records.qc_page(kind, rng.start, rng.end, page, page_size)
    return t.QcResultPage(total=total, rows=[t.QcResult.from_model(r) for r in rows])


@strawberry.type(description="Ticket satisfaction settings (R-SAT-2).")
class TicketSatisfactionSettings:
    enabled: bool = strawberry.field(description="Invitations are sent only when enabled.")
    channels: list[t.Channel] = strawberry.field(
        description="Tickets from these channels get an invitation when solved.")
    question: str = strawberry.field(description="The question the survey page asks.")
    valid_days: int = strawberry.field(description="Days a survey link stays valid.")

    @classmethod
    def from_model(cls, row) -> TicketSatisfactionSettings:
        return cls(enabled=row.enabled, channels=[models.Channel(c) for c in row.channels],
                   question=row.question, valid_days=row.valid_days)


@strawberry.type(description="One entry of the domain event log.")
class DomainEvent:
    id: strawberry.ID = strawberry.field(description="Position in the log (increasing).")
    topic: str = strawberry.field(description="What happened, e.g. `call.answered`.")
    subject_id: str | None = strawberry.field(description="The main call, ticket or session.")
    payload: strawberry.scalars.JSON = strawberry.field(description="The event's data.")
    occurred_at: datetime = strawberry.field(description="When it was logged (UTC).")


@strawberry.type(description="A consumer of the domain event log and how far behind it is.")
class EventConsumer:
    name: str = strawberry.field(description="The consumer, e.g. `zendesk`.")
    position: strawberry.ID = strawberry.field(description="The last event id it handled.")
    lag: int = strawberry.field(description="Events logged after its position.")
    updated_at: datetime = strawberry.field(description="When its cursor last moved (UTC).")


@strawberry.type
class EventLogQuery:
    @strawberry.field(description="The domain event log after `after` (an event id), oldest "
                                  "first, at most 100. Requires `settings.manage`.",
                      extensions=[requires(Permission.SETTINGS_MANAGE)])
    async def domain_events(
        self, after: Annotated[strawberry.ID | None, strawberry.argument(
            description="An event id; omit to start at the beginning.")] = None,
        first: First = 50,
    ) -> list[DomainEvent]:
        from app.pagination import check_page_size

        check_page_size(first)
        start = 0 if after is None else parse_id(after, field="after")
        rows = await events.read(after=start, limit=first)
        return [DomainEvent(id=strawberry.ID(str(r.id)), topic=r.topic, subject_id=r.subject_id,
                            payload=r.payload, occurred_at=r.occurred_at) for r in rows]

    @strawberry.field(description="Every consumer of the event log with its lag. Requires "
                                  "`settings.manage`.",
                      extensions=[requires(Permission.SETTINGS_MANAGE)])
    async def event_consumers(self) -> list[EventConsumer]:
        last = await models.DomainEvent.all().order_by("-id").first()
        head = last.id if last else 0
        return [EventConsumer(name=c.name, position=strawberry.ID(str(c.position)),
                              lag=max(0, head - c.position), updated_at=c.updated_at)
                for c in await models.EventConsumer.all().order_by("name")]
