"""The event log as a contract for its consumers: every topic appended is in the catalogue with
the payload fields it promises, and every event says who caused it and through what."""

from __future__ import annotations

import ast

import pytest
from tortoise.transactions import in_transaction

from app.accounts.models import Role
from app.chat.live import SessionEventType
from app.events import log, topics
from app.events.models import DomainEvent
from app.telephony.live import CallEventType
from tests.support import ROOT, SYSTEM, create_ticket, operation


async def test_a_topic_outside_the_catalogue_is_refused_and_nothing_is_written():
    with pytest.raises(topics.UnknownTopic):
        async with in_transaction() as conn:
            await log.append(conn, "ticket.exploded", "1", {"ticketId": 1}, actor=SYSTEM)
    with pytest.raises(topics.UnknownTopic, match="lacks assigneeId"):
        async with in_transaction() as conn:
            await log.append(
                conn,
                "ticket.commented",
                "1",
                {"ticketId": 1, "commentId": 2, "public": True},
                actor=SYSTEM,
            )
    with pytest.raises(topics.UnknownTopic, match="source"):
        async with in_transaction() as conn:
            await log.append(
                conn,
                "agent_status.imported",
                None,
                {"count": 1},
                actor=SYSTEM,
                source="carrier-pigeon",
            )
    assert await DomainEvent.all().count() == 0


def _appended_topics() -> set[str]:
    """Every topic string literal passed to log.append anywhere in app/ (f-strings are the
    live event kinds, checked below)."""
    found = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "append"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                found.add(node.args[1].value)
    return found


def test_every_topic_the_code_appends_is_in_the_catalogue():
    literal = _appended_topics()
    live = {f"call.{kind.lower()}" for kind in CallEventType} | {
        f"session.{kind.lower()}" for kind in SessionEventType
    }
    assert literal, "the scan found no append calls"
    assert literal - set(topics.CATALOGUE) == set()
    assert live - set(topics.CATALOGUE) == set()
    assert set(topics.CATALOGUE) == literal | live, "catalogued topics nothing appends"


def test_every_topic_is_documented():
    for topic in topics.CATALOGUE.values():
        assert topic.description.endswith(".") and topic.subject and topic.fields, topic.name
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in topics.CATALOGUE if f"`{name}`" not in readme]
    assert missing == [], "list these topics in the README's event catalogue"


async def test_events_say_who_caused_them_and_through_what(gql, people, make_account):
    """An agent's edit (graphql), an integration's import (import) and live event (live): each
    event carries its actor and source."""
    integration, pbx = await make_account("pbx", Role.AGENT, groups=[["integration.write"]])
    ticket = await create_ticket(gql, people["agent"])
    await gql(
        operation("integration/RecordCallEvent"),
        {
            "input": {
                "eventId": "e1",
                "type": "INCOMING",
                "callId": "K1",
                "occurredAt": "2026-03-02T10:00:00Z",
            }
        },
        token=pbx,
    )
    await gql(
        operation("integration/ImportCallRecords"),
        {
            "records": [
                {
                    "id": "N1",
                    "mainCallId": "N1",
                    "callType": "INBOUND",
                    "startedAt": "2026-03-02T10:00:00Z",
                    "result": "ABANDONED_IN_IVR",
                }
            ]
        },
        token=pbx,
    )
    events = {e.topic: (e.actor, e.source) for e in await DomainEvent.all()}
    assert events == {
        "ticket.created": (f"account:{people['agent_id']}", "graphql"),
        "call.incoming": (f"account:{integration.id}", "live"),
        "calls.imported": (f"account:{integration.id}", "import"),
    }
    created = await DomainEvent.get(topic="ticket.created")
    assert created.payload["ticketId"] == int(ticket["id"])
