"""Satisfaction: five-level ratings of sessions and calls (R-SAT-1) and ticket satisfaction
surveys (R-SAT-2).

A survey link's token is ``<invitation id>.<HMAC-SHA256(secret key, id)>``: nothing secret is
stored, a token cannot be guessed or altered, and the link can be rebuilt for whoever delivers
it (e-mail, SDK, the Zendesk sync).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta, timezone

from tortoise.transactions import in_transaction

from app.contact import events, models
from app.errors import DomainError, InvalidInput

SURVEY_CHANNELS = (models.Channel.EMAIL, models.Channel.SDK, models.Channel.WEB,
                   models.Channel.H5, models.Channel.WECHAT, models.Channel.MINI_PROGRAM)


class SurveyUnavailable(DomainError):
    code = "SURVEY_UNAVAILABLE"

    def __init__(self) -> None:
        super().__init__("This survey link is unknown or has expired.")


async def settings() -> models.TicketSatisfactionSettings:
    row = await models.TicketSatisfactionSettings.filter(id=1).first()
    return row or models.TicketSatisfactionSettings(id=1, enabled=False, channels=[])


async def update_settings(*, enabled: bool, channels: list[models.Channel], question: str,
                          valid_days: int) -> models.TicketSatisfactionSettings:
    question = (question or "").strip()
    if not 1 <= len(question) <= 500:
        raise InvalidInput("question must be 1-500 characters.", field="question")
    if not 1 <= valid_days <= 365:
        raise InvalidInput("validDays must be 1-365.", field="validDays")
    bad = [c for c in channels if c not in SURVEY_CHANNELS]
    if bad:
        raise InvalidInput(f"Surveys cannot be sent on {bad[0]}.", field="channels")
    values = {"enabled": enabled, "channels": sorted({str(c) for c in channels}),
              "question": question, "valid_days": valid_days}
    async with in_transaction() as conn:
        row = await models.TicketSatisfactionSettings.filter(id=1).using_db(conn).first()
        if row is None:
            row = await models.TicketSatisfactionSettings.create(id=1, **values, using_db=conn)
        else:
            row.update_from_dict(values)
            await row.save(using_db=conn)
        await events.append(conn, "ticket_satisfaction.settings_changed", None, values)
    return row


async def invite(ticket: models.Ticket, conn) -> models.TicketSatisfactionInvitation | None:
    """Called in the transaction that solves ``ticket``. One invitation per ticket: solving a
    reopened ticket again keeps the first invitation (and any answer to it)."""
    config = await models.TicketSatisfactionSettings.filter(id=1).using_db(conn).first()
    if config is None or not config.enabled or str(ticket.channel) not in config.channels:
        return None
    existing = await models.TicketSatisfactionInvitation.filter(ticket_id=ticket.id).using_db(
        conn).first()
    if existing is not None:
        return existing
    now = datetime.now(timezone.utc)
    return await models.TicketSatisfactionInvitation.create(
        ticket_id=ticket.id, channel=ticket.channel, invited_at=now,
        expires_at=now + timedelta(days=config.valid_days), using_db=conn)


def _signature(invitation_id: int, secret_key: str) -> str:
    digest = hmac.new(secret_key.encode(), f"ticket-survey:{invitation_id}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_for(invitation: models.TicketSatisfactionInvitation, secret_key: str) -> str:
    return f"{invitation.id}.{_signature(invitation.id, secret_key)}"


def survey_url(invitation, *, public_url: str, secret_key: str) -> str:
    return f"{public_url}/h5/surveys/{token_for(invitation, secret_key)}"


async def invitation_for_token(token: str, secret_key: str, *, conn=None):
    """The open invitation a token names. Unknown, forged and expired tokens are all the same
    SURVEY_UNAVAILABLE, so the error says nothing about which invitations exist."""
    head, _, signature = (token or "").partition(".")
    if not head.isdigit() or len(head) > 18 or not hmac.compare_digest(
            signature, _signature(int(head), secret_key)):
        raise SurveyUnavailable()
    query = models.TicketSatisfactionInvitation.filter(id=int(head))
    if conn is not None:
        query = query.using_db(conn)
    invitation = await query.first()
    if invitation is None or invitation.expires_at <= datetime.now(timezone.utc):
        raise SurveyUnavailable()
    return invitation


async def submit(token: str, score: int, comment: str | None, *,
                 secret_key: str) -> models.TicketSatisfactionInvitation:
    """Record the customer's answer. Answering again replaces the earlier answer."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidInput("score must be 1-5.", field="score")
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > 1000:
        raise InvalidInput("comment is at most 1000 characters.", field="comment")
    async with in_transaction() as conn:
        invitation = await invitation_for_token(token, secret_key, conn=conn)
        invitation.score, invitation.comment = score, comment
        invitation.rated_at = datetime.now(timezone.utc)
        await invitation.save(using_db=conn)
        await events.append(conn, "ticket_satisfaction.rated", str(invitation.ticket_id),
                            {"ticketId": invitation.ticket_id, "score": score})
    return invitation


