"""The fake Zendesk's user, identity, search and ticket-field routes (zendesk-api.md, "Users
(contacts) and identities", "Uploads and ticket fields")."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.zendesk.fake.responses import Invalid, body_of, invalid, not_found
from app.zendesk.fake.state import FakeZendesk

FIELD_TYPES = {"text", "textarea", "checkbox", "date", "integer", "decimal", "regexp",
               "partialcreditcard", "tagger", "multiselect", "lookup"}  # fmt: skip


async def create_or_update_user(request: Request, fake: FakeZendesk) -> Response:
    data = (await body_of(request)).get("user") or {}
    if not data.get("name"):
        return invalid(Invalid("name", "Name: is too short"))
    user, created = fake.create_or_update_user(data)
    return JSONResponse({"user": user}, status_code=201 if created else 200)


async def show_user(request: Request, fake: FakeZendesk) -> Response:
    user = fake.users.get(int(request.path_params["id"]))
    return JSONResponse({"user": user}) if user else not_found()


async def search_users(request: Request, fake: FakeZendesk) -> Response:
    external = request.query_params.get("external_id")
    query = (request.query_params.get("query") or "").lower()
    found = [
        u for u in fake.users.values()
        if (external is not None and (u["external_id"] or "") == external)
        or (query and query in f"{u['name']} {u['email'] or ''} {u['external_id'] or ''}".lower())
    ]  # fmt: skip
    return JSONResponse(
        {"users": found, "count": len(found), "next_page": None, "previous_page": None}
    )


async def identities(request: Request, fake: FakeZendesk) -> Response:
    uid = int(request.path_params["id"])
    if uid not in fake.users:
        return not_found()
    if request.method == "POST":
        data = (await body_of(request)).get("identity") or {}
        identity = fake.add_identity(uid, str(data.get("type")), str(data.get("value")))
        return JSONResponse({"identity": identity}, status_code=201)
    return JSONResponse(
        {"identities": fake.identities.get(uid, []), "count": len(fake.identities.get(uid, []))}
    )


def _matches(fake: FakeZendesk, user: dict, terms: list[str]) -> bool:
    for term in terms:
        name, _, value = term.partition(":")
        if name == "type" and value != "user":
            return False
        if name == "role" and user["role"] != value:
            return False
        if name == "email" and (user["email"] or "").lower() != value.lower():
            return False
        if name == "external_id" and (user["external_id"] or "") != value:
            return False
        if name == "phone":
            phones = fake.phones(user["id"])
            if value.startswith("*"):
                if not any(p.endswith(value[1:]) for p in phones):
                    return False
            elif value not in phones:
                return False
    return True


async def search(request: Request, fake: FakeZendesk) -> Response:
    terms = (request.query_params.get("query") or "").split()
    results = [
        {**u, "result_type": "user"} for u in fake.users.values()
        if fake.searchable(u) and _matches(fake, u, terms)
    ]  # fmt: skip
    return JSONResponse({"results": results, "count": len(results), "next_page": None,
                         "previous_page": None, "facets": None})  # fmt: skip


async def ticket_fields(request: Request, fake: FakeZendesk) -> Response:
    if request.method == "POST":
        data = (await body_of(request)).get("ticket_field") or {}
        if data.get("type") not in FIELD_TYPES:
            return invalid(Invalid("type", "Type: is not valid"))
        fid = fake.next_id()
        field = {"id": fid, "url": f"{fake.base_url}/api/v2/ticket_fields/{fid}.json",
                 "type": data["type"], "title": data.get("title") or "", "active": True}  # fmt: skip
        fake.ticket_fields[fid] = field
        return JSONResponse({"ticket_field": field}, status_code=201)
    return JSONResponse(
        {"ticket_fields": list(fake.ticket_fields.values()), "count": len(fake.ticket_fields)}
    )
