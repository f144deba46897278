"""Synthetic call records for demos and benchmarks (``deskql generate-calls``).

200 agents (agent001 ... agent200) in 20 teams, 12 queues. About 70 % inbound. About 30 % of calls
get transfer, consult, monitor, barge-in or force-disconnect legs. Results and hang-up parties
follow plausible call-center proportions. Seeded, so the same arguments give the same file.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

AGENTS = 200
TEAMS = 20
QUEUES = 12


def agent_name(n: int) -> str:
    return f"agent{n:03d}"


def team_name(n: int) -> str:
    return f"team{n:02d}"


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    roll, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if roll < total:
            return value
    return weighted[-1][0]


INBOUND_RESULTS = [
    ("ANSWERED", 0.80),
    ("ABANDONED_IN_QUEUE", 0.08),
    ("ABANDONED_IN_IVR", 0.03),
    ("AGENT_NO_ANSWER", 0.05),
    ("VOICEMAIL", 0.04),
]
OUTBOUND_RESULTS = [
    ("ANSWERED", 0.65),
    ("CUSTOMER_NO_ANSWER", 0.20),
    ("BUSY", 0.08),
    ("FAILED", 0.07),
]
LEGS = [
    ("TRANSFER_AGENT", 0.35),
    ("TRANSFER_CONSULT", 0.08),
    ("CONSULT_AGENT", 0.22),
    ("TRANSFER_THIRD_PARTY", 0.05),
    ("CONSULT_THIRD_PARTY", 0.05),
    ("MONITOR", 0.15),
    ("BARGE_IN", 0.06),
    ("FORCE_DISCONNECT", 0.04),
]
THIRD_PARTY_RESULTS = [
    ("THIRD_PARTY_ANSWERED", 0.8),
    ("THIRD_PARTY_UNREACHABLE", 0.1),
    ("THIRD_PARTY_NO_ANSWER", 0.1),
]
LEG_SHARE = 0.30  # of all calls


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(count: int, *, start: date, days: int, seed: int = 1) -> Iterator[dict]:
    """At least ``count`` records (main records followed by their legs)."""
    rng = random.Random(seed)
    first = datetime.combine(start, datetime.min.time(), UTC)
    span = days * 86400
    answered_share = 0.7 * 0.80 + 0.3 * 0.65
    leg_chance = min(1.0, LEG_SHARE / answered_share)
    produced, n = 0, 0
    while produced < count:
        n += 1
        call_id = f"G{seed}-{n:08d}"
        inbound = rng.random() < 0.7
        # busier in office hours: fold a uniform draw towards 01:00-13:00 UTC (09:00-21:00 +08)
        day = rng.randrange(days)
        second = int(abs(rng.gauss(7 * 3600, 3 * 3600))) % 86400
        started = first + timedelta(seconds=min(day * 86400 + second, span - 1))
        agent_n = rng.randrange(1, AGENTS + 1)
        result = _pick(rng, INBOUND_RESULTS if inbound else OUTBOUND_RESULTS)
        main: dict[str, Any] = {
            "id": call_id,
            "mainCallId": call_id,
            "callType": "INBOUND" if inbound else "OUTBOUND",
            "customerPhone": f"+86138{rng.randrange(10**8):08d}",
            "callWay": _pick(rng, [("SIP_PHONE", 0.6), ("WEB_PHONE", 0.3), ("MOBILE", 0.1)]),
            "startedAt": _iso(started),
            "result": result,
        }
        main["caller"], main["callee"] = (
            (main["customerPhone"], "4008001234")
            if inbound
            else ("4008001234", main["customerPhone"])
        )
        if inbound:
            main["queue"] = f"queue{rng.randrange(1, QUEUES + 1):02d}"
            main["queueSeconds"] = rng.randrange(0, 90)
        legs: list[dict] = []
        if result in ("ABANDONED_IN_QUEUE", "ABANDONED_IN_IVR"):
            end = started + timedelta(seconds=main.get("queueSeconds", 0) + rng.randrange(1, 30))
            main.update(endedAt=_iso(end), hangupParty="CUSTOMER")
        elif result == "ANSWERED":
            ring = rng.randrange(2, 25)
            answered = started + timedelta(seconds=main.get("queueSeconds", 0) + ring)
            talk = int(rng.lognormvariate(5.0, 0.8)) + 5
            hold = rng.randrange(0, 40) if rng.random() < 0.2 else 0
            end = answered + timedelta(seconds=talk + hold)
            main.update(
                agentAccount=agent_name(agent_n),
                ringSeconds=ring,
                talkSeconds=talk,
                holdSeconds=hold,
                answeredAt=_iso(answered),
                endedAt=_iso(end),
                hangupParty=_pick(rng, [("CUSTOMER", 0.55), ("AGENT", 0.45)]),
                recordingUrl=f"https://recordings.example.com/{call_id}.mp3",
            )
            if rng.random() < leg_chance:
                legs = _legs(rng, main, answered, end, agent_n)
        else:
            ring = rng.randrange(10, 40)
            end = started + timedelta(seconds=main.get("queueSeconds", 0) + ring)
            main.update(
                agentAccount=agent_name(agent_n),
                ringSeconds=ring,
                endedAt=_iso(end),
                hangupParty="SYSTEM" if result != "VOICEMAIL" else "CUSTOMER",
            )
            if result == "VOICEMAIL":
                main.update(
                    voicemail=True, voicemailUrl=f"https://recordings.example.com/{call_id}-vm.mp3"
                )
        yield main
        yield from legs
        produced += 1 + len(legs)


def _legs(
    rng: random.Random, main: dict, answered: datetime, end: datetime, agent_n: int
) -> list[dict]:
    legs = []
    for index in range(1, (2 if rng.random() < 0.85 else 3) + 1):
        kind = _pick(rng, LEGS)
        other = (agent_n + rng.randrange(1, AGENTS)) % AGENTS + 1
        total = max(1, int((end - answered).total_seconds()))
        begin = answered + timedelta(seconds=rng.randrange(0, total))
        leg = {
            "id": f"{main['id']}-{index}",
            "mainCallId": main["id"],
            "callType": kind,
            "startedAt": _iso(begin),
        }
        third_party = kind in ("TRANSFER_THIRD_PARTY", "CONSULT_THIRD_PARTY")
        if not third_party:
            leg["agentAccount"] = agent_name(other)
        ring = 0 if kind in ("MONITOR", "BARGE_IN", "FORCE_DISCONNECT") else rng.randrange(2, 15)
        outcome = _pick(rng, THIRD_PARTY_RESULTS) if third_party else "ANSWERED"
        if outcome in ("ANSWERED", "THIRD_PARTY_ANSWERED"):
            leg_answered = begin + timedelta(seconds=ring)
            talk = int(rng.lognormvariate(4.2, 0.7)) + 3
            leg.update(
                answeredAt=_iso(leg_answered),
                ringSeconds=ring,
                talkSeconds=talk,
                endedAt=_iso(leg_answered + timedelta(seconds=talk)),
                hangupParty="THIRD_PARTY"
                if third_party
                else _pick(rng, [("CUSTOMER", 0.6), ("AGENT", 0.4)]),
                result=outcome,
            )
        else:
            leg.update(
                ringSeconds=ring,
                endedAt=_iso(begin + timedelta(seconds=ring + 1)),
                hangupParty="SYSTEM",
                result=outcome,
            )
        if (
            kind in ("TRANSFER_AGENT", "TRANSFER_THIRD_PARTY")
            and outcome != "THIRD_PARTY_UNREACHABLE"
        ):
            main["transferFlag"] = "TRANSFERRED"
            main["hangupParty"] = "TRANSFER"
        elif kind == "TRANSFER_CONSULT" and main.get("transferFlag") != "TRANSFERRED":
            main["transferFlag"] = "TRANSFER_CONSULT"
        elif kind in ("CONSULT_AGENT", "CONSULT_THIRD_PARTY"):
            main["consultCount"] = main.get("consultCount", 0) + 1
            if outcome != "THIRD_PARTY_UNREACHABLE" and outcome != "THIRD_PARTY_NO_ANSWER":
                main["consulted"] = True
        elif kind == "FORCE_DISCONNECT":
            main["hangupParty"] = "FORCE_DISCONNECT"
        legs.append(leg)
    return legs


def write(path, count: int, *, start: date, days: int, seed: int) -> int:
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for record in generate(count, start=start, days=days, seed=seed):
            out.write(json.dumps(record, separators=(",", ":")))
            out.write("\n")
            written += 1
    return written


async def create_agents() -> tuple[int, int]:
    """The generator's 200 agents (inactive: they cannot sign in until activated by an admin
    setting a password) and 20 teams, created when missing. Returns (agents, teams) created."""
    from tortoise.transactions import in_transaction

    from app.accounts.models import Account, Role
    from app.directory import models

    made_agents = made_teams = 0
    async with in_transaction():
        teams = {t.name: t for t in await models.Team.all()}
        for n in range(1, TEAMS + 1):
            if team_name(n) not in teams:
                teams[team_name(n)] = await models.Team.create(name=team_name(n))
                made_teams += 1
        existing = set(
            await Account.filter(account__startswith="agent").values_list("account", flat=True)
        )
        for n in range(1, AGENTS + 1):
            if agent_name(n) in existing:
                continue
            # "!" is no argon2 hash: nobody can sign in as a generated agent
            account = await Account.create(
                account=agent_name(n),
                display_name=f"Agent {n:03d}",
                email=f"{agent_name(n)}@example.com",
                role=Role.AGENT,
                password_hash="!",
            )
            await models.TeamMember.create(
                account=account, team=teams[team_name((n - 1) % TEAMS + 1)]
            )
            made_agents += 1
    return made_agents, made_teams
