"""A response cache for anonymous reads of published help content, in front of /graphql.

Only requests without an Authorization header whose operation is a query touching nothing but
CACHEABLE_FIELDS are cached, keyed by the exact request (method, query string, body). Entries
are tagged with the help-center content version read before executing, and served only while
that version is current: an edit anywhere bumps the version in the database, and every process
re-reads it at most every 0.5 s. Responses carry an ETag; If-None-Match gets 304.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from functools import lru_cache
from urllib.parse import parse_qs

from graphql.error import GraphQLError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.knowledge.counters import ContentVersion
from graphql import FieldNode, OperationDefinitionNode, OperationType, parse

CACHEABLE_FIELDS = frozenset({"helpCenter", "helpCategory", "searchHelp", "__typename"})
MAX_ENTRIES = 2048
MAX_BODY = 64 * 1024


@lru_cache(maxsize=512)
def _cacheable_query(query: str) -> bool:
    try:
        document = parse(query, max_tokens=5000)
    except GraphQLError:
        return False
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            return False  # fragments could hide other fields: keep it simple
        if definition.operation is not OperationType.QUERY:
            return False
        for selection in definition.selection_set.selections:
            if not isinstance(selection, FieldNode) or selection.name.value not in CACHEABLE_FIELDS:
                return False
    return True


class PublicReadCache:
    def __init__(self, app: ASGIApp, version: ContentVersion) -> None:
        self.app = app
        self.version = version
        self._entries: OrderedDict[bytes, tuple[int, bytes, bytes]] = OrderedDict()

    def clear(self) -> None:
        self._entries.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if b"authorization" in headers:
            await self.app(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        if not complete:  # too large to be a help-center read: pass it on untouched
            await self.app(scope, _replay(body, receive, more=True), send)
            return
        key = hashlib.sha256(
            scope["method"].encode() + b"?" + scope["query_string"] + b"\n" + body
        ).digest()
        entry = self._entries.get(key)
        if entry is None and not self._is_cacheable(scope, body):
            # Not a help-center read (a login, say): no version check, no work.
            await self.app(scope, _replay(body, receive), send)
            return
        version = await self.version.current()
        if entry is not None and entry[0] == version:
            self._entries.move_to_end(key)
            await _send_cached(send, entry[1], entry[2], headers.get(b"if-none-match"))
            return
        await self._fill(scope, body, receive, send, key, version)

    def _is_cacheable(self, scope: Scope, body: bytes) -> bool:
        try:
            if scope["method"] == "POST":
                payload = json.loads(body)
                query = payload.get("query") if isinstance(payload, dict) else None
            else:
                query = parse_qs(scope["query_string"].decode("latin-1")).get("query", [None])[0]
        except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deep
            return False
        return isinstance(query, str) and _cacheable_query(query)

    async def _fill(self, scope, body, receive, send, key, version) -> None:
        started: dict = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, _replay(body, receive), capture)
        payload = b"".join(chunks)
        etag = b'"' + hashlib.sha256(payload).hexdigest()[:32].encode() + b'"'
        if started.get("status") == 200 and b'"errors"' not in payload:
            self._entries[key] = (version, payload, etag)
            if len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)
        response_headers = [
            (k, v) for k, v in started.get("headers", []) if k.lower() != b"content-length"
        ]
        response_headers += [
            (b"content-length", str(len(payload)).encode()),
            (b"etag", etag),
            (b"vary", b"Authorization"),
        ]
        await send(
            {
                "type": "http.response.start",
                "status": started.get("status", 500),
                "headers": response_headers,
            }
        )
        await send({"type": "http.response.body", "body": payload})


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The body, and whether it is complete (reading stops past MAX_BODY)."""
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > MAX_BODY and more:
            return body, False
    return body, True


def _replay(body: bytes, receive: Receive, more: bool = False) -> Receive:
    """A receive() that first hands back what was already read, then reads on."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": more}
        return await receive()

    return replay


async def _send_cached(send: Send, payload: bytes, etag: bytes, if_none_match: bytes | None):
    if if_none_match is not None and etag in [t.strip() for t in if_none_match.split(b",")]:
        await send(
            {
                "type": "http.response.start",
                "status": 304,
                "headers": [(b"etag", etag), (b"vary", b"Authorization")],
            }
        )
        await send({"type": "http.response.body", "body": b""})
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"etag", etag),
                (b"vary", b"Authorization"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
