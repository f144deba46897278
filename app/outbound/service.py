"""The agent's outbound-call flows (R-OUT-1..3).

:func:`options` is what the agent adapter's outbound form shows for a number, a contact or a
ticket id: the matching contacts (0, 1 or many), their open tickets (0, 1 or many), the ticket
choices the settings allow, and the number to dial (the placeholder when there is none).
:func:`start` validates the agent's choice against the settings and the data and, in one
transaction, makes or links the ticket (a linked ticket is set open, R-ZD-4), writes the call
as a note on it (an entered number is written there, never saved on the contact) and remembers
the call, so the Zendesk call rules (app/zendesk/calls.py) log the call's events on that ticket.

Agents see the tickets assigned to them (app/tickets/visibility.py): the open tickets listed
and the tickets that can be linked are those.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.channels import Channel
from app.directory.contacts import phones_by_contact
from app.directory.models import Contact, ContactPhone, TeamMember
from app.directory.phones import normalize_phone, try_normalize_phone
from app.errors import Conflict, InvalidInput, NotFound
from app.outbound import models
from app.tickets import service as tickets
from app.tickets.models import Ticket, TicketStatus
from app.tickets.visibility import get_visible, visible_tickets

PLACEHOLDER = "(415) 123-4567"
OPEN = (TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING, TicketStatus.HOLD)
NO_TICKET_WARNING = "Without a ticket the call's recording cannot be found from Zendesk."
LIST_LIMIT = 20


class Choice(StrEnum):
    EXISTING_TICKET = "EXISTING_TICKET"
    NEW_TICKET = "NEW_TICKET"
    NO_TICKET = "NO_TICKET"


@dataclass
class Options:
    contacts: list[Contact]
    open_tickets: list[Ticket]
    choices: list[Choice]
    prompt: bool
    default_ticket_id: int | None
    number: str | None
    allow_entered_number: bool
    ticket_id_enabled: bool
    ticket_id_required: bool
    warning: str | None
    placeholder: str = PLACEHOLDER


@dataclass
class StartInput:
    choice: Choice
    phone: str | None = None
    contact_id: int | None = None
    ticket_id: int | None = None
    entered_number: bool = False
    from_contact: bool = False  # click-to-dial from a contact
    call_id: str | None = None


# -- settings ------------------------------------------------------------------------------------


async def get_settings() -> models.OutboundSettings:
    row, _ = await models.OutboundSettings.get_or_create(id=1)
    return row


async def update_settings(**changes: bool | None) -> models.OutboundSettings:
    row = await get_settings()
    for name, value in changes.items():
        if value is not None:
            setattr(row, name, bool(value))
    await row.save()
    return row


async def team_settings() -> list[models.OutboundTeam]:
    return await models.OutboundTeam.all().order_by("team_id")


async def set_team(team_id: int, *, enabled: bool, required: bool) -> models.OutboundTeam:
    from app.directory.models import Team

    if not await Team.filter(id=team_id).exists():
        raise InvalidInput("No such team.", field="teamId")
    if required and not enabled:
        raise InvalidInput("A required ticket id must be enabled.", field="ticketIdRequired")
    row, _ = await models.OutboundTeam.update_or_create(
        team_id=team_id, defaults={"ticket_id_enabled": enabled, "ticket_id_required": required}
    )
    return row


async def team_of(agent_id: int | None) -> models.OutboundTeam | None:
    if agent_id is None:
        return None
    member = await TeamMember.get_or_none(account_id=agent_id)
    if member is None:
        return None
    return await models.OutboundTeam.get_or_none(team_id=member.team_id)


# -- reading the data ----------------------------------------------------------------------------


def _phone(raw: str | None, country_code: str) -> str | None:
    if raw is None or not raw.strip():
        return None
    return normalize_phone(raw, country_code=country_code, field="phone")


async def _contacts_with(phone: str) -> list[Contact]:
    ids = await ContactPhone.filter(e164=phone).values_list("contact_id", flat=True)
    return await Contact.filter(id__in=ids).order_by("-created_at", "-id").limit(LIST_LIMIT)


async def _open_tickets(actor: Principal, contact_id: int) -> list[Ticket]:
    return (
        await visible_tickets(actor)
        .filter(requester_id=contact_id, status__in=OPEN)
        .order_by("-id")
        .limit(LIST_LIMIT)
    )


async def _ticket_phone(ticket: Ticket, phone_field: str | None, country_code: str) -> str | None:
    """R-OUT-3: the configured ticket custom field, else the requester's first number."""
    if phone_field:
        for item in ticket.custom_fields or []:
            if item.get("name") == phone_field and item.get("value"):
                found = try_normalize_phone(str(item["value"]), country_code=country_code)
                if found:
                    return found
    if ticket.requester_id is not None:
        phones = (await phones_by_contact([ticket.requester_id]))[ticket.requester_id]
        return phones[0] if phones else None
    return None


