"""Contacts (R-CC-1): customers with phone numbers (E.164), e-mail and the customer system's
external id ("docking id"), found by any of them."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from app.accounts.principal import Principal
from app.checks import batch_size
from app.db import counts, upsert_by_key
from app.directory import models
from app.directory.phones import normalize_phone
from app.directory.teams import clean_name
from app.errors import Conflict, InvalidInput, NotFound
from app.events import log


@dataclass
class ContactInput:
    name: str
    phones: list[str]
    email: str | None = None
    external_id: str | None = None


def _clean(data: ContactInput, *, country_code: str, prefix: str = "") -> dict:
    name = clean_name(data.name, f"{prefix}name", 128)
    if len(data.phones) > 10:
        raise InvalidInput("At most 10 phone numbers.", field=f"{prefix}phones")
    phones = list(
        dict.fromkeys(
            normalize_phone(p, country_code=country_code, field=f"{prefix}phones[{i}]")
            for i, p in enumerate(data.phones)
        )
    )
    email = (data.email or "").strip().lower() or None
    if email is not None and ("@" not in email or len(email) > 254 or " " in email):
        raise InvalidInput(f"{data.email!r} is not an email address.", field=f"{prefix}email")
    external = (data.external_id or "").strip() or None
    if external is not None and len(external) > 128:
        raise InvalidInput("externalId is longer than 128 characters.", field=f"{prefix}externalId")
    return {"name": name, "phones": phones, "email": email, "external_id": external}


async def _save(
    clean: dict, contact: models.Contact | None, conn: BaseDBAsyncClient
) -> models.Contact:
    if clean["external_id"]:
        clash = models.Contact.filter(external_id=clean["external_id"]).using_db(conn)
        if contact is not None:
            clash = clash.exclude(id=contact.id)
        if await clash.exists():
            raise Conflict(
                f"Another contact has external id {clean['external_id']!r}.", field="externalId"
            )
    if contact is None:
        contact = await models.Contact.create(**_row(clean), using_db=conn)
    else:
        contact.update_from_dict(_row(clean))
        await contact.save(using_db=conn)
    await _replace_phones(contact, clean["phones"], conn)
    return contact


def _row(clean: dict) -> dict:
    return {k: clean[k] for k in ("name", "email", "external_id")}


async def _replace_phones(
    contact: models.Contact, phones: list[str], conn: BaseDBAsyncClient
) -> None:
    await models.ContactPhone.filter(contact_id=contact.id).using_db(conn).delete()
    await models.ContactPhone.bulk_create(
        [
            models.ContactPhone(contact_id=contact.id, e164=p, position=i + 1)
            for i, p in enumerate(phones)
        ],
        using_db=conn,
    )


def _payload(contact: models.Contact, clean: dict) -> dict:
    return {
        "contactId": contact.id,
        "name": clean["name"],
        "email": clean["email"],
        "externalId": clean["external_id"],
        "phones": clean["phones"],
    }


async def create_contact(
    *, actor: Principal, data: ContactInput, country_code: str
) -> models.Contact:
    clean = _clean(data, country_code=country_code)
    async with in_transaction() as conn:
        contact = await _save(clean, None, conn)
        await log.append(
            conn, "contact.created", str(contact.id), _payload(contact, clean), actor=actor
        )
    return contact


async def update_contact(
    *, actor: Principal, contact_id: int, data: ContactInput, country_code: str
) -> models.Contact:
    contact = await models.Contact.get_or_none(id=contact_id)
    if contact is None:
        raise NotFound("No such contact.")
    clean = _clean(data, country_code=country_code)
    async with in_transaction() as conn:
        contact = await _save(clean, contact, conn)
        await log.append(
            conn, "contact.updated", str(contact.id), _payload(contact, clean), actor=actor
        )
    return contact


async def import_contacts(
    *, actor: Principal, items: list[ContactInput], country_code: str
) -> tuple[int, int]:
    """Idempotent by external id (required here): creates or updates. All or nothing."""
    batch_size(items, "contacts")
    cleaned = []
    seen = set()
    for i, item in enumerate(items):
        clean = _clean(item, country_code=country_code, prefix=f"contacts[{i}].")
        if not clean["external_id"]:
            raise InvalidInput(
                "Imported contacts need an externalId.", field=f"contacts[{i}].externalId"
            )
        if clean["external_id"] in seen:
            raise InvalidInput(
                "Duplicate externalId in this batch.", field=f"contacts[{i}].externalId"
            )
        seen.add(clean["external_id"])
        cleaned.append(clean)
    async with in_transaction() as conn:
        outcome = await upsert_by_key(
            models.Contact, [_row(c) for c in cleaned], key=("external_id",), conn=conn
        )
        for (contact, _), clean in zip(outcome, cleaned, strict=True):
            await _replace_phones(contact, clean["phones"], conn)
        await log.append(
            conn,
            "contacts.imported",
            None,
            {"contactIds": [contact.id for contact, _ in outcome]},
            actor=actor,
            source="import",
        )
    return counts(outcome)


def search_contacts(text: str | None, *, country_code: str) -> QuerySet[models.Contact]:
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


async def contacts_by_id(ids: list[int]) -> dict[int, models.Contact]:
    return {c.id: c for c in await models.Contact.filter(id__in=ids)}


async def phones_by_contact(ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {i: [] for i in ids}
    for row in (
        await models.ContactPhone.filter(contact_id__in=ids)
        .order_by("position")
        .values("contact_id", "e164")
    ):
        found[row["contact_id"]].append(row["e164"])
    return found
