"""Ticket satisfaction (R-SAT-2): one invitation when a ticket is solved, the signed link,
answers through GraphQL and the H5 page, and the settings."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from app.channels import Channel
from app.events.models import DomainEvent
from app.surveys import ticket_surveys
from app.surveys.models import TicketSatisfactionInvitation
from tests.support import SYSTEM, create_ticket, error_codes, operation

STATUS = operation("workspace/ChangeTicketStatus")
SUBMIT = """mutation($token: String!, $score: Int!, $comment: String) {
  submitTicketSatisfaction(token: $token, score: $score, comment: $comment) }"""


async def _solved_with_survey(gql, people, channel="EMAIL"):
    await ticket_surveys.update_settings(
        actor=SYSTEM,
        enabled=True,
        channels=[Channel.EMAIL, Channel.H5],
        question="How did we do? <b>",
        valid_days=30,
    )
    ticket = await create_ticket(gql, people["manager"], channel=channel)
    result = await gql(STATUS, {"id": ticket["id"], "status": "SOLVED"}, token=people["manager"])
    return ticket, result["data"]["changeTicketStatus"]["satisfaction"]


async def test_solving_sends_an_invitation_once(gql, people, settings):
    ticket, survey = await _solved_with_survey(gql, people)
    assert survey["surveyUrl"].startswith(f"{settings.public_url}/h5/surveys/")
    assert survey["score"] is None
    logged = [
        e for e in await DomainEvent.all().order_by("id") if e.topic == "ticket.status_changed"
    ]
    assert logged[-1].payload["surveyUrl"] == survey["surveyUrl"]
    await gql(STATUS, {"id": ticket["id"], "status": "OPEN"}, token=people["manager"])
    again = await gql(STATUS, {"id": ticket["id"], "status": "SOLVED"}, token=people["manager"])
    assert again["data"]["changeTicketStatus"]["satisfaction"]["surveyUrl"] == survey["surveyUrl"]
    assert await TicketSatisfactionInvitation.all().count() == 1


async def test_no_invitation_when_disabled_or_other_channel(gql, people):
    _, survey = await _solved_with_survey(gql, people, channel="PHONE")
    assert survey is None
    await ticket_surveys.update_settings(
        actor=SYSTEM, enabled=False, channels=[Channel.EMAIL], question="q", valid_days=1
    )
    ticket = await create_ticket(gql, people["manager"], channel="EMAIL")
    result = await gql(STATUS, {"id": ticket["id"], "status": "SOLVED"}, token=people["manager"])
    assert result["data"]["changeTicketStatus"]["satisfaction"] is None


async def test_submit_through_graphql_replaces_the_answer(gql, people):
    _, survey = await _solved_with_survey(gql, people)
    token = survey["surveyUrl"].rsplit("/", 1)[1]
    assert (await gql(SUBMIT, {"token": token, "score": 2}))["data"]["submitTicketSatisfaction"]
    await gql(SUBMIT, {"token": token, "score": 5, "comment": "great"})
    row = await TicketSatisfactionInvitation.get()
    assert (row.score, row.comment) == (5, "great")
    bad_score = await gql(SUBMIT, {"token": token, "score": 6})
    assert bad_score["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "score"}


async def test_unknown_forged_and_expired_tokens_get_one_error(gql, people):
    _, survey = await _solved_with_survey(gql, people)
    token = survey["surveyUrl"].rsplit("/", 1)[1]
    invitation_id = token.split(".")[0]
    forged = f"{int(invitation_id) + 1}.{token.split('.')[1]}"
    row = await TicketSatisfactionInvitation.get()
    for bad in ("nonsense", forged, token[:-2] + "xx", ""):
        result = await gql(SUBMIT, {"token": bad, "score": 3})
        assert error_codes(result) == ["SURVEY_UNAVAILABLE"], bad
    row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    await row.save()
    assert error_codes(await gql(SUBMIT, {"token": token, "score": 3})) == ["SURVEY_UNAVAILABLE"]


async def test_h5_survey_page_get_and_post(client, gql, people):
    ticket, survey = await _solved_with_survey(gql, people)
    path = survey["surveyUrl"].split("://", 1)[1].split("/", 1)[1]
    page = await client.get(f"/{path}")
    assert page.status_code == 200
    assert "form-action 'self'" in page.headers["content-security-policy"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "How did we do? &lt;b&gt;" in page.text  # the question is escaped
    assert "<script" not in page.text
    assert len(re.findall(r'type="radio" name="score"', page.text)) == 5
    posted = await client.post(f"/{path}", data={"score": "4", "comment": "ok <i>"})
    assert posted.status_code == 200 and "Thank you" in posted.text
    assert "ok &lt;i&gt;" in posted.text
    row = await TicketSatisfactionInvitation.get()
    assert (row.score, row.comment) == (4, "ok <i>")
    invalid = await client.post(f"/{path}", data={"score": "9"})
    assert invalid.status_code == 400 and "1-5" in invalid.text
    missing = await client.get("/h5/surveys/1.forged")
    assert missing.status_code == 404 and "expired" in missing.text
    assert "form-action 'self'" in missing.headers["content-security-policy"]


async def test_survey_settings_need_settings_manage(gql, people):
    query = "{ ticketSatisfactionSettings { enabled channels question validDays } }"
    assert error_codes(await gql(query, token=people["agent"])) == ["FORBIDDEN"]
    result = await gql(query, token=people["manager"])
    assert result["data"]["ticketSatisfactionSettings"]["enabled"] is False
    bad = await gql(
        "mutation { updateTicketSatisfactionSettings(enabled: true, channels: [PHONE], "
        'question: "q") { enabled } }',
        token=people["manager"],
    )
    assert bad["errors"][0]["extensions"]["field"] == "channels"