async def _linkable(actor: Principal, ticket_id: int) -> Ticket:
    ticket = await get_visible(actor, ticket_id)
    if ticket.status not in OPEN:
        raise Conflict(
            f"Ticket {ticket_id} is {str(ticket.status).lower()}: a solved or closed ticket "
            "cannot be linked to a call.",
            code="TICKET_NOT_LINKABLE",
            field="ticketId",
        )
    return ticket


async def options(
    *,
    actor: Principal,
    phone: str | None,
    contact_id: int | None,
    ticket_id: int | None,
    country_code: str,
    phone_field: str | None = None,
) -> Options:
    settings = await get_settings()
    team = await team_of(actor.id)
    number = _phone(phone, country_code)
    contacts: list[Contact] = []
    open_tickets: list[Ticket] = []
    if ticket_id is not None:
        ticket = await _linkable(actor, ticket_id)
        if contact_id is not None and ticket.requester_id != contact_id:
            raise InvalidInput("The ticket belongs to another contact.", field="ticketId")
        open_tickets = [ticket]
        if ticket.requester_id is not None:
            contacts = [await Contact.get(id=ticket.requester_id)]
        number = number or await _ticket_phone(ticket, phone_field, country_code)
    elif contact_id is not None:
        contact = await Contact.get_or_none(id=contact_id)
        if contact is None:
            raise NotFound("No such contact.", field="contactId")
        contacts = [contact]
    elif number is not None:
        contacts = await _contacts_with(number)
    if ticket_id is None and len(contacts) == 1:
        open_tickets = await _open_tickets(actor, contacts[0].id)
        if number is None:
            phones = (await phones_by_contact([contacts[0].id]))[contacts[0].id]
            number = phones[0] if phones else None
    choices = _choices(settings, bool(open_tickets), ticket_given=ticket_id is not None)
    enabled = bool(team and team.ticket_id_enabled)
    return Options(
        contacts=contacts,
        open_tickets=open_tickets,
        choices=choices,
        prompt=settings.prompt_ticket_choice,
        default_ticket_id=(
            open_tickets[0].id if open_tickets and not settings.prompt_ticket_choice else None
        ),
        number=number,
        allow_entered_number=settings.allow_entered_number and not enabled,
        ticket_id_enabled=enabled,
        ticket_id_required=bool(team and team.ticket_id_required),
        warning=NO_TICKET_WARNING if Choice.NO_TICKET in choices else None,
    )


def _choices(settings: models.OutboundSettings, has_open: bool, *, ticket_given: bool) -> list:
    if ticket_given:
        return [Choice.EXISTING_TICKET]
    found = []
    if settings.prompt_ticket_choice:
        if has_open:
            found.append(Choice.EXISTING_TICKET)
        if settings.allow_new_ticket or not has_open:
            found.append(Choice.NEW_TICKET)
    else:  # the newest open ticket is used, else a new one
        found.append(Choice.EXISTING_TICKET if has_open else Choice.NEW_TICKET)
    if settings.allow_no_ticket:
        found.append(Choice.NO_TICKET)
    return found


