"""Teams, queues and contacts (R-CC-1): the people and places calls and tickets refer to."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from app.accounts.models import Account, Role
from app.contact import events, models
from app.contact.phones import normalize_phone
from app.errors import Conflict, InvalidInput, NotFound

MAX_IMPORT = 1000


def _name(value: str, field: str, limit: int = 64) -> str:
    value = (value or "").strip()
    if not 1 <= len(value) <= limit:
        raise InvalidInput(f"{field} must be 1-{limit} characters.", field=field)
    return value


async def create_team(name: str) -> models.Team:
    name = _name(name, "name")
    if await models.Team.filter(name=name).exists():
        raise Conflict(f"A team named {name!r} already exists.")
    return await models.Team.create(name=name)


async def set_team_members(team_id: int, account_ids: list[int]) -> models.Team:
    """The team's members become exactly ``account_ids`` (each leaves any other team)."""
    team = await models.Team.get_or_none(id=team_id)
    if team is None:
        raise NotFound("No such team.")
    accounts = await Account.filter(id__in=account_ids).values_list("id", "role")
    known = {row[0] for row in accounts}
    missing = [a for a in account_ids if a not in known]
    if missing:
        raise InvalidInput(f"No account {missing[0]}.", field="accountIds")
    if any(role != Role.AGENT for _, role in accounts):
        raise InvalidInput("Only agents belong to teams.", field="accountIds")
    async with in_transaction() as conn:
        await models.TeamMember.filter(team_id=team_id).using_db(conn).delete()
        await models.TeamMember.filter(account_id__in=account_ids).using_db(conn).delete()
        await models.TeamMember.bulk_create(
            [models.TeamMember(team_id=team_id, account_id=a) for a in dict.fromkeys(account_ids)],
            using_db=conn)
    return team


async def create_queue(name: str, team_id: int | None) -> models.Queue:
    name = _name(name, "name")
    if team_id is not None and not await models.Team.filter(id=team_id).exists():
        raise InvalidInput("No such team.", field="teamId")
    if await models.Queue.filter(name=name).exists():
        raise Conflict(f"A queue named {name!r} already exists.")
    return await models.Queue.create(name=name, team_id=team_id)


# --- contacts ---

@dataclass
class ContactInput:
    name: str
    phones: list[str]
    email: str | None = None
    external_id: str | None = None


def _clean_contact(data: ContactInput, *, country_code: str, prefix: str = "") -> dict:
    name = _name(data.name, f"{prefix}name", 128)
    if len(data.phones) > 10:
        raise InvalidInput("At most 10 phone numbers.", field=f"{prefix}phones")
    phones = list(dict.fromkeys(
        normalize_phone(p, country_code=country_code, field=f"{prefix}phones[{i}]")
        for i, p in enumerate(data.phones)))
    email = (data.email or "").strip().lower() or None
    if email is not None and ("@" not in email or len(email) > 254 or " " in email):
        raise InvalidInput(f"{data.email!r} is not an email address.", field=f"{prefix}email")
    external = (data.external_id or "").strip() or None
    if external is not None and len(external) > 128:
        raise InvalidInput("externalId is longer than 128 characters.", field=f"{prefix}externalId")
    return {"name": name, "phones": phones, "email": email, "external_id": external}


async def _save_contact(clean: dict, contact: models.Contact | None, conn) -> models.Contact:
    if clean["external_id"]:
        clash = models.Contact.filter(external_id=clean["external_id"]).using_db(conn)
        if contact is not None:
            clash = clash.exclude(id=contact.id)
        if await clash.exists():
            raise Conflict(f"Another contact has external id {clean['external_id']!r}.",
                           field="externalId")
    fields = {k: clean[k] for k in ("name", "email", "external_id")}
    if contact is None:
        contact = await models.Contact.create(**fields, using_db=conn)
    else:
        contact.update_from_dict(fields)
        await contact.save(using_db=conn)
        await models.ContactPhone.filter(contact_id=contact.id).using_db(conn).delete()
    await models.ContactPhone.bulk_create(
        [models.ContactPhone(contact_id=contact.id, e164=p, position=i + 1)
         for i, p in enumerate(clean["phones"])], using_db=conn)
    return contact


async def create_contact(data: ContactInput, *, country_code: str) -> models.Contact:
    clean = _clean_contact(data, country_code=country_code)
    async with in_transaction() as conn:
        contact = await _save_contact(clean, None, conn)
        await events.append(conn, "contact.created", str(contact.id), {"contactId": contact.id})
    return contact


async def update_contact(contact_id: int, data: ContactInput, *, country_code: str) -> models.Contact:
    contact = await models.Contact.get_or_none(id=contact_id)
    if contact is None:
        raise NotFound("No such contact.")
    clean = _clean_contact(data, country_code=country_code)
    async with in_transaction() as conn:
        contact = await _save_contact(clean, contact, conn)
        await events.append(conn, "contact.updated", str(contact.id), {"contactId": contact.id})
    return contact


async def import_contacts(items: list[ContactInput], *, country_code: str) -> tuple[int, int]:
    """Idempotent by external id (required here): creates or updates. All or nothing."""
    if not 1 <= len(items) <= MAX_IMPORT:
        raise InvalidInput(f"1-{MAX_IMPORT} contacts per call.", field="contacts")
    cleaned = []
    seen = set()
    for i, item in enumerate(items):
        clean = _clean_contact(item, country_code=country_code, prefix=f"contacts[{i}].")
        if not clean["external_id"]:
            raise InvalidInput("Imported contacts need an externalId.",
                               field=f"contacts[{i}].externalId")
        if clean["external_id"] in seen:
            raise InvalidInput("Duplicate externalId in this batch.",
                               field=f"contacts[{i}].externalId")
        seen.add(clean["external_id"])
        cleaned.append(clean)
    created = updated = 0
    async with in_transaction() as conn:
        existing = {c.external_id: c for c in await models.Contact.filter(
            external_id__in=list(seen)).using_db(conn)}
        ids = []
        for clean in cleaned:
            contact = existing.get(clean["external_id"])
            created, updated = (created + 1, updated) if contact is None else (created, updated + 1)
            ids.append((await _save_contact(clean, contact, conn)).id)
        await events.append(conn, "contacts.imported", None, {"contactIds": ids})
    return created, updated


def search_contacts(text: str | None, *, country_code: str):
    """Contacts matching ``text`` by name (contains), email, external id or any phone number
    (compared in E.164, so ``138-0013-8000`` finds ``+8613800138000``)."""
    query = models.Contact.all()
    text = (text or "").strip()
    if not text:
        return query
    condition = Q(name__icontains=text) | Q(email=text.lower()) | Q(external_id=text)
    try:
        phone = normalize_phone(text, country_code=country_code)
    except InvalidInput:
        phone = None
    if phone:
        condition |= Q(phones__e164=phone)
    return query.filter(condition).distinct()


async def phones_by_contact(ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {i: [] for i in ids}
    for row in await models.ContactPhone.filter(contact_id__in=ids).order_by("position").values(
            "contact_id", "e164"):
        found[row["contact_id"]].append(row["e164"])
    return found
