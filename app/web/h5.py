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

from starlette.requests import Request
from starlette.responses import Response

from app.knowledge import models
from app.knowledge.counters import ContentVersion, ViewCounter
from app.web.security import PAGE_CSP

MAX_PAGES = 4096


class H5Pages:
    def __init__(self, *, static_dir: Path, version: ContentVersion, views: ViewCounter) -> None:
        self.version = version
        self.views = views
        self._template = Template((static_dir / "h5" / "question.html").read_text())
        self._not_found = (static_dir / "h5" / "not_found.html").read_bytes()
        self._pages: OrderedDict[int, tuple[int, bytes, str]] = OrderedDict()

    def clear(self) -> None:
        self._pages.clear()

    async def question(self, request: Request) -> Response:
        raw = request.path_params["question_id"]
        question_id = int(raw) if raw.isdigit() and len(raw) < 12 else None
        page = await self._page(question_id) if question_id else None
        if page is None:
            return Response(self._not_found, status_code=404, media_type="text/html",
                            headers={"Content-Security-Policy": PAGE_CSP})
        body, etag = page
        self.views.add(question_id)
        headers = {"Content-Security-Policy": PAGE_CSP, "ETag": etag,
                   "Cache-Control": "no-cache"}
        if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="text/html; charset=utf-8", headers=headers)

    async def _page(self, question_id: int) -> tuple[bytes, str] | None:
        version = await self.version.current()
        cached = self._pages.get(question_id)
        if cached is not None and cached[0] == version:
            return cached[1], cached[2]
        row = await models.HelpQuestion.get_or_none(
            id=question_id, status=models.QuestionStatus.PUBLISHED).select_related("category")
        if row is None:
            return None
        body = self._template.substitute(
            title=escape(row.title), category=escape(row.category.name), answer=row.answer_html,
            question_id=row.id, updated=row.updated_at.strftime("%Y-%m-%d"),
        ).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        self._pages[question_id] = (version, body, etag)
        if len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return body, etag
