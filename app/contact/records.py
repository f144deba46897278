"""Chat sessions (R-CC-6), service summaries (R-CC-7), QC results (R-QC-1/2) and agent status
intervals: their imports and reads. Every import is all or nothing and idempotent by its key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from tortoise.transactions import in_transaction

from app.accounts.models import Account
from app.accounts.permissions import Permission
from app.accounts.principal import Principal
from app.contact import events, models
from app.errors import InvalidInput, NotFound

MAX_IMPORT = 1000
MAX_QC_PAGE = 100


def _count(items: list, field: str) -> None:
    if not 1 <= len(items) <= MAX_IMPORT:
        raise InvalidInput(f"1-{MAX_IMPORT} items per call.", field=field)


def _utc(value: datetime | None, field: str) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise InvalidInput("A date-time needs a time zone.", field=field)
    return value.astimezone(timezone.utc)


async def resolve_accounts(names: list[str | None], list_field: str, name: str) -> list[int | None]:
    """Login names (None allowed) to account ids, in order. Unknown names are BAD_USER_INPUT."""
    wanted = {n for n in names if n}
    found = dict(await Account.filter(account__in=list(wanted)).values_list("account", "id"))
    for i, n in enumerate(names):
        if n and n not in found:
            raise InvalidInput(f"Unknown agent {n!r}.", field=f"{list_field}[{i}].{name}")
    return [found.get(n) if n else None for n in names]


# --- chat sessions ---

@dataclass
class SessionTransferInput:
    from_agent: str | None
    to_agent: str | None
    transferred_at: datetime
    reason: str | None = None


@dataclass
class SessionInput:
    session_id: str
    channel: models.Channel
    started_at: datetime
    ended_at: datetime | None = None
    agent_account: str | None = None
    contact_id: int | None = None
    transfers: list[SessionTransferInput] | None = None


def visible_sessions(principal: Principal):
    """Agents see sessions they served or that were transferred to or from them."""
    query = models.ChatSession.all()
    if principal.has(Permission.CALLS_VIEW_ALL) or principal.has(Permission.REPORTS_VIEW):
        return query
    from tortoise.expressions import Q
    return query.filter(Q(agent_id=principal.id) | Q(transfers__to_agent_id=principal.id)
                        | Q(transfers__from_agent_id=principal.id)).distinct()


async def import_sessions(items: list[SessionInput]) -> tuple[int, int]:
    _count(items, "sessions")
    agents = await resolve_accounts([s.agent_account for s in items], "sessions", "agentAccount")
    contacts = {c.contact_id for c in items if c.contact_id is not None}
    known_contacts = set(await models.Contact.filter(id__in=list(contacts)).values_list(
        "id", flat=True))
    seen = set()
    transfer_names = []
    for i, item in enumerate(items):
        where = f"sessions[{i}]"
        if not item.session_id or len(item.session_id) > 64:
            raise InvalidInput("sessionId is 1-64 characters.", field=f"{where}.sessionId")
        if item.session_id in seen:
            raise InvalidInput("Duplicate sessionId in this batch.", field=f"{where}.sessionId")
        seen.add(item.session_id)
        started = _utc(item.started_at, f"{where}.startedAt")
        ended = _utc(item.ended_at, f"{where}.endedAt")
        if ended is not None and ended < started:
            raise InvalidInput("endedAt is before startedAt.", field=f"{where}.endedAt")
        if item.contact_id is not None and item.contact_id not in known_contacts:
            raise InvalidInput("No such contact.", field=f"{where}.contactId")
        for j, t in enumerate(item.transfers or []):
            _utc(t.transferred_at, f"{where}.transfers[{j}].transferredAt")
            transfer_names += [t.from_agent, t.to_agent]
    transfer_ids = dict(zip(transfer_names, await resolve_accounts(
        transfer_names, "sessions.transfers", "agent")))
    created = updated = 0
    async with in_transaction() as conn:
        existing = {s.session_id: s for s in await models.ChatSession.filter(
            session_id__in=list(seen)).using_db(conn)}
        for item, agent_id in zip(items, agents):
            values = {"channel": item.channel, "started_at": _utc(item.started_at, ""),
                      "ended_at": _utc(item.ended_at, ""), "agent_id": agent_id,
                      "contact_id": item.contact_id,
                      "transfer_count": len(item.transfers or [])}
            session = existing.get(item.session_id)
            if session is None:
                session = await models.ChatSession.create(session_id=item.session_id, **values,
                                                          using_db=conn)
                created += 1
            else:
                session.update_from_dict(values)
                await session.save(using_db=conn)
                await models.SessionTransfer.filter(session_id=session.id).using_db(conn).delete()
                updated += 1
            await models.SessionTransfer.bulk_create([
                models.SessionTransfer(session_id=session.id,
                                       from_agent_id=transfer_ids.get(t.from_agent),
                                       to_agent_id=transfer_ids.get(t.to_agent),
                                       transferred_at=_utc(t.transferred_at, ""),
                                       reason=(t.reason or "")[:200] or None)
                for t in item.transfers or []], using_db=conn)
        await events.append(conn, "sessions.imported", None, {"sessionIds": sorted(seen)})
    return created, updated


async def transfers_by_session(ids: list[int]) -> dict[int, list]:
    found: dict[int, list] = {i: [] for i in ids}
    for row in await models.SessionTransfer.filter(session_id__in=ids).order_by("transferred_at",
                                                                                   "id"):
        found[row.session_id].append(row)
    return found


# --- service summaries (R-CC-7) ---

@dataclass
class SummaryInput:
    business_unit: str | None = None
    question_type: str | None = None
    resolution_status: models.ResolutionStatus | None = None
    remark: str = ""
    marked_valid: bool = True
    custom_fields: list[tuple[str, str]] | None = None


async def session_for(principal: Principal, session_id: str) -> models.ChatSession:
    session = await visible_sessions(principal).filter(session_id=session_id).first()
    if session is None:
        raise NotFound("No such session.")
    return session


async def submit_summary(principal: Principal, session_id: str,
                         data: SummaryInput) -> models.ServiceSummary:
    from app.contact.tickets import clean_custom_fields

    session = await session_for(principal, session_id)
    for name in ("business_unit", "question_type"):
        if len(getattr(data, name) or "") > 64:
            raise InvalidInput(f"{name} is at most 64 characters.", field=name)
    if len(data.remark or "") > 2000:
        raise InvalidInput("remark is at most 2000 characters.", field="remark")
    values = {"agent_id": principal.id, "business_unit": data.business_unit,
              "question_type": data.question_type, "resolution_status": data.resolution_status,
              "remark": data.remark or "", "marked_valid": data.marked_valid,
              "custom_fields": clean_custom_fields(data.custom_fields)}
    async with in_transaction() as conn:
        summary = await models.ServiceSummary.filter(session_id=session.id).using_db(conn).first()
        if summary is None:
            summary = await models.ServiceSummary.create(session_id=session.id, **values,
                                                         using_db=conn)
        else:
            summary.update_from_dict(values)
            await summary.save(using_db=conn)
        await events.append(conn, "session.summarized", session.session_id,
                            {"sessionId": session.session_id})
    return summary


# --- QC results (R-QC-1/2) ---

@dataclass
class QcInput:
    target_id: str
    target_started_at: datetime
    completed_at: datetime
    agent_account: str | None
    full_score: float
    score: float
    scheme_id: str | None = None
    standard_full: float = 0
    standard_score: float = 0
    bonus_full: float = 0
    bonus_score: float = 0
    deduction_full: float = 0
    deduction_score: float = 0


async def import_qc(kind: models.QcKind, items: list[QcInput]) -> tuple[int, int]:
    _count(items, "results")
    agents = await resolve_accounts([i.agent_account for i in items], "results", "agentAccount")
    seen = set()
    for n, item in enumerate(items):
        where = f"results[{n}]"
        if not item.target_id or len(item.target_id) > 64:
            raise InvalidInput("The session or call id is 1-64 characters.", field=f"{where}.id")
        if item.target_id in seen:
            raise InvalidInput("Duplicate id in this batch.", field=f"{where}.id")
        seen.add(item.target_id)
        _utc(item.target_started_at, f"{where}.startedAt")
        _utc(item.completed_at, f"{where}.completedAt")
        if kind is models.QcKind.CALL and item.scheme_id:
            raise InvalidInput("Call QC results have no scheme id.", field=f"{where}.schemeId")
        for name in ("full_score", "score", "standard_full", "standard_score", "bonus_full",
                     "bonus_score", "deduction_full", "deduction_score"):
            value = getattr(item, name)
            if value != value or abs(value) > 1e6:  # NaN or absurd
                raise InvalidInput(f"{name} is not a valid score.", field=f"{where}.{name}")
        if item.full_score < 0:
            raise InvalidInput("fullScore cannot be negative.", field=f"{where}.fullScore")
    created = updated = 0
    async with in_transaction() as conn:
        existing = {r.target_id: r for r in await models.QcResult.filter(
            kind=kind, target_id__in=list(seen)).using_db(conn)}
        for item, agent_id in zip(items, agents):
            values = {k: getattr(item, k) for k in (
                "scheme_id", "full_score", "score", "standard_full", "standard_score",
                "bonus_full", "bonus_score", "deduction_full", "deduction_score")}
            values.update(agent_id=agent_id, target_started_at=_utc(item.target_started_at, ""),
                          completed_at=_utc(item.completed_at, ""))
            row = existing.get(item.target_id)
            if row is None:
                await models.QcResult.create(kind=kind, target_id=item.target_id, **values,
                                             using_db=conn)
                created += 1
            else:
                row.update_from_dict(values)
                await row.save(using_db=conn)
                updated += 1
        await events.append(conn, "qc.imported", None, {"kind": str(kind), "ids": sorted(seen)})
    return created, updated


async def qc_page(kind: models.QcKind, start: datetime, end: datetime, page: int,
                  page_size: int) -> tuple[int, list[models.QcResult]]:
    """QC results completed in [start, end), oldest first, ``page`` counted from 1."""
    if page < 1:
        raise InvalidInput("page starts at 1.", field="page")
    if not 1 <= page_size <= MAX_QC_PAGE:
        raise InvalidInput(f"pageSize must be 1-{MAX_QC_PAGE}.", field="pageSize")
    query = models.QcResult.filter(kind=kind, completed_at__gte=start, completed_at__lt=end)
    total = await query.count()
    rows = await query.order_by("completed_at", "id").offset((page - 1) * page_size).limit(
        page_size).prefetch_related("agent")
    return total, rows


# --- agent status intervals ---

@dataclass
class IntervalInput:
    agent_account: str
    status: models.AgentStatus
    started_at: datetime
    ended_at: datetime


async def import_intervals(items: list[IntervalInput]) -> tuple[int, int]:
    """Idempotent by (agent, startedAt). Intervals of one agent in a batch must not overlap."""
    _count(items, "intervals")
    agents = await resolve_accounts([i.agent_account for i in items], "intervals", "agentAccount")
    by_agent: dict[int, list[tuple[datetime, datetime, int]]] = {}
    for n, (item, agent_id) in enumerate(zip(items, agents)):
        where = f"intervals[{n}]"
        if agent_id is None:
            raise InvalidInput("agentAccount is required.", field=f"{where}.agentAccount")
        start, end = _utc(item.started_at, f"{where}.startedAt"), _utc(item.ended_at,
                                                                      f"{where}.endedAt")
        if end <= start:
            raise InvalidInput("endedAt must be after startedAt.", field=f"{where}.endedAt")
        by_agent.setdefault(agent_id, []).append((start, end, n))
    for spans in by_agent.values():
        spans.sort()
        for (s1, e1, _), (s2, _, n) in zip(spans, spans[1:]):
            if s2 < e1:
                raise InvalidInput("This interval overlaps another of the same agent.",
                                   field=f"intervals[{n}].startedAt")
    created = updated = 0
    async with in_transaction() as conn:
        for item, agent_id in zip(items, agents):
            start, end = _utc(item.started_at, ""), _utc(item.ended_at, "")
            values = {"status": item.status, "ended_at": end, "start_epoch": int(start.timestamp()),
                      "end_epoch": int(end.timestamp())}
            row = await models.AgentStatusInterval.filter(agent_id=agent_id,
                                                          started_at=start).using_db(conn).first()
            if row is None:
                await models.AgentStatusInterval.create(agent_id=agent_id, started_at=start,
                                                        **values, using_db=conn)
                created += 1
            else:
                row.update_from_dict(values)
                await row.save(using_db=conn)
                updated += 1
        await events.append(conn, "agent_status.imported", None, {"count": len(items)})
    return created, updated
