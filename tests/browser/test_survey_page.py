"""The ticket satisfaction survey (R-SAT-2) answered in a real headless Chromium against a real
server process: the form posts under the page's CSP without a console error, and answering again
replaces the answer."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from app.accounts.auth import principal_for
from app.accounts.models import Role
from app.channels import Channel
from app.surveys import ticket_surveys
from app.surveys.models import TicketSatisfactionInvitation
from app.tickets import service as tickets
from app.tickets.models import TicketStatus
from tests.support import ARTIFACTS, DATABASE_URL, cli_env, free_port, server_process

SECRET = "browser-survey-secret-key-0123456789-abcdef"


@pytest.fixture(scope="module")
def survey_server(app, tmp_path_factory):
    port = free_port()
    env = cli_env(
        DATABASE_URL,
        tmp_path_factory.mktemp("survey"),
        DESKQL_PUBLIC_URL=f"http://127.0.0.1:{port}",
        DESKQL_SECRET_KEY=SECRET,
    )
    with server_process(env, port) as base:
        yield base


async def test_customer_answers_the_survey_in_a_browser(survey_server, browser_page, make_account):
    page, errors = browser_page
    admin, _ = await make_account("admin", Role.SUPER_ADMIN)
    actor = await principal_for(admin)
    await ticket_surveys.update_settings(
        actor=actor, enabled=True, channels=[Channel.EMAIL], question="服务满意吗？", valid_days=7
    )
    ticket = await tickets.create_ticket(
        actor=actor, data=tickets.TicketInput(subject="Refund <A-1>", channel=Channel.EMAIL)
    )
    await tickets.change_status(
        actor=actor,
        ticket_id=ticket.id,
        status=TicketStatus.SOLVED,
        public_url=survey_server,
        secret_key=SECRET,
    )
    invitation = await TicketSatisfactionInvitation.get(ticket_id=ticket.id)
    url = ticket_surveys.survey_url(invitation.id, public_url=survey_server, secret_key=SECRET)

    await page.goto(url)
    await expect(page.locator("h1")).to_have_text("服务满意吗？")
    await expect(page.locator(".crumb")).to_contain_text("Refund <A-1>")
    await page.check("input[name=score][value='4']")
    await page.fill("#comment", "quick and kind")
    await page.screenshot(path=str(ARTIFACTS / "survey.png"), full_page=True)
    await page.click("button[type=submit]")
    await expect(page.locator(".notice")).to_contain_text("Thank you")
    await expect(page.locator("input[name=score][value='4']")).to_be_checked()
    row = await TicketSatisfactionInvitation.get(id=invitation.id)
    assert (row.score, row.comment) == (4, "quick and kind")

    await page.goto(url)
    await expect(page.locator(".notice")).to_contain_text("already answered")
    await page.check("input[name=score][value='5']")
    await page.click("button[type=submit]")
    await expect(page.locator(".notice")).to_contain_text("Thank you")
    assert (await TicketSatisfactionInvitation.get(id=invitation.id)).score == 5

    assert errors == []  # no CSP violation, no script error
    await page.goto(f"{survey_server}/h5/surveys/{invitation.id}.forged")
    await expect(page.locator("h1")).to_contain_text("unknown or has expired")
    assert [e for e in errors if "404" not in e] == []  # only the page's own 404 status