# --- five-level ratings of sessions and calls ---

async def import_ratings(items: list[dict]) -> tuple[int, int]:
    """Each item: sessionId or mainCallId (exactly one), channel, level, comment, ratedAt,
    agentAccount. Idempotent per session or call (a new rating replaces the old). All or
    nothing."""
    from app.contact.records import resolve_accounts

    if not 1 <= len(items) <= 1000:
        raise InvalidInput("1-1000 ratings per call.", field="ratings")
    sessions = {i["session_id"] for i in items if i.get("session_id")}
    session_ids = dict(await models.ChatSession.filter(session_id__in=list(sessions)).values_list(
        "session_id", "id"))
    calls = {i["main_call_id"] for i in items if i.get("main_call_id")}
    known_calls = set(await models.CallRecord.filter(call_id__in=list(calls), is_main=True)
                      .values_list("call_id", flat=True))
    agents = await resolve_accounts([i.get("agent_account") for i in items], "ratings",
                                    "agentAccount")
    rows = []
    for n, item in enumerate(items):
        where = f"ratings[{n}]"
        if bool(item.get("session_id")) == bool(item.get("main_call_id")):
            raise InvalidInput("Give exactly one of sessionId and mainCallId.",
                               field=f"{where}.sessionId")
        if item.get("session_id") and item["session_id"] not in session_ids:
            raise InvalidInput(f"Unknown session {item['session_id']!r}.", field=f"{where}.sessionId")
        if item.get("main_call_id") and item["main_call_id"] not in known_calls:
            raise InvalidInput(f"Unknown main call {item['main_call_id']!r}.",
                               field=f"{where}.mainCallId")
        comment = (item.get("comment") or "").strip() or None
        if comment and len(comment) > 1000:
            raise InvalidInput("comment is at most 1000 characters.", field=f"{where}.comment")
        rated_at = item["rated_at"]
        if rated_at.tzinfo is None:
            raise InvalidInput("ratedAt needs a time zone.", field=f"{where}.ratedAt")
        rows.append({"session_id": session_ids.get(item.get("session_id")),
                     "main_call_id": item.get("main_call_id"), "channel": item["channel"],
                     "level": item["level"], "comment": comment,
                     "rated_at": rated_at.astimezone(timezone.utc), "agent_id": agents[n]})
    created = updated = 0
    async with in_transaction() as conn:
        for row in rows:
            key = ({"session_id": row["session_id"]} if row["session_id"]
                   else {"main_call_id": row["main_call_id"]})
            existing = await models.SatisfactionRating.filter(**key).using_db(conn).first()
            if existing is None:
                await models.SatisfactionRating.create(**row, using_db=conn)
                created += 1
            else:
                existing.update_from_dict(row)
                await existing.save(using_db=conn)
                updated += 1
        await events.append(conn, "ratings.imported", None, {"count": len(rows)})
    return created, updated
