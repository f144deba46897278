"""The WebSockets this process holds open with a token (graphql-transport-ws), so those whose
access was taken away are closed (4403) within a second of the revocation, wherever it
happened (app/accounts/revocation.py tells every process)."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

from app.accounts import revocation
from app.errors import Unauthenticated

log = logging.getLogger("deskql.websocket")

REVOKED = 4403


class OpenSockets:
    def __init__(self) -> None:
        self._tokens: dict[WebSocket, str] = {}  # socket -> the digest of its token

    def add(self, websocket: WebSocket, token_hash: str) -> None:
        self._tokens[websocket] = token_hash

    def __len__(self) -> int:
        return len(self._tokens)

    async def recheck(self) -> None:
        """Close every socket whose token was revoked, expired or whose account was disabled;
        forget the sockets that closed."""
        self._tokens = {
            ws: digest
            for ws, digest in self._tokens.items()
            if ws.application_state is WebSocketState.CONNECTED
            and ws.client_state is WebSocketState.CONNECTED
        }
        standing = await revocation.standing_tokens(self._tokens.values())
        for websocket, digest in list(self._tokens.items()):
            if digest in standing:
                continue
            del self._tokens[websocket]
            log.info("closing a socket whose access was revoked")
            with contextlib.suppress(Exception):  # it may be closing on its own right now
                await websocket.close(code=REVOKED, reason="Access revoked")


async def reauthorize(context: Any) -> None:
    """Each operation on a signed-in socket is authorised as of now: the token is checked again
    (not from the principal cache) before the operation runs, so a revoked token or a disabled
    account is refused even in the instant before its socket is closed."""
    token = getattr(context, "socket_token", None)
    if token is not None:
        try:
            context.principal = await context.auth.authenticate(token, fresh=True)
            context.auth_error = None
        except Unauthenticated as exc:
            context.principal, context.auth_error = None, exc
