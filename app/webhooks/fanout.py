"""From the domain event log to deliveries: the ``webhooks`` consumer of the log turns each
call event into the contract's messages and owes one delivery per enabled endpoint subscribed
to its type — in the same transaction as the consumer's cursor, so none is lost or doubled."""

from __future__ import annotations

from datetime import datetime

from app.db import rows
from app.delivery.clock import Clock
from app.events import consumers
from app.events.models import DomainEvent
from app.webhooks import models, payloads

CONSUMER = "webhooks"


class FanOut:
    def __init__(self, *, clock: Clock, company_id: str) -> None:
        self.clock = clock
        self.company_id = company_id

    async def run_once(self, *, limit: int = 200) -> int:
        """Handle the next events of the log; how many there were."""
        return await consumers.consume(CONSUMER, self._handle, limit=limit)

    async def _handle(self, events: list[DomainEvent]) -> None:
        relevant = [e for e in events if payloads.types_for(e) or payloads.ends_a_record(e)]
        if not relevant:
            return
        endpoints = await models.WebhookEndpoint.filter(enabled=True)
        if not endpoints:
            return
        agents = await payloads.agents_by_id(
            e.payload["record"].get("agentId") for e in relevant if "record" in e.payload
        )
        now = self.clock.now()
        owed: list[tuple[payloads.Message, list[models.WebhookEndpoint]]] = []
        for event in relevant:
            # An endpoint hears of what happened after it was registered.
            listening = [e for e in endpoints if e.created_at <= event.occurred_at]
            if not listening:
                continue
            for event_type in payloads.types_for(event):
                owed.append(
                    (payloads.message(event, event_type, self.company_id, agents), listening)
                )
            if payloads.ends_a_record(event) and not await _ends_later(event):
                for done in await payloads.call_ended(
                    event.subject_id or "", self.company_id, payloads.happened_at(event)
                ):
                    owed.append((done, listening))
        await owe_many(owed, now)


async def _ends_later(event: DomainEvent) -> bool:
    """Whether another record of the call ended after this event: then that later end is the
    one that completes the call (so the end messages follow every other message of the call,
    even when the fan-out runs behind and the call has long ended)."""
    found = await rows(
        "SELECT 1 FROM domain_event WHERE subject_id = ? AND topic IN ('call.ended', "
        f"'call.abandoned') AND (tx, id) > ({int(event.tx)}, {int(event.id)}) LIMIT 1",
        [event.subject_id],
    )
    return bool(found)


async def owe(
    message: payloads.Message, endpoints: list[models.WebhookEndpoint], now: datetime
) -> int:
    """One delivery of ``message`` per endpoint subscribed to its type."""
    return await owe_many([(message, endpoints)], now)


async def owe_many(
    owed: list[tuple[payloads.Message, list[models.WebhookEndpoint]]], now: datetime
) -> int:
    """The deliveries of these messages, in this order (a call's deliveries go out in id
    order), one per endpoint subscribed to the message's type; one already owed is not owed
    twice (the fan-out of a batch that was cut short runs again). Returns how many were made."""
    wanted = [
        (message, endpoint)
        for message, endpoints in owed
        for endpoint in endpoints
        if message.event_type in endpoint.events or message.event_type == payloads.TEST_EVENT
    ]
    if not wanted:
        return 0
    existing = set(
        await models.WebhookDelivery.filter(
            message_id__in=sorted({m.message_id for m, _ in wanted})
        ).values_list("endpoint_id", "message_id")
    )
    rows = [
        models.WebhookDelivery(
            endpoint_id=endpoint.id,
            message_id=message.message_id,
            event_type=message.event_type,
            ordering_key=message.ordering_key,
            payload=message.encoded(),
            next_attempt_at=now,
            created_at=now,
        )
        for message, endpoint in wanted
        if (endpoint.id, message.message_id) not in existing
    ]
    # A concurrent twin (another fan-out of the same batch) is no failure.
    await models.WebhookDelivery.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
