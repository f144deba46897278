"""GET /h5/questions/{id}: a question's answer as a complete mobile page (R-KC-3).

Rendered pages are kept per process, tagged with the content version (see
app/api/public_cache.py); a draft or missing question gets the same 404 page; every view
(304s included) is counted through the buffered ViewCounter."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from html import escape
from pathlib import Path
from string import Template

from starlette.types import Receive, Scope, Send

from app.knowledge import models
from app.knowledge.counters import ContentVersion, ViewCounter
from app.parsing import database_id
from app.web.security import h5_csp

MAX_PAGES = 4096


class H5Pages:
    def __init__(
        self,
        *,
        static_dir: Path,
        version: ContentVersion,
        views: ViewCounter,
        frame_ancestors: str,
    ) -> None:
        self.version = version
        self.views = views
        csp = (b"content-security-policy", h5_csp(frame_ancestors).encode())
        self._page_headers = [
            (b"content-type", b"text/html; charset=utf-8"),
            csp,
            (b"cache-control", b"no-cache"),
        ]
        self._not_found_headers = [(b"content-type", b"text/html; charset=utf-8"), csp]
        self._template = Template((static_dir / "h5" / "question.html").read_text())
        self._not_found = (static_dir / "h5" / "not_found.html").read_bytes()
        self._pages: OrderedDict[int, tuple[int, bytes, bytes]] = OrderedDict()

    def clear(self) -> None:
        self._pages.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A bare ASGI endpoint: this is the hottest page, so headers are prebuilt bytes."""
        raw = scope["path_params"]["question_id"]
        question_id = database_id(raw)
        page = await self._page(question_id) if question_id else None
        if page is None or question_id is None:
            await _respond(send, 404, self._not_found_headers, self._not_found)
            return
        body, etag = page
        self.views.add(question_id)
        headers = self._page_headers + [(b"etag", etag)]
        if etag in _if_none_match(scope):
            await _respond(send, 304, headers, b"")
            return
        await _respond(send, 200, headers + [(b"content-length", b"%d" % len(body))], body)

    async def _page(self, question_id: int) -> tuple[bytes, bytes] | None:
        version = await self.version.current()
        cached = self._pages.get(question_id)
        if cached is not None and cached[0] == version:
            return cached[1], cached[2]
        row = await models.HelpQuestion.get_or_none(
            id=question_id, status=models.QuestionStatus.PUBLISHED
        ).select_related("category")
        if row is None:
            return None
        body = self._template.substitute(
            title=escape(row.title),
            category=escape(row.category.name),
            answer=row.answer_html,
            question_id=row.id,
            updated=row.updated_at.strftime("%Y-%m-%d"),
        ).encode()
        etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
        self._pages[question_id] = (version, body, etag)
        if len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return body, etag


def _if_none_match(scope: Scope) -> list[bytes]:
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            return [tag.strip() for tag in value.split(b",")]
    return []


async def _respond(send: Send, status: int, headers: list, body: bytes) -> None:
    if status == 404:
        headers = headers + [(b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
