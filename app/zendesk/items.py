"""One ticket's waiting changes as one Zendesk update (a batch item or a single PUT): the
ticket's state when an update is among them, the R-ZD-10 field values and tags the rules set,
their comments joined into one, and the files attached to those comments (uploaded now, so
the 60-minute upload token is fresh however long the change waited)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

import httpx

from app.delivery import outbound
from app.tickets.models import Ticket
from app.zendesk import models, outbox, records
from app.zendesk.client import ZendeskClient, ZendeskError

log = logging.getLogger("deskql.zendesk")

MAX_FILE = 50 * 1024 * 1024  # Zendesk's attachment limit
TOKEN_LIFE = timedelta(minutes=60)
TOKEN_MARGIN = timedelta(minutes=10)


def target(link: models.ZendeskTicket) -> int | None:
    """The Zendesk ticket the changes go to: the merge target once Zendesk merged it."""
    return link.merged_into_zendesk_id or link.zendesk_ticket_id


async def build(
    client: ZendeskClient,
    link: models.ZendeskTicket,
    tasks: Sequence[models.ZendeskTask],
    mapping: dict[str, int],
    *,
    now: datetime,
    allow_private: bool,
) -> dict | None:
    item: dict = {"id": target(link)}
    redirected = link.merged_into_zendesk_id is not None
    if not redirected and any(t.kind == outbox.UPDATE for t in tasks):
        # A merged ticket's own state (closed) must not overwrite its target's.
        ticket = await Ticket.get_or_none(id=link.ticket_id)
        if ticket is not None:
            item.update(await records.update_body(client, ticket, mapping))
    if link.extra_fields:
        given = {int(f["id"]): f for f in item.get("custom_fields", [])}
        for field_id, value in link.extra_fields.items():
            given[int(field_id)] = {"id": int(field_id), "value": value}
        item["custom_fields"] = list(given.values())
    if link.tags:
        item["additional_tags"] = list(link.tags)
    comment_ids = [t.payload["commentId"] for t in tasks if t.kind == outbox.COMMENT]
    if comment_ids:
        comment = await records.comment_body(comment_ids)
        if comment is not None:
            tokens = await uploads(client, comment_ids, now=now, allow_private=allow_private)
            if tokens:
                comment["uploads"] = tokens
            item["comment"] = comment
    return item if len(item) > 1 else None


async def uploads(
    client: ZendeskClient, comment_ids: list[int], *, now: datetime, allow_private: bool
) -> list[str]:
    """Upload tokens for the files of these comments. A file that cannot be fetched is left
    out (its link is in the note's text) and the reason kept on the attachment row."""
    tokens = []
    for row in await models.ZendeskAttachment.filter(comment_id__in=comment_ids).order_by("id"):
        if row.token and row.token_expires_at and row.token_expires_at > now + TOKEN_MARGIN:
            tokens.append(row.token)
            continue
        try:
            data, content_type = await fetch(row.url, allow_private=allow_private)
        except (outbound.UnsafeTarget, httpx.HTTPError, ValueError) as exc:
            log.warning("zendesk: file %s not attached: %s", row.url, exc)
            await models.ZendeskAttachment.filter(id=row.id).update(error=str(exc)[:500])
            continue
        try:
            token = await client.upload(row.file_name, data, content_type or row.content_type)
        except ZendeskError as exc:
            if exc.retryable:
                raise  # the whole change waits and is retried
            log.warning("zendesk: upload of %s refused: %s", row.file_name, exc)
            await models.ZendeskAttachment.filter(id=row.id).update(error=str(exc)[:500])
            continue
        await models.ZendeskAttachment.filter(id=row.id).update(
            token=token, token_expires_at=now + TOKEN_LIFE, error=None
        )
        tokens.append(token)
    return tokens


async def fetch(url: str, *, allow_private: bool) -> tuple[bytes, str | None]:
    """GET a recording through the SSRF guard (app/delivery/outbound.py), at most 50 MB."""
    checked = await outbound.check(url, allow_private=allow_private)
    async with outbound.client(30.0) as http:
        response = await outbound.get(http, checked, limit=MAX_FILE)
    if response.status_code != 200:
        raise ValueError(f"the file answered HTTP {response.status_code}")
    return response.content, response.headers.get("content-type")