# -- starting a call -----------------------------------------------------------------------------


async def start(
    *,
    actor: Principal,
    data: StartInput,
    country_code: str,
    now: datetime,
    phone_field: str | None = None,
) -> models.OutboundCall:
    settings = await get_settings()
    team = await team_of(actor.id)
    if team is not None and team.ticket_id_enabled:
        if data.entered_number or data.from_contact:
            raise Conflict(
                "This team logs calls by ticket id: entering a new number and click-to-dial from "
                "a contact are not available.",
                code="TICKET_ID_TEAM",
                field="enteredNumber" if data.entered_number else "fromContact",
            )
        if team.ticket_id_required and data.ticket_id is None:
            raise InvalidInput("This team must enter a ticket id.", field="ticketId")
    if data.entered_number and not settings.allow_entered_number:
        raise Conflict(
            "Calling an entered number is turned off.", code="NOT_ALLOWED", field="enteredNumber"
        )
    if data.call_id is not None and not 1 <= len(data.call_id) <= 64:
        raise InvalidInput("callId is 1-64 characters.", field="callId")
    if data.call_id and await models.OutboundCall.filter(call_id=data.call_id).exists():
        raise Conflict("This call was already started.", code="CALL_EXISTS", field="callId")
    opts = await options(
        actor=actor, phone=data.phone, contact_id=data.contact_id, ticket_id=data.ticket_id,
        country_code=country_code, phone_field=phone_field,
    )  # fmt: skip
    if data.choice not in opts.choices:
        allowed = ", ".join(opts.choices) or "none"
        raise Conflict(
            f"{data.choice} is not allowed here (allowed: {allowed}).",
            code="NOT_ALLOWED",
            field="choice",
        )
    number = opts.number
    if number is None:
        raise InvalidInput("There is no number to dial.", field="phone")
    contact = opts.contacts[0] if len(opts.contacts) == 1 else None
    if data.entered_number and data.contact_id is None and data.ticket_id is None:
        contact = None  # a number typed in is not a contact's
    ticket_id = await _ticket_for(actor, data, opts)
    async with in_transaction():
        if data.choice is Choice.NEW_TICKET:
            who = contact.name if contact else number
            ticket_id = (
                await tickets.create_ticket(
                    actor=actor,
                    data=tickets.TicketInput(
                        subject=f"Outbound call to {who}"[:200],
                        description=f"Outbound call to {number}.",
                        channel=Channel.PHONE,
                        requester_id=contact.id if contact else None,
                        assignee_id=actor.id,
                    ),
                )
            ).id
        elif ticket_id is not None:
            ticket = await Ticket.get(id=ticket_id)
            if ticket.status is not TicketStatus.OPEN:  # R-ZD-4: attached and set open
                await tickets.change_status(
                    actor=actor, ticket_id=ticket_id, status=TicketStatus.OPEN, public_url="",
                    secret_key="",
                )  # fmt: skip
        if ticket_id is not None:
            note = f"Outbound call to {number}."
            if data.entered_number:
                note += " The number was entered by the agent (not saved on the contact)."
            await tickets.add_comment(actor=actor, ticket_id=ticket_id, body=note, public=False)
        return await models.OutboundCall.create(
            agent_id=actor.id or 0, phone=number, contact_id=contact.id if contact else None,
            ticket_id=ticket_id, entered_number=data.entered_number, call_id=data.call_id,
            created_at=now,
        )  # fmt: skip


async def _ticket_for(actor: Principal, data: StartInput, opts: Options) -> int | None:
    if data.choice is not Choice.EXISTING_TICKET:
        return None
    if data.ticket_id is not None:
        if all(t.id != data.ticket_id for t in opts.open_tickets):
            await _linkable(actor, data.ticket_id)  # not visible/not open: that error
            raise InvalidInput("The ticket is not one of the contact's.", field="ticketId")
        return data.ticket_id
    if opts.default_ticket_id is not None:
        return opts.default_ticket_id
    raise InvalidInput("Choose one of the open tickets.", field="ticketId")
