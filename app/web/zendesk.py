"""``POST /zendesk/webhook``: Zendesk tells deskql of changes made there (a ticket solved or
merged). Verified with Zendesk's webhook signature; see app/zendesk/inbound.py."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.errors import InvalidInput
from app.settings import Settings
from app.zendesk import inbound

log = logging.getLogger("deskql.zendesk")
MAX_BODY = 256 * 1024


class ZendeskWebhook:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def receive(self, request: Request) -> JSONResponse:
        body = await request.body()
        if len(body) > MAX_BODY:
            return _error(413, "PAYLOAD_TOO_LARGE", "The event is larger than 256 KiB.")
        try:
            inbound.verify(
                self.settings.zendesk_webhook_secret,
                request.headers.get("x-zendesk-webhook-signature", ""),
                request.headers.get("x-zendesk-webhook-signature-timestamp", ""),
                body,
                datetime.now(UTC),
            )
        except inbound.BadSignature as exc:
            log.warning("zendesk webhook refused: %s", exc)
            return _error(401, "UNAUTHENTICATED", "The Zendesk webhook signature is not valid.")
        try:
            outcome = await inbound.handle(body, self.settings)
        except InvalidInput as exc:
            return _error(400, "BAD_USER_INPUT", str(exc))
        log.info("zendesk webhook: %s", outcome)
        return JSONResponse({"ok": True, "outcome": outcome})


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "code": code}}, status_code=status)
