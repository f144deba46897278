"""POST /cms/uploads (images for categories and answers) and GET /media/{file}."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.accounts.auth import Auth, bearer_token
from app.accounts.permissions import Permission
from app.accounts.principal import require
from app.errors import DomainError, Unauthenticated
from app.knowledge import media
from app.settings import Settings
from app.web.security import media_csp

log = logging.getLogger("deskql.cms")

_STATUS = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403, "BAD_USER_INPUT": 400, "NOT_FOUND": 404}


def _error(exc: DomainError, status: int | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"message": exc.message, **exc.as_extensions()}},
        status_code=status or _STATUS.get(exc.code, 400),
    )


# The route answers an upload over 2 MB itself (with its own message); the edge's limit for
# this path only stops bodies far past it, chunked ones included.
UPLOAD_REQUEST_BYTES = media.MAX_UPLOAD_BYTES + 64 * 1024
MAX_UPLOAD_REQUEST_BYTES = UPLOAD_REQUEST_BYTES + 64 * 1024


class Uploads:
    def __init__(self, *, settings: Settings, auth: Auth) -> None:
        self.settings = settings
        self.auth = auth

    async def upload(self, request: Request) -> Response:
        """multipart/form-data with one `file` part; the admin's token in Authorization."""
        try:
            token = bearer_token(request.headers.get("authorization"))
            if token is None:
                raise Unauthenticated()
            principal = require(await self.auth.authenticate(token), Permission.KC_MANAGE)
            length = request.headers.get("content-length")
            if length and length.isdigit() and int(length) > UPLOAD_REQUEST_BYTES:
                return _error(
                    DomainError(
                        "An image is at most 2 MB.", code="PAYLOAD_TOO_LARGE", field="file"
                    ),
                    413,
                )
            data = await self._file_bytes(request)
            path = await media.store(actor=principal, data=data)
        except DomainError as exc:
            return _error(exc)
        log.info("image uploaded path=%s by=%s", path, principal.id)
        return JSONResponse(
            {"url": media.absolute(path, public_url=self.settings.public_url), "path": path},
            status_code=201,
        )

    async def _file_bytes(self, request: Request) -> bytes:
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise DomainError(
                "Send multipart/form-data with a `file` part.", code="BAD_USER_INPUT", field="file"
            )
        try:
            form = await request.form(
                max_files=1, max_fields=4, max_part_size=media.MAX_UPLOAD_BYTES + 1
            )
        except Exception as exc:  # Starlette's MultiPartException and friends
            raise DomainError(
                f"The upload could not be read: {exc}", code="BAD_USER_INPUT", field="file"
            ) from None
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise DomainError(
                "Send the image in a part named `file`.", code="BAD_USER_INPUT", field="file"
            )
        data = await upload.read(media.MAX_UPLOAD_BYTES + 1)
        await form.close()
        return data


class Media:
    """GET /media/{file}: uploaded images, served from the database, framed only where the
    H5 pages may be."""

    def __init__(self, *, frame_ancestors: str) -> None:
        self._csp = media_csp(frame_ancestors)

    async def serve(self, request: Request) -> Response:
        row = await media.load("/media/" + request.path_params["name"])
        if row is None:
            return Response(b"Not found", status_code=404, media_type="text/plain")
        etag = f'"{row.sha256[:32]}"'
        headers = {
            "Cache-Control": "public, max-age=31536000, immutable",
            "ETag": etag,
            "Content-Security-Policy": self._csp,
        }
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(bytes(row.data), media_type=row.content_type, headers=headers)
