"""Uploads of the fake Zendesk (zendesk-api.md, "Uploads and ticket fields").

``POST /api/v2/uploads?filename=NAME[&token=T]`` with the raw bytes answers 201
``{"upload":{"token","expires_at","attachments":[…],"attachment":{…}}}``; ``DELETE
/api/v2/uploads/{token}`` answers 204. A comment (ticket create, update, or an update_many item)
with ``uploads`` — one token or a list — gets the files of those tokens in its ``attachments``.

Choices where Zendesk's docs are silent:

- As recorded from real Zendesk (zenpy's 2024 cassette), the upload's answer is a JSON body
  labelled ``Content-Type: text/plain; charset=utf-8``, with ``Location`` the attachment's API
  URL (``GET /api/v2/attachments/{id}`` shows it); attachments carry the recorded keys.
- ``content_type`` is the request's Content-Type, except a missing one or
  ``application/octet-stream``: then it is guessed from the file name, as Zendesk does.
- A token is valid 60 minutes of the clock from its first file (adding files to it with
  ``token=`` does not extend it). Using it in a comment does not use it up: it may be attached
  again until it expires or is deleted.
- No ``filename`` → 422 RecordInvalid (``filename``); ``token=`` unknown or expired → 422
  RecordInvalid (``token``); an unknown or expired token in a comment's ``uploads`` → 422
  RecordInvalid (``uploads``) and nothing of the request applied (in update_many: that item
  fails, the job completes). Unknown token on DELETE → 404 RecordNotFound.
- ``content_url`` is ``{base}/attachments/token/{t}/?name={file}``, a fake route outside the
  API (no auth, not rate limited, like Zendesk's content host) answering the bytes.
"""

from __future__ import annotations

import mimetypes
import secrets
import string
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.zendesk.fake.responses import Invalid, invalid, not_found
from app.zendesk.fake.state import UPLOAD_TTL, FakeZendesk, stamp

_ALPHABET = string.ascii_letters + string.digits


def _token() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(25))


def _valid(fake: FakeZendesk, token: str) -> dict | None:
    upload = fake.uploads.get(token)
    if upload is None or fake.clock.now() >= upload["expires"]:
        return None
    return upload


def _content_type(given: str | None, filename: str) -> str:
    given = (given or "").split(";")[0].strip().lower()
    if given and given != "application/octet-stream":
        return given
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def add(
    fake: FakeZendesk, filename: str, content_type: str | None, data: bytes, token: str | None
) -> tuple[str, dict]:
    """Store one file (in upload ``token`` when given): the token and its new attachment."""
    if not filename:
        raise Invalid("filename", "Filename: cannot be blank")
    if token is not None and _valid(fake, token) is None:
        raise Invalid("token", f"Token: {token} is invalid or has expired")
    aid = fake.next_id()
    content = _token()
    kind = _content_type(content_type, filename)
    url = f"{fake.base_url}/attachments/token/{content}/?name={quote(filename)}"
    attachment: dict[str, Any] = {
        "url": f"{fake.base_url}/api/v2/attachments/{aid}.json",
        "id": aid,
        "file_name": filename,
        "content_url": url,
        "mapped_content_url": url,
        "content_type": kind,
        "size": len(data),
        "width": None,
        "height": None,
        "inline": False,
        "deleted": False,
        "malware_access_override": False,
        "malware_scan_result": "not_scanned",
        "thumbnails": [],
    }
    fake.attachments[aid] = attachment
    fake.attachment_bytes[aid] = data
    fake.content_tokens[content] = aid
    if token is None:
        token = _token()
        expires = fake.clock.now() + UPLOAD_TTL
        fake.uploads[token] = {"expires": expires, "attachments": []}
    fake.uploads[token]["attachments"].append(aid)
    return token, attachment


def attached(fake: FakeZendesk, comment: dict | None) -> list[dict]:
    """The attachments a comment's ``uploads`` name; Invalid when a token is unknown or has
    expired (checked before anything is changed)."""
    given = (comment or {}).get("uploads")
    if not given:
        return []
    tokens = [given] if isinstance(given, str) else [str(t) for t in given]
    found: list[dict] = []
    for token in tokens:
        upload = _valid(fake, token)
        if upload is None:
            raise Invalid("uploads", f"Uploads: {token} is invalid or has expired")
        found.extend(dict(fake.attachments[aid]) for aid in upload["attachments"])
    return found


# -- routes -------------------------------------------------------------------------------------


async def create_upload(request: Request, fake: FakeZendesk) -> Response:
    data = await request.body()
    try:
        token, attachment = add(
            fake, request.query_params.get("filename") or "",
            request.headers.get("content-type"), data, request.query_params.get("token"),
        )  # fmt: skip
    except Invalid as exc:
        return invalid(exc)
    upload = fake.uploads[token]
    body = {
        "upload": {
            "token": token,
            "expires_at": stamp(upload["expires"]),
            "attachments": [fake.attachments[aid] for aid in upload["attachments"]],
            "attachment": attachment,
        }
    }
    return JSONResponse(
        body, status_code=201, media_type="text/plain; charset=utf-8",
        headers={"location": attachment["url"]},
    )  # fmt: skip


async def delete_upload(request: Request, fake: FakeZendesk) -> Response:
    upload = fake.uploads.pop(request.path_params["token"], None)
    if upload is None:
        return not_found()
    used = {a["id"] for comments in fake.comments.values() for c in comments
            for a in c.get("attachments") or []}  # fmt: skip
    for aid in upload["attachments"]:
        if aid not in used:
            fake.attachments.pop(aid, None)
            fake.attachment_bytes.pop(aid, None)
    return Response(status_code=204)


async def show_attachment(request: Request, fake: FakeZendesk) -> Response:
    attachment = fake.attachments.get(int(request.path_params["id"]))
    return JSONResponse({"attachment": attachment}) if attachment else not_found()


async def content(request: Request, fake: FakeZendesk) -> Response:
    aid = fake.content_tokens.get(request.path_params["token"])
    if aid is None or aid not in fake.attachment_bytes:
        return Response("Not Found", status_code=404, media_type="text/plain")
    attachment = fake.attachments[aid]
    return Response(
        fake.attachment_bytes[aid], media_type=attachment["content_type"],
        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(attachment['file_name'])}"},
    )  # fmt: skip
