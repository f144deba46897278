"""The rules between a call record's fields (R-CC-3..5), checked after each field parsed
(app/telephony/fields.py). Each rule is a small function; :data:`RULES` runs them in order and
the first broken one is reported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.telephony.fields import Invalid
from app.telephony.models import MAIN_CALL_TYPES, THIRD_PARTY_CALL_TYPES, THIRD_PARTY_RESULTS
from app.telephony.models import CallResult as R
from app.telephony.models import CallType as T

# Leg and main types that always have an agent (third-party legs and unanswered inbound calls
# may have none).
_NEEDS_AGENT = frozenset(
    {T.OUTBOUND, T.TRANSFER_AGENT, T.TRANSFER_CONSULT, T.CONSULT_AGENT, T.MONITOR, T.BARGE_IN}
)

Values = dict[str, Any]


def _main_or_leg(v: Values) -> None:
    if v["is_main"] and v["call_type"] not in MAIN_CALL_TYPES:
        raise Invalid("callType", "A main record (id = mainCallId) must be INBOUND or OUTBOUND.")
    if not v["is_main"] and v["call_type"] in MAIN_CALL_TYPES:
        raise Invalid("callType", "A sub record (id != mainCallId) cannot be INBOUND or OUTBOUND.")


def _times_in_order(v: Values) -> None:
    started, answered, ended = v["started_at"], v["answered_at"], v["ended_at"]
    if ended is not None and ended < started:
        raise Invalid("endedAt", "endedAt is before startedAt.")
    if answered is not None and answered < started:
        raise Invalid("answeredAt", "answeredAt is before startedAt.")
    if answered is not None and ended is not None and ended < answered:
        raise Invalid("endedAt", "endedAt is before answeredAt.")


def _talk_within_answer(v: Values) -> None:
    if not v["talk_seconds"]:
        return
    if v["answered_at"] is None:
        raise Invalid("talkSeconds", "talkSeconds without answeredAt.")
    if (
        v["ended_at"] is not None
        and v["talk_seconds"] > (v["ended_at"] - v["answered_at"]).total_seconds()
    ):
        raise Invalid("talkSeconds", "talkSeconds is longer than answeredAt to endedAt.")


def _result_fits(v: Values) -> None:
    if v["result"] in THIRD_PARTY_RESULTS and v["call_type"] not in THIRD_PARTY_CALL_TYPES:
        raise Invalid("result", f"{v['result']} is only for third-party legs.")
    if v["result"] == R.ANSWERED and v["answered_at"] is None:
        raise Invalid("answeredAt", "An ANSWERED record needs answeredAt.")


def _agent_present(v: Values) -> None:
    if v["agent"] is None and v["call_type"] in _NEEDS_AGENT:
        raise Invalid("agentAccount", f"A {v['call_type']} record needs agentAccount.")


def _voicemail_flag(v: Values) -> None:
    if v["voicemail_url"] and not v["voicemail"]:
        raise Invalid("voicemailUrl", "voicemailUrl is set but voicemail is false.")


RULES: tuple[Callable[[Values], None], ...] = (
    _main_or_leg,
    _times_in_order,
    _talk_within_answer,
    _result_fits,
    _agent_present,
    _voicemail_flag,
)


def check(values: Values) -> None:
    """Raise Invalid for the first rule ``values`` (a parsed record) breaks."""
    for rule in RULES:
        rule(values)
