"""Rules of the integration guide for calls, run by the worker from the live call events.

- The customer (R-ZD-1, R-ZD-9): the contact with the call's number — when several share it,
  the most recently created; an inbound call from a new number creates a contact.
- Inbound (on answer, or at the end of an IVR-only call): an open voicemail ticket for the
  number is reused; a call back within 10 minutes of a call shorter than 10 s attaches to that
  call's ticket whatever the menu; else the customer's open ticket of the same menu (R-ZD-3,
  setting); else a new ticket (title template), assigned to the agent.
- Outbound (R-ZD-4): the ticket the agent chose in ``startOutboundCall`` (app/outbound), else
  the customer's latest ticket (their open voicemail tickets included) when Zendesk says it is
  new/open/pending/hold — attached and set open — else a new ticket.
- Voicemail (setting, on by default): always a new voicemail ticket, on the CRM default user,
  the recording attached. Abandoned calls get a ticket when the setting is on.
- Right after the ticket is made or linked: the standard-data note (call id, language, menu/
  queue), and the R-ZD-10 start fields (session type, caller number).
- Transfer (R-ZD-7): a transfer leg answered by an agent reassigns the ticket.
- At the end (R-ZD-5, R-ZD-6, R-ZD-10): a note with the recording attached, the tag
  ``call_finished`` and the completion fields; when the ticket was merged the note goes to the
  merge target (deskql follows merges made in Zendesk, app/zendesk/inbound.py and merges.py).

Everything a rule changes is deskql's own ticket, changed through the tickets service in one
transaction with the rule's bookkeeping (:class:`~app.zendesk.models.ZendeskCall`), so a worker
killed half-way re-runs the rule without making a second ticket; the ordinary sync carries the
change to Zendesk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from app.accounts.models import Account
from app.channels import Channel
from app.directory.models import Contact, Queue
from app.directory.phones import try_normalize_phone
from app.outbound.models import OutboundCall
from app.telephony.models import CallRecord
from app.tickets import service as tickets
from app.tickets.models import Ticket, TicketStatus
from app.zendesk import activity, models, screenpop
from app.zendesk.callnotes import (
    Call,
    attach_file,
    completion_fields,
    customer_by_phone,
    default_user,
    describe,
    end_note,
    follow,
    set_fields,
    standard_data,
)
from app.zendesk.client import ZendeskClient
from app.zendesk.sessions import ACTOR, REUSABLE, reusable_ticket, title

CALLBACK_WINDOW = timedelta(minutes=10)
SHORT_CALL_SECONDS = 10
PLAN_WINDOW = timedelta(minutes=10)  # an agent's startOutboundCall matches a call this soon


@dataclass
class Rules:
    client: ZendeskClient
    settings: models.ZendeskSettings
    country_code: str
    now: datetime

    async def call_of(self, payload: dict[str, Any]) -> Call:
        record = payload.get("record") or {}
        inbound = record.get("direction") == "INBOUND"
        raw = record.get("customerPhone") or record.get("caller" if inbound else "callee")
        queue_id = record.get("queueId")
        queue = await Queue.get_or_none(id=queue_id) if queue_id else None
        return Call(
            call_id=str(payload["mainCallId"]),
            direction=str(record.get("direction") or "INBOUND"),
            phone=try_normalize_phone(raw, country_code=self.country_code) if raw else None,
            agent_id=payload.get("agentId") or record.get("agentId"),
            queue=queue.name if queue else None,
            queue_id=queue_id if queue else None,
            language=record.get("language"),
            record=record,
        )

    async def customer(self, phone: str | None, *, create: bool) -> Contact | None:
        return await customer_by_phone(phone, create=create, country_code=self.country_code)

    # -- choosing the ticket --------------------------------------------------------------------

    async def open_in_zendesk(self, ticket_ids: list[int]) -> set[int]:
        """Which of these tickets Zendesk says (re-read now) are new/open/pending/hold."""
        links = await models.ZendeskTicket.filter(
            ticket_id__in=ticket_ids, zendesk_ticket_id__not_isnull=True
        )
        if not links:
            return set()
        shown = {
            int(t["id"]): str(t.get("status"))
            for t in await self.client.show_many([int(k.zendesk_ticket_id or 0) for k in links])
        }
        found = set()
        for link in links:
            status = shown.get(int(link.zendesk_ticket_id or 0))
            if status is not None and status != link.status:
                await models.ZendeskTicket.filter(id=link.id).update(status=status)
            if status in REUSABLE:
                found.add(link.ticket_id)
        return found

    async def voicemail_tickets(self, phone: str | None) -> list[int]:
        if phone is None:
            return []
        return [
            row.ticket_id
            for row in await models.ZendeskCall.filter(
                phone=phone, kind="voicemail", ticket_id__not_isnull=True
            ).order_by("-id")
            if row.ticket_id is not None
        ][:10]

    async def callback_ticket(self, call: Call) -> int | None:
        """The ticket of a call with this number shorter than 10 s that ended within the
        window before this one started ("hang up and call back")."""
        if call.phone is None:
            return None
        start = call.record.get("startedAt")
        at = datetime.fromisoformat(start) if start else self.now
        recent = (
            await CallRecord.filter(
                is_main=True,
                ended_at__gte=at - CALLBACK_WINDOW,
                ended_at__lte=at,
                talk_seconds__lt=SHORT_CALL_SECONDS,
            )
            .filter(Q(customer_phone=call.phone) | Q(caller=call.phone) | Q(callee=call.phone))
            .exclude(call_id=call.call_id)
            .order_by("-ended_at")
            .limit(5)
        )
        for record in recent:
            row = await models.ZendeskCall.get_or_none(call_id=record.call_id)
            if row is not None and row.ticket_id is not None:
                return row.ticket_id
        return None

    async def inbound_ticket(self, call: Call, contact: Contact | None) -> int | None:
        """An existing ticket the inbound call is appended to, or None for a new one."""
        voicemails = await self.voicemail_tickets(call.phone)
        callback = await self.callback_ticket(call)
        candidates = [*voicemails, *([callback] if callback else [])]
        if candidates:
            open_ = await self.open_in_zendesk(candidates)
            for ticket_id in candidates:
                if ticket_id in open_:
                    return ticket_id
        if contact is not None and self.settings.reuse_open_tickets:
            ticket = await reusable_ticket(self.client, contact.id, "PHONE", call.queue)
            if ticket is not None:
                return ticket.id
        return None

    async def outbound_ticket(self, call: Call, contact: Contact | None) -> int | None:
        """R-ZD-4: the customer's latest ticket when it is open in Zendesk."""
        candidates = await self.voicemail_tickets(call.phone)
        if contact is not None:
            latest = await Ticket.filter(requester_id=contact.id).order_by("-id").first()
            if latest is not None:
                candidates.append(latest.id)
        if not candidates:
            return None
        newest = max(candidates)
        return newest if newest in await self.open_in_zendesk([newest]) else None

    async def plan(self, call: Call) -> OutboundCall | None:
        """The agent's startOutboundCall for this call: by call id, else by agent and number."""
        found = await OutboundCall.get_or_none(call_id=call.call_id)
        if found is not None or call.agent_id is None or call.phone is None:
            return found
        found = (
            await OutboundCall.filter(
                agent_id=call.agent_id,
                phone=call.phone,
                call_id__isnull=True,
                created_at__gte=self.now - PLAN_WINDOW,
            )
            .order_by("-id")
            .first()
        )
        if found is not None:
            found.call_id = call.call_id
            await found.save(update_fields=["call_id"])
        return found

    # -- writing --------------------------------------------------------------------------------

    async def new_ticket(self, call: Call, requester: Contact | None, *, kind: str) -> Ticket:
        agent = await Account.get_or_none(id=call.agent_id) if call.agent_id else None
        customer = requester.name if requester else (call.phone or "unknown caller")
        if kind == "voicemail":
            subject = f"Voicemail from {call.phone or 'an unknown number'}"
        elif kind == "abandoned":
            subject = f"Abandoned call from {call.phone or 'an unknown number'}"
        else:
            subject = title(
                self.settings.title_template,
                channel="PHONE" if call.inbound else "Outbound call",
                customer=customer,
                menu=call.queue or "",
                agent=agent.display_name if agent else "",
            )
        return await tickets.create_ticket(
            actor=ACTOR,
            data=tickets.TicketInput(
                subject=subject,
                description=describe(call, kind),
                channel=Channel.PHONE,
                requester_id=requester.id if requester else None,
                assignee_id=agent.id if agent else None,
                queue_id=call.queue_id,
                menu_selection=call.queue,
            ),
        )

    async def attach(self, call: Call, ticket_id: int, *, set_open: bool) -> int:
        """Log the call on an existing ticket (following merges); the ticket used."""
        ticket = await follow(ticket_id)
        if ticket is None:
            return ticket_id
        if set_open and ticket.status is not TicketStatus.OPEN:
            await tickets.change_status(
                actor=ACTOR, ticket_id=ticket.id, status=TicketStatus.OPEN, public_url="",
                secret_key="",
            )  # fmt: skip
        if call.agent_id is not None and ticket.assignee_id != call.agent_id:
            await tickets.update_ticket(actor=ACTOR, ticket_id=ticket.id, assignee_id=call.agent_id)
        return ticket.id

    async def started(
        self, call: Call, ticket_id: int | None, *, kind: str = "call", linked: bool = False
    ) -> None:
        """The call's ticket is known: remember it, write the standard-data note (R-ZD-5) and
        set the start fields (R-ZD-10)."""
        await models.ZendeskCall.create(
            call_id=call.call_id, kind=kind, direction=call.direction, phone=call.phone,
            ticket_id=ticket_id, created_at=self.now,
        )  # fmt: skip
        if ticket_id is None:
            return
        comment = await tickets.add_comment(
            actor=ACTOR, ticket_id=ticket_id, body=standard_data(call, kind), public=False
        )
        if kind == "voicemail" and call.record.get("voicemailUrl"):
            await attach_file(comment.id, call.record["voicemailUrl"], f"voicemail-{call.call_id}")
        values = {
            "sessionType": "call",
            "callerNumber": call.phone,
            **dict.fromkeys(("callDuration", "waitTime", "queueName", "holdDuration", "csat")),
            "sessionId": call.call_id,
        }
        await set_fields(self.settings, ticket_id, values)
        await activity.flush(call.call_id)  # notes of what came before the ticket (R-ZD-7)
        if linked:  # an existing ticket: the agent's screen pop now (a new one's on creation)
            base = self.client.connection.base_url
            await screenpop.announce(base, ticket_id, created=False, call_id=call.call_id)


