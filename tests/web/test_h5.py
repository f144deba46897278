"""The H5 answer page (R-KC-3): a complete, locked-down mobile page."""

from __future__ import annotations

from html.parser import HTMLParser

from app.knowledge import models
from tests.support import operation


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline_scripts = 0
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script" and "src" not in dict(attrs):
            self.inline_scripts += 1


async def test_the_page_shows_the_sanitized_answer_with_safety_headers(client, help_content):
    made = await help_content(
        {"账户": [("如何重置密码 <b>", "## 步骤\n\n<script>x</script> **打开**", True)]}
    )
    question = made["账户"][1][0]

    response = await client.get(f"/h5/questions/{question.id}")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    page = response.text
    assert '<meta name="viewport"' in page
    assert "<title>如何重置密码 &lt;b&gt;</title>" in page
    assert "<h2>步骤</h2>" in page and "<strong>打开</strong>" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert 'data-helpful="true"' in page and 'data-helpful="false"' in page
    parsed = _Scripts()
    parsed.feed(page)
    assert parsed.inline_scripts == 0
    assert ("script", {"src": "/static/h5/h5.js", "defer": None}) in parsed.tags


async def test_drafts_and_missing_questions_get_the_same_404(client, help_content):
    made = await help_content({"FAQ": [("Draft", "secret", False)]})

    draft = await client.get(f"/h5/questions/{made['FAQ'][1][0].id}")
    missing = await client.get("/h5/questions/999999")
    junk = await client.get("/h5/questions/abc")

    assert draft.status_code == missing.status_code == junk.status_code == 404
    assert draft.content == missing.content == junk.content
    assert "secret" not in draft.text


async def test_etag_gives_304_and_every_view_is_counted(client, help_content, app):
    made = await help_content({"FAQ": [("Q", "A", True)]})
    qid = made["FAQ"][1][0].id

    first = await client.get(f"/h5/questions/{qid}")
    repeat = await client.get(
        f"/h5/questions/{qid}", headers={"If-None-Match": first.headers["etag"]}
    )
    await client.get("/h5/questions/999999")
    await app.state.views.flush()

    assert repeat.status_code == 304
    assert repeat.content == b""
    assert (await models.HelpQuestion.get(id=qid)).view_count == 2


async def test_an_edit_changes_the_page_and_its_etag(client, gql, help_content, editor):
    made = await help_content({"FAQ": [("Q", "Old answer", True)]})
    qid = made["FAQ"][1][0].id
    before = await client.get(f"/h5/questions/{qid}")

    await gql(
        operation("cms/UpdateHelpQuestion"),
        {"id": str(qid), "input": {"markdown": "New answer"}},
        token=editor[1],
    )
    after = await client.get(
        f"/h5/questions/{qid}", headers={"If-None-Match": before.headers["etag"]}
    )

    assert after.status_code == 200
    assert "New answer" in after.text
    assert after.headers["etag"] != before.headers["etag"]


async def test_static_assets_are_served_with_nosniff(client):
    script = await client.get("/static/h5/h5.js")
    style = await client.get("/static/h5/h5.css")

    assert script.status_code == style.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert script.headers["x-content-type-options"] == "nosniff"
