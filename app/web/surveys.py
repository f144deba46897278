"""GET/POST /h5/surveys/{token}: the customer's ticket satisfaction survey (R-SAT-2).

A plain HTML form (no script needed, works in every in-app browser). Posting it goes through the
same service as the `submitTicketSatisfaction` mutation; answering again replaces the answer.
Unknown, forged and expired links all get the same page.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse

from app.accounts.principal import Principal
from app.errors import InvalidInput
from app.parsing import whole_number
from app.surveys import ticket_surveys
from app.tickets.models import Ticket
from app.web.security import survey_csp

MAX_BODY = 16 * 1024
_LABELS = {5: "5 😀", 4: "4 🙂", 3: "3 😐", 2: "2 🙁", 1: "1 😞"}


class SurveyPages:
    def __init__(self, *, static_dir: Path, secret_key: str, frame_ancestors: str) -> None:
        self._template = Template((static_dir / "h5" / "survey.html").read_text())
        self._unavailable = (static_dir / "h5" / "survey_unavailable.html").read_bytes()
        self._secret_key = secret_key
        self._csp = survey_csp(frame_ancestors)

    def _headers(self) -> dict[str, str]:
        return {"content-security-policy": self._csp, "cache-control": "no-store"}

    async def page(self, request: Request) -> HTMLResponse:
        token = request.path_params["token"]
        try:
            invitation = await ticket_surveys.invitation_for_token(token, self._secret_key)
        except ticket_surveys.SurveyUnavailable:
            return HTMLResponse(self._unavailable, status_code=404, headers=self._headers())
        notice, status = "", 200
        score, comment = invitation.score, invitation.comment or ""
        if request.method == "POST":
            body = await request.body()
            form = (
                parse_qs(body[:MAX_BODY].decode("utf-8", "replace"))
                if len(body) <= MAX_BODY
                else {}
            )
            raw_score = (form.get("score") or [""])[0]
            comment = (form.get("comment") or [""])[0]
            try:
                chosen = whole_number(raw_score, highest=1000)
                if chosen is None:
                    raise InvalidInput("Choose a score from 1 to 5.", field="score")
                await ticket_surveys.submit(
                    actor=Principal.customer(),
                    token=token,
                    score=chosen,
                    comment=comment,
                    secret_key=self._secret_key,
                )
                score = chosen
                notice = (
                    '<p class="notice" role="status">Thank you! Your answer was saved. '
                    "/ 感谢您的评价！</p>"
                )
            except InvalidInput as exc:
                status = 400
                notice = f'<p class="notice error" role="alert">{escape(exc.message)}</p>'
            except ticket_surveys.SurveyUnavailable:
                return HTMLResponse(self._unavailable, status_code=404, headers=self._headers())
        elif score is not None:
            notice = (
                '<p class="notice" role="status">You already answered; sending again '
                "replaces your answer. / 您已评价，可修改。</p>"
            )
        ticket = await Ticket.get(id=invitation.ticket_id)
        config = await ticket_surveys.settings()
        choices = "".join(
            f'<label class="score"><input type="radio" name="score" value="{n}" required'
            f"{' checked' if score == n else ''}> {_LABELS[n]}</label>"
            for n in (5, 4, 3, 2, 1)
        )
        page = self._template.substitute(
            ticket_id=ticket.id,
            subject=escape(ticket.subject),
            question=escape(config.question),
            notice=notice,
            action=escape(f"/h5/surveys/{token}"),
            choices=choices,
            comment=escape(comment),
        )
        return HTMLResponse(page, status_code=status, headers=self._headers())