# -- the rules, one per task kind ----------------------------------------------------------------


async def answered(rules: Rules, payload: dict[str, Any]) -> None:
    """An inbound call was answered: its ticket, made or reused."""
    call = await rules.call_of(payload)
    if not call.inbound or await models.ZendeskCall.exists(call_id=call.call_id):
        return
    await _inbound(rules, call)


async def _inbound(rules: Rules, call: Call) -> None:
    async with in_transaction():
        contact = await rules.customer(call.phone, create=True)
        existing = await rules.inbound_ticket(call, contact)
        if existing is not None:
            ticket_id = await rules.attach(call, existing, set_open=False)
        else:
            ticket_id = (await rules.new_ticket(call, contact, kind="call")).id
        await rules.started(call, ticket_id, linked=existing is not None)


async def outgoing(rules: Rules, payload: dict[str, Any]) -> None:
    """An outbound call was placed: the agent's choice, else R-ZD-4."""
    call = await rules.call_of(payload)
    if await models.ZendeskCall.exists(call_id=call.call_id):
        return
    async with in_transaction():
        plan = await rules.plan(call)
        if plan is not None:  # startOutboundCall already linked (or made) the ticket
            await rules.started(call, plan.ticket_id, linked=plan.ticket_id is not None)
            return
        contact = await rules.customer(call.phone, create=True)
        existing = await rules.outbound_ticket(call, contact)
        if existing is not None:
            ticket_id = await rules.attach(call, existing, set_open=True)
        else:
            ticket_id = (await rules.new_ticket(call, contact, kind="call")).id
        await rules.started(call, ticket_id, linked=existing is not None)


