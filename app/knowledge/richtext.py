"""Markdown answers to safe HTML (R-KC-3): markdown-it-py (`js-default`: raw HTML is escaped,
not passed through) plus tables, then bleach with an explicit allowlist.

`sanitize_html` alone is idempotent: sanitizing its own output changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import TYPE_CHECKING, Any

import bleach

if TYPE_CHECKING:  # the stubs type bleach's vendored html5lib as html5lib itself
    from html5lib.filters.base import Filter
else:
    from bleach.html5lib_shim import Filter
from markdown_it import MarkdownIt

MAX_MARKDOWN_LENGTH = 100_000

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "em",
        "strong",
        "s",
        "del",
        "code",
        "pre",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "img",
    }
)
LINK_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "noopener noreferrer nofollow"
# Images only from https: or this server's content-addressed uploads.
_MEDIA_PATH = re.compile(r"^/media/[0-9a-f]{64}\.(png|jpg|webp|gif)$")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")

_markdown = MarkdownIt("js-default").enable("table")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in ("href", "title")
    if tag == "img":
        if name == "src":
            return _is_allowed_image(value)
        return name in ("alt", "title")
    if tag in ("th", "td"):
        return False
    return False


def _is_allowed_image(value: str) -> bool:
    # Browsers drop control characters and spaces inside schemes ("ht\ttps:"), so must we.
    src = _CONTROL.sub("", unescape(value))
    return src.lower().startswith("https://") or bool(_MEDIA_PATH.match(src))


class _LinkRel(Filter):
    """Every surviving link gets rel="noopener noreferrer nofollow" (and nothing else)."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                attrs = {k: v for k, v in token["data"].items() if k != (None, "rel")}
                attrs[(None, "rel")] = LINK_REL
                token["data"] = attrs
            yield token


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=LINK_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_LinkRel],
)


def sanitize_html(html: str) -> str:
    return _cleaner.clean(html)


def render_markdown(markdown: str) -> str:
    """The exact HTML stored for an answer (and shown by previewHelpAnswer)."""
    tokens = _markdown.parse(markdown)
    for token in tokens:
        # Headings are clamped to h2-h4: the page title is the h1, and h5/h6 read as body text.
        if token.type in ("heading_open", "heading_close"):
            level = min(max(int(token.tag[1]), 2), 4)
            token.tag = f"h{level}"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return sanitize_html(html)


def plain_text(html: str) -> str:
    """Text of sanitized HTML, for search."""
    text = bleach.clean(html, tags=set(), strip=True)
    return re.sub(r"\s+", " ", unescape(text)).strip()
