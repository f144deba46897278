"""What admins do with the Zendesk sync (`zendesk.manage`): read and change its settings, see
how it is doing, list and retry dead letters, and create the custom ticket fields of R-ZD-10."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.functions import Count
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.checks import UNCHANGED
from app.delivery.clock import Clock
from app.errors import Conflict, InvalidInput, NotFound
from app.settings import Settings
from app.zendesk import models, state
from app.zendesk.client import Connection, ZendeskClient, ZendeskError
from app.zendesk.models import TaskStatus as T

MIN_WINDOW, MAX_WINDOW = 1, 60
PLACEHOLDERS = {"channel", "customer", "menu", "agent"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# R-ZD-10: the fields deskql fills, by kind: (Zendesk type, title).
SESSION_FIELDS = {
    "sessionType": ("text", "Session type"),
    "callerNumber": ("text", "Caller number"),
    "callDuration": ("integer", "Call duration (s, incl. wait)"),
    "waitTime": ("integer", "Wait time (s)"),
    "queueName": ("text", "Queue name"),
    "sessionId": ("text", "Call or chat id"),
    "holdDuration": ("integer", "Hold duration (s)"),
    "csat": ("integer", "CSAT"),
}


def connection(settings: Settings) -> Connection:
    return Connection(settings.zendesk_url, settings.zendesk_email, settings.zendesk_api_token)


@dataclass
class SettingsChanges:
    enabled: Any = UNCHANGED
    batch_window_seconds: Any = UNCHANGED
    batch_comments: Any = UNCHANGED
    batch_updates: Any = UNCHANGED
    title_template: Any = UNCHANGED
    reuse_open_tickets: Any = UNCHANGED
    abandoned_call_tickets: Any = UNCHANGED
    voicemail_tickets: Any = UNCHANGED
    field_mapping: Any = UNCHANGED  # dict key -> field id
    outbound_phone_field_id: Any = UNCHANGED
    api_response_notes: Any = UNCHANGED  # models.ApiResponseNotes


async def get_settings() -> models.ZendeskSettings:
    return await state.settings()


def _check_template(template: str) -> str:
    template = (template or "").strip()
    if not 1 <= len(template) <= 200:
        raise InvalidInput("The title template is 1-200 characters.", field="titleTemplate")
    unknown = set(_PLACEHOLDER.findall(template)) - PLACEHOLDERS
    if unknown:
        raise InvalidInput(
            f"Unknown placeholder {{{sorted(unknown)[0]}}}: use "
            + ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS)),
            field="titleTemplate",
        )
    return template


async def _known_field_ids(row: models.ZendeskSettings, client: ZendeskClient | None) -> set[int]:
    known = {int(v) for v in (row.session_fields or {}).values()}
    if client is not None:
        try:
            known |= {int(f["id"]) for f in await client.ticket_fields()}
        except ZendeskError as exc:
            raise Conflict(
                f"Zendesk could not be asked for its ticket fields: {exc}",
                code="ZENDESK_UNAVAILABLE",
            ) from None
    return known


async def update_settings(
    *, actor: Principal, changes: SettingsChanges, settings: Settings, clock: Clock
) -> models.ZendeskSettings:
    """Checks every change first; a bad one changes nothing (BAD_USER_INPUT naming it)."""
    row = await state.settings()
    values: dict[str, Any] = {}
    if changes.batch_window_seconds is not UNCHANGED:
        window = changes.batch_window_seconds
        if window is None or not MIN_WINDOW <= window <= MAX_WINDOW:
            raise InvalidInput(
                f"The batch window is {MIN_WINDOW}-{MAX_WINDOW} seconds.",
                field="batchWindowSeconds",
            )
        values["batch_window_seconds"] = window
    if changes.title_template is not UNCHANGED:
        values["title_template"] = _check_template(changes.title_template)
    for name in ("enabled", "batch_comments", "batch_updates", "reuse_open_tickets",
                 "abandoned_call_tickets", "voicemail_tickets"):  # fmt: skip
        value = getattr(changes, name)
        if value is not UNCHANGED:
            if value is None:
                raise InvalidInput("Give true or false.", field=_camel(name))
            values[name] = bool(value)
    if changes.api_response_notes is not UNCHANGED:
        try:
            values["api_response_notes"] = str(models.ApiResponseNotes(changes.api_response_notes))
        except ValueError:
            raise InvalidInput("Give OFF, KEY_VALUE or JSON.", field="apiResponseNotes") from None
    wanted: set[int] = set()
    if changes.field_mapping is not UNCHANGED:
        mapping = changes.field_mapping or {}
        for key in mapping:
            if not 1 <= len(key) <= 64:
                raise InvalidInput("A mapped key is 1-64 characters.", field="fieldMapping.key")
        values["field_mapping"] = {k: int(v) for k, v in mapping.items()}
        wanted |= set(values["field_mapping"].values())
    if changes.outbound_phone_field_id is not UNCHANGED:
        values["outbound_phone_field_id"] = changes.outbound_phone_field_id
        if changes.outbound_phone_field_id is not None:
            wanted.add(int(changes.outbound_phone_field_id))
    if wanted:
        conn = connection(settings)
        client = ZendeskClient(conn, clock=clock) if conn.configured else None
        try:
            known = await _known_field_ids(row, client)
        finally:
            if client is not None:
                await client.close()
        unknown = sorted(wanted - known)
        if unknown:
            field = (
                "outboundPhoneFieldId"
                if unknown[0] == values.get("outbound_phone_field_id")
                else "fieldMapping.fieldId"
            )
            raise InvalidInput(f"Zendesk has no ticket field {unknown[0]}.", field=field)
    if values:
        async with in_transaction() as conn_:
            await models.ZendeskSettings.filter(id=1).using_db(conn_).update(**values)
    return await state.settings()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


@dataclass(frozen=True)
class SyncStatus:
    pending: int
    in_flight: int
    dead_lettered: int
    requests_sent: int
    requests_saved: int
    rate_limited: int
    last_error: str | None
    last_error_at: datetime | None


async def status() -> SyncStatus:
    counts = {
        row["status"]: row["n"]
        for row in await models.ZendeskTask.filter(status__in=[T.PENDING, T.SENT, T.DEAD])
        .annotate(n=Count("id"))
        .group_by("status")
        .values("status", "n")
    }
    shared = await state.shared()
    return SyncStatus(
        pending=counts.get(T.PENDING, 0),
        in_flight=counts.get(T.SENT, 0),
        dead_lettered=counts.get(T.DEAD, 0),
        requests_sent=shared.requests_sent,
        requests_saved=shared.requests_saved,
        rate_limited=shared.rate_limited,
        last_error=shared.last_error,
        last_error_at=shared.last_error_at,
    )


def dead_letters() -> QuerySet[models.ZendeskTask]:
    return models.ZendeskTask.filter(status=T.DEAD)


async def retry_dead_letter(*, actor: Principal, task_id: int, clock: Clock) -> int:
    """Queue a dead letter again (and the dead tasks of the same ticket or contact after it:
    they wait for it). Returns how many were queued."""
    queued = await _retry_dead(task_id, clock.now())
    if not queued:
        raise NotFound(f"No dead letter {task_id}.", code="NOT_FOUND", field="id")
    return queued


async def links(ticket_ids: list[int]) -> dict[int, models.ZendeskTicket]:
    return {
        link.ticket_id: link for link in await models.ZendeskTicket.filter(ticket_id__in=ticket_ids)
    }


async def create_custom_fields(
    *, actor: Principal, settings: Settings, clock: Clock
) -> models.ZendeskSettings:
    """Create in Zendesk the R-ZD-10 fields deskql has not created yet, and remember their ids
    (running it again creates only what is missing)."""
    conn = connection(settings)
    if not conn.configured:
        raise Conflict(
            "No Zendesk connection: set DESKQL_ZENDESK_URL (or _SUBDOMAIN), _EMAIL and _API_TOKEN.",
            code="ZENDESK_NOT_CONFIGURED",
        )
    row = await state.settings()
    created = dict(row.session_fields or {})
    async with ZendeskClient(conn, clock=clock) as client:
        for kind, (field_type, title) in SESSION_FIELDS.items():
            if kind in created:
                continue
            try:
                field = await client.create_ticket_field(field_type, title)
            except ZendeskError as exc:
                await models.ZendeskSettings.filter(id=1).update(session_fields=created)
                raise Conflict(
                    f"Zendesk refused the field {title!r}: {exc}", code="ZENDESK_UNAVAILABLE"
                ) from None
            created[kind] = int(field["id"])
    await models.ZendeskSettings.filter(id=1).update(session_fields=created)
    return await state.settings()


async def _retry_dead(task_id: int, now: datetime) -> int:
    """Put a dead task, and the dead tasks of its key after it, back in the queue."""
    task = await models.ZendeskTask.get_or_none(id=task_id, status=T.DEAD)
    if task is None:
        return 0
    return await models.ZendeskTask.filter(key=task.key, status=T.DEAD, id__gte=task.id).update(
        status=T.PENDING, attempts=0, due_at=now, alone=False
    )