async def voicemail(rules: Rules, payload: dict[str, Any]) -> None:
    call = await rules.call_of(payload)
    if not rules.settings.voicemail_tickets:
        return
    known = await models.ZendeskCall.get_or_none(call_id=call.call_id)
    if known is not None and known.kind == "voicemail":
        return
    async with in_transaction():
        ticket = await rules.new_ticket(
            call, await default_user(rules.country_code), kind="voicemail"
        )
        if known is not None:  # answered first, then sent to voicemail: the call moves over
            await models.ZendeskCall.filter(id=known.id).delete()
        await rules.started(call, ticket.id, kind="voicemail")


async def abandoned(rules: Rules, payload: dict[str, Any]) -> None:
    call = await rules.call_of(payload)
    if await models.ZendeskCall.exists(call_id=call.call_id):
        return
    async with in_transaction():
        if not rules.settings.abandoned_call_tickets:
            await models.ZendeskCall.create(
                call_id=call.call_id, kind="abandoned", direction=call.direction,
                phone=call.phone, created_at=rules.now,
            )  # fmt: skip
            return
        contact = await rules.customer(call.phone, create=True)
        ticket = await rules.new_ticket(call, contact, kind="abandoned")
        await rules.started(call, ticket.id, kind="abandoned")
    await ended(rules, payload)


