"""The admin page driven end to end in a real headless Chromium (Debian's package, through
Playwright) against a real server process: sign in, create a category with an uploaded image,
write and publish a question, open its H5 page. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from app.accounts import models
from tests.support import ARTIFACTS, DATABASE_URL, cli_env, free_port, png, server_process


@pytest.fixture(scope="module")
def live_server(app, tmp_path_factory):
    env = cli_env(
        DATABASE_URL,
        tmp_path_factory.mktemp("browser"),
        DESKQL_PUBLIC_URL="http://127.0.0.1:{port}",
    )
    port = free_port()
    env["DESKQL_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    with server_process(env, port) as base:
        yield base


async def _sign_in(page, base, password="admin-password"):
    await page.goto(f"{base}/admin")
    await page.fill("#login-form input[name=account]", "editor")
    await page.fill("#login-form input[name=password]", password)
    await page.click("#login-submit")


async def test_admin_creates_publishes_and_opens_a_question(
    live_server, browser_page, make_account, tmp_path
):
    page, errors = browser_page
    await make_account("editor", models.Role.SUPER_ADMIN, password="admin-password")
    image = tmp_path / "category.png"
    image.write_bytes(png(8, 8))

    await _sign_in(page, live_server)
    await expect(page.locator("#app-view")).to_be_visible()

    await page.fill("#category-form input[name=name]", "账户与安全")
    await page.fill("#category-form textarea[name=description]", "Passwords and sign-in")
    await page.set_input_files("#category-form input[name=image]", str(image))
    await expect(page.locator("#flash")).to_have_text("Image uploaded")
    await page.click("#category-save")
    await expect(page.locator("#categories li")).to_have_count(1)
    await expect(page.locator("#categories li img")).to_have_count(1)

    await page.click("#new-question")
    await page.fill("#question-form input[name=title]", "如何重置密码")
    await page.fill(
        "#markdown", "## 步骤\n\n打开 **设置**，点击重置。\n\n<script>alert(1)</script>"
    )
    await expect(page.locator("#preview strong")).to_have_text("设置")
    await page.screenshot(path=str(ARTIFACTS / "admin-editor.png"), full_page=True)
    await page.click("#question-save")
    await expect(page.locator("#questions li .badge")).to_have_text("DRAFT")

    await page.click("#question-publish")
    await expect(page.locator("#questions li .badge")).to_have_text("PUBLISHED")
    await page.screenshot(path=str(ARTIFACTS / "admin-published.png"), full_page=True)
    h5_url = await page.get_attribute("#question-h5", "href")

    await page.goto(h5_url)
    await expect(page.locator("h1")).to_have_text("如何重置密码")
    await expect(page.locator(".content strong")).to_have_text("设置")
    await expect(page.locator(".content")).to_contain_text("<script>alert(1)</script>")
    await page.click("button[data-helpful=true]")
    await expect(page.locator(".vote-thanks")).to_be_visible()
    await page.screenshot(path=str(ARTIFACTS / "h5-page.png"), full_page=True)

    question = await models_question("如何重置密码")
    assert (question.status, question.helpful_count) == ("PUBLISHED", 1)
    assert errors == []


async def test_admin_reorders_moves_and_restores(live_server, browser_page, make_account):
    page, errors = browser_page
    await make_account("editor", models.Role.SUPER_ADMIN, password="admin-password")
    await _sign_in(page, live_server)
    for name in ("First", "Second"):
        await page.fill("#category-form input[name=name]", name)
        await page.click("#category-save")
        await expect(page.locator("#categories li", has_text=name)).to_have_count(1)

    await page.click("#categories li:nth-child(2) button.up")
    await expect(page.locator("#categories li").first).to_contain_text("Second")

    await page.click("#categories li:nth-child(2) .grow")
    await page.click("#new-question")
    await page.fill("#question-form input[name=title]", "Original title")
    await page.fill("#markdown", "v1")
    await page.click("#question-save")
    await expect(page.locator("#revisions li")).to_have_count(1)
    await page.fill("#question-form input[name=title]", "Changed title")
    await page.select_option("#question-category", label="Second")
    await page.click("#question-save")
    await expect(page.locator("#revisions li")).to_have_count(2)
    await expect(page.locator("#questions li")).to_have_text(["Changed titleDRAFT↑↓Delete"])

    await page.click("#revisions li:nth-child(2) button.restore")
    await expect(page.locator("#revisions li")).to_have_count(3)
    await expect(page.locator("#question-form input[name=title]")).to_have_value("Original title")

    await page.click("#channels input[data-channel=APP]")
    await expect(page.locator("#flash")).to_have_text("Help center off for APP")
    await page.screenshot(path=str(ARTIFACTS / "admin-revisions.png"), full_page=True)
    assert errors == []


async def test_wrong_password_and_missing_permission_are_shown_clearly(
    live_server, browser_page, make_account
):
    page, _ = browser_page
    await make_account("editor", models.Role.FULL_ADMIN, password="admin-password")

    await _sign_in(page, live_server, password="not-the-password")
    await expect(page.locator("#flash")).to_have_text("Account or password is wrong.")

    await _sign_in(page, live_server)
    await expect(page.locator("#flash")).to_contain_text("kc.manage")
    await expect(page.locator("#app-view")).to_be_hidden()


async def models_question(title: str):
    from app.knowledge import models as knowledge

    return await knowledge.HelpQuestion.get(title=title)
