"""The public read cache: repeat anonymous reads cost no queries, an edit is seen at once in this
process and shortly after in every other one (the version lives in the database)."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from app.knowledge import service
from tests.support import DATABASE_URL, cli_env, count_queries, free_port, operation, server_process

HELP_CENTER = {"query": operation("sdk/HelpCenter")}


async def test_a_repeat_anonymous_read_runs_no_content_queries(client, help_content):
    await help_content({"FAQ": [("Q", "A", True)]})
    first = await client.post("/graphql", json=HELP_CENTER)

    with count_queries() as statements:
        second = await client.post("/graphql", json=HELP_CENTER)

    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert [s for s in statements if "help_question" in s or "help_category" in s] == []


async def test_a_repeat_read_with_its_etag_gets_304(client, help_content):
    await help_content({"FAQ": [("Q", "A", True)]})
    first = await client.post("/graphql", json=HELP_CENTER)

    repeat = await client.post(
        "/graphql", json=HELP_CENTER, headers={"If-None-Match": first.headers["etag"]}
    )

    assert repeat.status_code == 304
    assert repeat.content == b""


async def test_an_edit_through_the_api_is_visible_at_once(client, gql, help_content, editor):
    made = await help_content({"FAQ": [("Old title", "A", True)]})
    await client.post("/graphql", json=HELP_CENTER)

    await gql(
        operation("cms/UpdateHelpQuestion"),
        {"id": str(made["FAQ"][1][0].id), "input": {"title": "New title"}},
        token=editor[1],
    )
    after = await client.post("/graphql", json=HELP_CENTER)

    titles = [q["title"] for q in after.json()["data"]["helpCenter"]["categories"][0]["questions"]]
    assert titles == ["New title"]


async def test_signed_in_requests_and_mutations_are_never_cached(client, gql, help_content, editor):
    made = await help_content({"FAQ": [("Published", "A", True), ("Draft", "B", False)]})
    await client.post("/graphql", json={"query": operation("cms/HelpCategories")})

    admin = await gql(operation("cms/HelpCategories"), token=editor[1])
    anonymous = await client.post("/graphql", json={"query": operation("cms/HelpCategories")})

    assert [q["title"] for q in admin["data"]["helpCategories"][0]["questions"]] == [
        "Published",
        "Draft",
    ]
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    qid = str(made["FAQ"][1][0].id)
    vote = {"query": operation("sdk/VoteHelpQuestion"), "variables": {"id": qid, "helpful": True}}
    assert "etag" not in (await client.post("/graphql", json=vote)).headers


@pytest.fixture(scope="module")
def second_process(app, tmp_path_factory):
    """Another `deskql serve` process on the same database, like a second server."""
    env = cli_env(DATABASE_URL, tmp_path_factory.mktemp("second"))
    with server_process(env, free_port()) as base:
        yield base


async def test_an_edit_in_one_process_reaches_the_cache_of_another(
    second_process, help_content, editor
):
    made = await help_content({"FAQ": [("Before", "A", True)]})
    async with httpx.AsyncClient(base_url=second_process) as other:
        cached = (await other.post("/graphql", json=HELP_CENTER)).json()
        assert cached["data"]["helpCenter"]["categories"][0]["questions"][0]["title"] == "Before"

        # The edit happens here, in the test process: the other server only sees the database.
        await service.update_question(
            actor=editor[0],
            question_id=made["FAQ"][1][0].id,
            changes=service.QuestionChanges(title="After"),
        )
        seen, deadline = None, time.monotonic() + 10
        while seen != "After" and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            body = (await other.post("/graphql", json=HELP_CENTER)).json()
            seen = body["data"]["helpCenter"]["categories"][0]["questions"][0]["title"]

    assert seen == "After"
