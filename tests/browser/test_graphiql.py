"""GraphiQL in development works with no internet: every file it needs comes from deskql
itself, under a CSP, with no console error, and it runs a query."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.support import ARTIFACTS, DATABASE_URL, cli_env, free_port, server_process


@pytest.fixture(scope="module")
def dev_server(app, tmp_path_factory):
    port = free_port()
    env = cli_env(DATABASE_URL, tmp_path_factory.mktemp("graphiql"))
    with server_process(env, port) as base:
        yield base


async def test_graphiql_loads_from_deskql_alone_and_runs_a_query(dev_server, browser_page):
    page, errors = browser_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    response = await page.goto(f"{dev_server}/graphql", wait_until="networkidle")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    await expect(editor).to_be_visible(timeout=15_000)
    await editor.click()
    await page.keyboard.press("Control+A")
    await page.keyboard.type("{ __typename }")
    await page.click(".graphiql-execute-button")
    await expect(page.locator(".graphiql-response")).to_contain_text('"__typename": "Query"')
    await page.screenshot(path=str(ARTIFACTS / "graphiql.png"))

    foreign = [url for url in requested if not url.startswith(dev_server)]
    assert foreign == []  # nothing from a CDN
    assert errors == []  # no CSP violation, no script error


async def test_the_browser_has_fonts_for_chinese_and_emoji(browser_page):
    """Screenshots show Chinese and emoji, not empty boxes: each glyph draws differently from
    a character no font has (U+10FFFD, a private-use code point)."""
    page, _ = browser_page
    await page.set_content("<canvas id=c width=64 height=64></canvas>")
    differs = await page.evaluate(
        """(texts) => texts.map((text) => {
          const draw = (t) => {
            const ctx = document.getElementById('c').getContext('2d');
            ctx.clearRect(0, 0, 64, 64);
            ctx.font = '40px sans-serif';
            ctx.fillText(t, 4, 48);
            return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(',');
          };
          return draw(text) !== draw('\\u{10FFFD}');
        })""",
        ["汉", "满", "😀"],
    )
    assert differs == [True, True, True]
