"""Uploaded images: type checked from the bytes, at most 2 MB, content-addressed (SHA-256)."""

from __future__ import annotations

import contextlib
import hashlib
import re

from tortoise.exceptions import IntegrityError

from app.accounts.principal import Principal
from app.errors import InvalidInput, NotFound
from app.knowledge import models

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
_PATH = re.compile(r"^/media/([0-9a-f]{64})\.(png|jpg|webp|gif)$")

# (magic check, content type, extension). The name and declared type of the upload are ignored.
_KINDS = [
    (lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"), "image/png", "png"),
    (lambda b: b.startswith(b"\xff\xd8\xff"), "image/jpeg", "jpg"),
    (lambda b: b[:6] in (b"GIF87a", b"GIF89a"), "image/gif", "gif"),
    (lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP", "image/webp", "webp"),
]


def sniff(data: bytes) -> tuple[str, str]:
    for check, content_type, extension in _KINDS:
        if check(data):
            return content_type, extension
    raise InvalidInput("Only PNG, JPEG, WebP and GIF images can be uploaded.", field="file")


async def store(*, actor: Principal, data: bytes) -> str:
    """Store an image and return its path, /media/<sha256>.<ext>. The same bytes give the same
    path, stored once."""
    if not data:
        raise InvalidInput("The file is empty.", field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput("An image is at most 2 MB.", field="file")
    content_type, extension = sniff(data)
    digest = hashlib.sha256(data).hexdigest()
    if not await models.MediaFile.exists(sha256=digest):
        # The same image may arrive concurrently: content-addressed, so a clash is no loss.
        with contextlib.suppress(IntegrityError):
            await models.MediaFile.create(
                sha256=digest,
                content_type=content_type,
                extension=extension,
                size=len(data),
                data=data,
                uploaded_by_id=actor.id,
            )
    return f"/media/{digest}.{extension}"


async def load(path: str) -> models.MediaFile | None:
    match = _PATH.match(path)
    if not match:
        return None
    row = await models.MediaFile.get_or_none(sha256=match.group(1))
    if row is None or row.extension != match.group(2):
        return None
    return row


async def path_of(url: str | None, *, public_url: str) -> str | None:
    """The stored path of an image URL from /cms/uploads (absolute or /media/...), or None."""
    if url is None or not url.strip():
        return None
    path = url.strip().removeprefix(public_url)
    if not _PATH.match(path):
        raise InvalidInput("imageUrl must be a URL returned by /cms/uploads.", field="imageUrl")
    if await load(path) is None:
        raise NotFound("No uploaded image at imageUrl.", field="imageUrl")
    return path


def absolute(path: str | None, *, public_url: str) -> str | None:
    return f"{public_url}{path}" if path else None
