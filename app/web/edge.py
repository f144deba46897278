"""The layer every HTTP request and WebSocket passes first (one layer: it is on every
request's path).

- A request id for every log line and the ``X-Request-ID`` header (app/requestid.py).
- The headers every response carries: ``nosniff``, ``Referrer-Policy``, and HSTS in
  production when the public URL is https — on error responses too.
- A body size limit (``DESKQL_MAX_BODY_BYTES``; uploads have their own): a declared length over
  it is refused with 413 before anything is read, and a chunked body is cut off with 413 as soon
  as it passes the limit — no request holds a worker reading megabytes.
- Anything that escapes the application becomes a 500 with those headers and the request id,
  logged once with it, instead of a bare error page.
"""

from __future__ import annotations

import json
import logging
import re
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.requestid import request_id_var

log = logging.getLogger("deskql.server")

# A caller's id is reused only when it is short and plain, so it cannot forge log lines.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_BASE_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class _TooLarge(Exception):
    pass


class Edge:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        body_limits: dict[str, int] | None = None,
        hsts: bool = False,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_limits = body_limits or {}  # path -> its own limit
        self.security_headers = _BASE_HEADERS + ((HSTS,) if hsts else ())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SAFE_ID.match(incoming) else secrets.token_hex(8)
        token = request_id_var.set(request_id)
        own_headers = [(b"x-request-id", request_id.encode()), *self.security_headers]
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {name for name, _ in headers}
                headers.extend(h for h in own_headers if h[0] not in names)
                message["headers"] = headers
            await send(message)

        try:
            if scope["type"] == "http":
                limit = self.body_limits.get(scope["path"], self.max_body_bytes)
                length = dict(scope["headers"]).get(b"content-length")
                if length is not None and (not length.isdigit() or int(length) > limit):
                    await _error(
                        send_with_headers,
                        413,
                        "PAYLOAD_TOO_LARGE",
                        f"The request body is over {limit} bytes.",
                    )
                    return
                receive = _counted(receive, limit)
            await self.app(scope, receive, send_with_headers)
        except _TooLarge:
            if not started:
                await _error(
                    send_with_headers, 413, "PAYLOAD_TOO_LARGE", "The request body is too large."
                )
        except Exception:
            log.exception("unhandled error path=%s", scope.get("path"))
            if scope["type"] == "http" and not started:
                await _error(
                    send_with_headers, 500, "INTERNAL", "Unexpected error.", requestId=request_id
                )
        finally:
            request_id_var.reset(token)


def _counted(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counting() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge
        return message

    return counting


async def _error(send: Send, status: int, code: str, message: str, **extensions: str) -> None:
    body = json.dumps(
        {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
