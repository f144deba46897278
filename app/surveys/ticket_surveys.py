"""Ticket satisfaction surveys (R-SAT-2): settings, the invitation sent when a ticket is solved,
the signed link, and the customer's answer.

A survey link's token is ``<invitation id>.<HMAC-SHA256(secret key, id)>``: nothing secret is
stored, a token cannot be guessed or altered, and the link can be rebuilt for whoever delivers
it (e-mail, SDK, the Zendesk sync).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.channels import Channel
from app.errors import DomainError, InvalidInput
from app.events import log
from app.parsing import database_id
from app.surveys import models

SURVEY_CHANNELS = (
    Channel.EMAIL,
    Channel.SDK,
    Channel.WEB,
    Channel.H5,
    Channel.WECHAT,
    Channel.MINI_PROGRAM,
)


class SurveyUnavailable(DomainError):
    code = "SURVEY_UNAVAILABLE"

    def __init__(self) -> None:
        super().__init__("This survey link is unknown or has expired.")


async def settings() -> models.TicketSatisfactionSettings:
    row = await models.TicketSatisfactionSettings.filter(id=1).first()
    return row or models.TicketSatisfactionSettings(id=1, enabled=False, channels=[])


async def update_settings(
    *, actor: Principal, enabled: bool, channels: list[Channel], question: str, valid_days: int
) -> models.TicketSatisfactionSettings:
    question = (question or "").strip()
    if not 1 <= len(question) <= 500:
        raise InvalidInput("question must be 1-500 characters.", field="question")
    if not 1 <= valid_days <= 365:
        raise InvalidInput("validDays must be 1-365.", field="validDays")
    bad = [c for c in channels if c not in SURVEY_CHANNELS]
    if bad:
        raise InvalidInput(f"Surveys cannot be sent on {bad[0]}.", field="channels")
    values = {
        "enabled": enabled,
        "channels": sorted({str(c) for c in channels}),
        "question": question,
        "valid_days": valid_days,
    }
    async with in_transaction() as conn:
        row = await models.TicketSatisfactionSettings.filter(id=1).using_db(conn).first()
        if row is None:
            row = await models.TicketSatisfactionSettings.create(id=1, **values, using_db=conn)
        else:
            row.update_from_dict(values)
            await row.save(using_db=conn)
        await log.append(
            conn,
            "ticket_satisfaction.settings_changed",
            None,
            {
                "enabled": enabled,
                "channels": values["channels"],
                "question": question,
                "validDays": valid_days,
            },
            actor=actor,
        )
    return row


async def invite(
    *, ticket_id: int, channel: Channel, conn: BaseDBAsyncClient
) -> models.TicketSatisfactionInvitation | None:
    """Called in the transaction that solves the ticket. One invitation per ticket: solving a
    reopened ticket again keeps the first invitation (and any answer to it)."""
    config = await models.TicketSatisfactionSettings.filter(id=1).using_db(conn).first()
    if config is None or not config.enabled or str(channel) not in config.channels:
        return None
    existing = (
        await models.TicketSatisfactionInvitation.filter(ticket_id=ticket_id).using_db(conn).first()
    )
    if existing is not None:
        return existing
    now = datetime.now(UTC)
    return await models.TicketSatisfactionInvitation.create(
        ticket_id=ticket_id,
        channel=channel,
        invited_at=now,
        expires_at=now + timedelta(days=config.valid_days),
        using_db=conn,
    )


def _signature(invitation_id: int, secret_key: str) -> str:
    digest = hmac.new(
        secret_key.encode(), f"ticket-survey:{invitation_id}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_for(invitation_id: int, secret_key: str) -> str:
    return f"{invitation_id}.{_signature(invitation_id, secret_key)}"


def survey_url(invitation_id: int, *, public_url: str, secret_key: str) -> str:
    return f"{public_url}/h5/surveys/{token_for(invitation_id, secret_key)}"


async def invitation_for_token(
    token: str, secret_key: str, *, conn: BaseDBAsyncClient | None = None
) -> models.TicketSatisfactionInvitation:
    """The open invitation a token names. Unknown, forged and expired tokens are all the same
    SURVEY_UNAVAILABLE, so the error says nothing about which invitations exist."""
    head, _, signature = (token or "").partition(".")
    invitation_id = database_id(head)
    if invitation_id is None or not hmac.compare_digest(
        signature.encode(), _signature(invitation_id, secret_key).encode()
    ):
        raise SurveyUnavailable()
    query = models.TicketSatisfactionInvitation.filter(id=invitation_id)
    if conn is not None:
        query = query.using_db(conn)
    invitation = await query.first()
    if invitation is None or invitation.expires_at <= datetime.now(UTC):
        raise SurveyUnavailable()
    return invitation


async def submit(
    *, actor: Principal, token: str, score: int, comment: str | None, secret_key: str
) -> models.TicketSatisfactionInvitation:
    """Record the customer's answer. Answering again replaces the earlier answer."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidInput("score must be 1-5.", field="score")
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > 1000:
        raise InvalidInput("comment is at most 1000 characters.", field="comment")
    async with in_transaction() as conn:
        invitation = await invitation_for_token(token, secret_key, conn=conn)
        invitation.score, invitation.comment = score, comment
        invitation.rated_at = datetime.now(UTC)
        await invitation.save(using_db=conn)
        await log.append(
            conn,
            "ticket_satisfaction.rated",
            str(invitation.ticket_id),
            {"ticketId": invitation.ticket_id, "score": score},
            actor=actor,
        )
    return invitation


async def invitations_by_ticket(ids: list[int]) -> dict[int, models.TicketSatisfactionInvitation]:
    return {
        i.ticket_id: i for i in await models.TicketSatisfactionInvitation.filter(ticket_id__in=ids)
    }