async def transferred(rules: Rules, payload: dict[str, Any]) -> None:
    """R-ZD-7: a transfer leg answered by an agent: the ticket goes to that agent."""
    call = await rules.call_of(payload)
    row = await models.ZendeskCall.get_or_none(call_id=call.call_id)
    agent_id = payload.get("agentId")
    if row is None or row.ticket_id is None or agent_id is None:
        return
    ticket = await follow(row.ticket_id)
    if ticket is None or ticket.assignee_id == agent_id:
        return
    agent = await Account.get_or_none(id=agent_id)
    async with in_transaction():
        await tickets.update_ticket(actor=ACTOR, ticket_id=ticket.id, assignee_id=agent_id)
        await tickets.add_comment(
            actor=ACTOR, ticket_id=ticket.id, public=False,
            body=f"Call {call.call_id} transferred to {agent.display_name if agent else agent_id}.",
        )  # fmt: skip


async def ended(rules: Rules, payload: dict[str, Any]) -> None:
    """R-ZD-5/6/10: the end-of-call note with the recording, call_finished, the fields."""
    call = await rules.call_of(payload)
    row = await models.ZendeskCall.get_or_none(call_id=call.call_id)
    if row is None and call.inbound and not call.record.get("voicemail"):
        await _inbound(rules, call)  # an IVR-only call: its ticket now (R-ZD-9)
        row = await models.ZendeskCall.get_or_none(call_id=call.call_id)
    if row is None or row.ticket_id is None or row.ended:
        return
    ticket = await follow(row.ticket_id)
    if ticket is None or ticket.status is TicketStatus.CLOSED:
        await models.ZendeskCall.filter(id=row.id).update(ended=True)
        return
    record = call.record
    async with in_transaction():
        comment = await tickets.add_comment(
            actor=ACTOR, ticket_id=ticket.id, body=end_note(call), public=False
        )
        if record.get("recordingUrl"):
            await attach_file(comment.id, record["recordingUrl"], f"call-{call.call_id}")
        await set_fields(rules.settings, ticket.id, completion_fields(call), tag="call_finished")
        await models.ZendeskCall.filter(id=row.id).update(ended=True)
