"""Rich text is safe by construction (R-KC-3): an XSS corpus, checked by parsing the output."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from app.knowledge.richtext import (
    ALLOWED_TAGS,
    LINK_REL,
    plain_text,
    render_markdown,
    sanitize_html,
)

_SCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java&#x09;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#0000106avascript:alert(1)",
    "javascript&colon;alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "livescript:alert(1)",
    "javascript://%0aalert(1)",
    "&#x6a;&#x61;&#x76;&#x61;script:alert(1)",
    "jAvAsCrIpT&#58;alert(1)",
]

_RAW_HTML = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="https://ok.example/a.png" onerror="alert(1)">',
    "<IMG SRC=javascript:alert(1)>",
    "<img src=`javascript:alert(1)`>",
    '<img """><script>alert(1)</script>">',
    "<body onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="x:expression(alert(1))">x</p>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '<a href="https://ok.example" onmouseover=alert(1)>x</a>',
    '<a href="https://ok.example" target="_blank" rel="opener">x</a>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<td style="behavior:url(x.htc)">x</td>',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    "<textarea><script>alert(1)</script></textarea>",
    "<isindex action=javascript:alert(1) type=submit>",
    "<frameset onload=alert(1)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<a href="&#1;javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<img src="/media/../../etc/passwd">',
    '<img src="//evil.example/x.png">',
    '<img src="http://insecure.example/x.png">',
    "<h1 onclick=alert(1)>x</h1>",
    '<blockquote cite="javascript:alert(1)">x</blockquote>',
    '<pre><code class="x" onmouseover=alert(1)>x</code></pre>',
    '"><script>alert(1)</script>',
    "<<script>script>alert(1)<</script>/script>",
    "<scrİpt>alert(1)</scrİpt>",
    "<img/src/onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<a/href=javascript:alert(1)>x</a>",
]

_MARKDOWN = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:alert(1))",
    "![x](javascript:alert(1))",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](http://insecure.example/a.png)",
    "[x]: javascript:alert(1)\n\n[link][x]",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "> <iframe src=javascript:alert(1)>",
    "| a | b |\n|---|---|\n| <script>x</script> | [y](javascript:alert(1)) |",
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
    '<https://ok.example/?q="><script>alert(1)</script>>',
    "<javascript:alert(1)>",
    "[x](<javascript:alert(1)>)",
    "# <svg onload=alert(1)>",
]

CORPUS = (
    [f'<a href="{u}">x</a>' for u in _SCRIPT_URLS]
    + [f'<img src="{u}">' for u in _SCRIPT_URLS]
    + _RAW_HTML
    + [f"[x]({u})" for u in _SCRIPT_URLS]
    + _MARKDOWN
)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _parsed(html: str) -> list[tuple[str, dict]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


def _scheme(url: str) -> str | None:
    """The scheme a browser would see: the parser decoded entities once, as a browser does."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else None


def _assert_safe(html: str) -> None:
    for tag, attrs in _parsed(html):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), name
            assert name in {"href", "title", "rel", "src", "alt"}, name
            if name == "href":
                assert _scheme(value or "") in (None, "http", "https", "mailto", "tel"), value
                assert not (value or "").startswith("//")
            if name == "src":
                assert value.startswith("https://") or re.match(
                    r"^/media/[0-9a-f]{64}\.(png|jpg|webp|gif)$", value
                ), value


def test_the_corpus_has_at_least_100_vectors():
    assert len(CORPUS) >= 100


@pytest.mark.parametrize("vector", CORPUS)
def test_no_vector_survives_rendering(vector):
    _assert_safe(render_markdown(vector))


@pytest.mark.parametrize("vector", CORPUS)
def test_no_vector_survives_sanitizing(vector):
    _assert_safe(sanitize_html(vector))


@pytest.mark.parametrize("vector", CORPUS)
def test_sanitizing_twice_changes_nothing(vector):
    once = sanitize_html(render_markdown(vector))

    assert sanitize_html(once) == once


def test_markdown_renders_the_allowed_structure():
    html = render_markdown(
        "# Title\n\n## Steps\n\n1. **Open** the *app*\n2. `Settings`\n\n> quoted\n\n"
        "| a | b |\n|---|--:|\n| 1 | 2 |\n\n[help](https://example.com/help) "
        "[mail](mailto:help@example.com) [call](tel:+8610000)\n\n"
        "![logo](https://cdn.example.com/logo.png)\n\n```\ncode\n```"
    )

    assert "<h2>Title</h2>" in html
    assert "<h2>Steps</h2>" in html
    assert "<ol>" in html and "<strong>Open</strong>" in html and "<em>app</em>" in html
    assert "<code>Settings</code>" in html and "<blockquote>" in html
    assert "<table>" in html and "<td>2</td>" in html and "style" not in html
    assert f'<a href="https://example.com/help" rel="{LINK_REL}">help</a>' in html
    assert 'href="mailto:help@example.com"' in html and 'href="tel:+8610000"' in html
    assert '<img src="https://cdn.example.com/logo.png" alt="logo">' in html
    assert "<pre><code>code\n</code></pre>" in html


def test_raw_html_in_markdown_is_shown_as_text():
    assert render_markdown("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"


def test_uploaded_media_images_are_allowed():
    src = "/media/" + "a" * 64 + ".png"

    assert f'<img src="{src}" alt="x">' in render_markdown(f"![x]({src})")


def test_plain_text_for_search():
    assert (
        plain_text(render_markdown("## 重置密码\n\n打开 **设置** &amp; 点击"))
        == "重置密码 打开 设置 & 点击"
    )
