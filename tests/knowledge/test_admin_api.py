"""Editing the help center over GraphQL (R-KC-1, R-KC-2, R-KC-5), including the role matrix of
every admin operation."""

from __future__ import annotations

import pytest

from app.accounts import models as account_models
from app.knowledge import models
from tests.support import assert_allowed, error_codes, operation, snapshot

ROLES = ["anonymous", "agent", "full_admin", "full_admin_kc", "super_admin"]
KC_HOLDERS = {"full_admin_kc", "super_admin"}


@pytest.fixture
async def world(make_account, help_content):
    tokens = {"anonymous": None}
    _, tokens["agent"] = await make_account("agent.one")
    _, tokens["full_admin"] = await make_account("full.admin", account_models.Role.FULL_ADMIN)
    _, tokens["full_admin_kc"] = await make_account(
        "full.admin.kc", account_models.Role.FULL_ADMIN, groups=[["kc.manage"]]
    )
    _, tokens["super_admin"] = await make_account("super.admin", account_models.Role.SUPER_ADMIN)
    made = await help_content(
        {"A": [("Q1", "one", True), ("Q2", "two", False)], "B": [("Q3", "three", True)]}
    )
    (cat_a, (q1, q2)), (cat_b, (q3,)) = made["A"], made["B"]
    revision = await models.HelpQuestionRevision.get(question_id=q1.id, number=1)
    return {
        "tokens": tokens,
        "a": str(cat_a.id),
        "b": str(cat_b.id),
        "q1": str(q1.id),
        "q2": str(q2.id),
        "q3": str(q3.id),
        "revision": str(revision.id),
    }


ADMIN_OPS = [
    ("cms/HelpCategories", lambda w: {}),
    ("cms/HelpQuestionRevisions", lambda w: {"id": w["q1"]}),
    ("cms/PreviewHelpAnswer", lambda w: {"markdown": "**x**"}),
    ("cms/CreateHelpCategory", lambda w: {"input": {"name": "New"}}),
    ("cms/UpdateHelpCategory", lambda w: {"id": w["a"], "input": {"name": "Renamed"}}),
    ("cms/DeleteHelpCategory", lambda w: {"id": w["b"], "deleteQuestions": True}),
    ("cms/ReorderHelpCategories", lambda w: {"ids": [w["b"], w["a"]]}),
    (
        "cms/CreateHelpQuestion",
        lambda w: {"input": {"categoryId": w["a"], "title": "T", "markdown": "m"}},
    ),
    ("cms/UpdateHelpQuestion", lambda w: {"id": w["q1"], "input": {"title": "Changed"}}),
    ("cms/DeleteHelpQuestion", lambda w: {"id": w["q1"]}),
    ("cms/ReorderHelpQuestions", lambda w: {"categoryId": w["a"], "ids": [w["q2"], w["q1"]]}),
    ("cms/PublishHelpQuestion", lambda w: {"id": w["q2"]}),
    ("cms/UnpublishHelpQuestion", lambda w: {"id": w["q1"]}),
    ("cms/RestoreHelpQuestionRevision", lambda w: {"revisionId": w["revision"]}),
    ("cms/SetHelpCenterEnabled", lambda w: {"channel": "APP", "enabled": False}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,variables", ADMIN_OPS, ids=[op[0].split("/")[1] for op in ADMIN_OPS])
async def test_admin_operation_role_matrix(gql, world, name, variables, role):
    """R-KC-5: only holders of kc.manage edit; everyone else is refused and nothing changes."""
    before = await snapshot()

    result = await gql(operation(name), variables(world), token=world["tokens"][role])

    if role in KC_HOLDERS:
        await assert_allowed(operation(name), result, before)
    else:
        assert error_codes(result) == ["UNAUTHENTICATED" if role == "anonymous" else "FORBIDDEN"]
        assert await snapshot() == before


async def _token(world):
    return world["tokens"]["super_admin"]


async def test_create_edit_publish_and_read_back(gql, world):
    token = await _token(world)

    created = await gql(
        operation("cms/CreateHelpQuestion"),
        {
            "input": {
                "categoryId": world["a"],
                "title": "  New question  ",
                "markdown": "# Hi\n\n[x](javascript:1)",
            }
        },
        token=token,
    )
    question = created["data"]["createHelpQuestion"]
    published = await gql(operation("cms/PublishHelpQuestion"), {"id": question["id"]}, token=token)
    public = await gql(operation("sdk/HelpQuestion"), {"id": question["id"]})

    assert question["title"] == "New question"
    assert (question["status"], question["position"]) == ("DRAFT", 3)
    assert question["answerHtml"] == "<h2>Hi</h2>\n<p>[x](javascript:1)</p>\n"
    assert published["data"]["publishHelpQuestion"]["status"] == "PUBLISHED"
    assert public["data"]["helpQuestion"]["title"] == "New question"


async def test_preview_is_exactly_what_saving_stores(gql, world):
    token = await _token(world)
    markdown = "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | **b** |\n\n![i](https://x.example/i.png)"

    preview = await gql(operation("cms/PreviewHelpAnswer"), {"markdown": markdown}, token=token)
    saved = await gql(
        operation("cms/UpdateHelpQuestion"),
        {"id": world["q1"], "input": {"markdown": markdown}},
        token=token,
    )

    assert preview["data"]["previewHelpAnswer"] == saved["data"]["updateHelpQuestion"]["answerHtml"]


async def test_deleting_a_category_with_questions_needs_delete_questions(gql, world):
    token = await _token(world)

    refused = await gql(operation("cms/DeleteHelpCategory"), {"id": world["a"]}, token=token)
    assert error_codes(refused) == ["CONFLICT"]
    assert await models.HelpQuestion.filter(category_id=int(world["a"])).count() == 2

    done = await gql(
        operation("cms/DeleteHelpCategory"),
        {"id": world["a"], "deleteQuestions": True},
        token=token,
    )
    assert done["data"]["deleteHelpCategory"] is True
    assert await models.HelpQuestion.filter(category_id=int(world["a"])).count() == 0
    remaining = await models.HelpCategory.all().values_list("position", flat=True)
    assert list(remaining) == [1]


async def test_reorder_needs_exactly_the_full_set(gql, world):
    token = await _token(world)
    before = await snapshot()

    missing = await gql(operation("cms/ReorderHelpCategories"), {"ids": [world["a"]]}, token=token)
    doubled = await gql(
        operation("cms/ReorderHelpCategories"), {"ids": [world["a"], world["a"]]}, token=token
    )
    foreign = await gql(
        operation("cms/ReorderHelpQuestions"),
        {"categoryId": world["a"], "ids": [world["q1"], world["q3"]]},
        token=token,
    )

    for result in (missing, doubled, foreign):
        assert error_codes(result) == ["BAD_USER_INPUT"]
        assert result["errors"][0]["extensions"]["field"] == "ids"
    assert await snapshot() == before


async def test_reorder_questions_keeps_positions_dense(gql, world):
    token = await _token(world)

    result = await gql(
        operation("cms/ReorderHelpQuestions"),
        {"categoryId": world["a"], "ids": [world["q2"], world["q1"]]},
        token=token,
    )

    assert result["data"]["reorderHelpQuestions"] == [
        {"id": world["q2"], "position": 1},
        {"id": world["q1"], "position": 2},
    ]


async def test_moving_a_question_puts_it_last_and_closes_the_gap(gql, world):
    token = await _token(world)

    moved = await gql(
        operation("cms/UpdateHelpQuestion"),
        {"id": world["q1"], "input": {"categoryId": world["b"]}},
        token=token,
    )

    assert moved["data"]["updateHelpQuestion"]["category"]["id"] == world["b"]
    assert moved["data"]["updateHelpQuestion"]["position"] == 2
    q2 = await models.HelpQuestion.get(id=int(world["q2"]))
    assert q2.position == 1


async def test_every_save_keeps_a_revision_and_restoring_makes_a_new_one(gql, world):
    token = await _token(world)
    await gql(
        operation("cms/UpdateHelpQuestion"),
        {"id": world["q1"], "input": {"title": "Second", "markdown": "v2"}},
        token=token,
    )
    revisions = await gql(operation("cms/HelpQuestionRevisions"), {"id": world["q1"]}, token=token)
    listed = revisions["data"]["helpQuestionRevisions"]
    first = next(r for r in listed if r["number"] == 1)

    restored = await gql(
        operation("cms/RestoreHelpQuestionRevision"), {"revisionId": first["id"]}, token=token
    )
    after = await gql(operation("cms/HelpQuestionRevisions"), {"id": world["q1"]}, token=token)

    assert [(r["number"], r["title"]) for r in listed] == [(2, "Second"), (1, "Q1")]
    assert listed[0]["authorName"] == "Super.Admin"
    assert restored["data"]["restoreHelpQuestionRevision"]["title"] == "Q1"
    assert restored["data"]["restoreHelpQuestionRevision"]["answerHtml"] == "<p>one</p>\n"
    newest = after["data"]["helpQuestionRevisions"][0]
    assert (newest["number"], newest["title"], newest["restoredFrom"]) == (3, "Q1", 1)


@pytest.mark.parametrize(
    ("field", "value"), [("name", ""), ("name", "x" * 65), ("description", "d" * 501)]
)
async def test_bad_category_input_names_the_field(gql, world, field, value):
    token = await _token(world)
    before = await snapshot()
    payload = {"name": "ok", field: value}

    result = await gql(operation("cms/CreateHelpCategory"), {"input": payload}, token=token)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result["errors"][0]["extensions"]["field"] == field
    assert await snapshot() == before


async def test_bad_question_input_names_the_field(gql, world):
    token = await _token(world)
    before = await snapshot()

    long_answer = await gql(
        operation("cms/CreateHelpQuestion"),
        {"input": {"categoryId": world["a"], "title": "T", "markdown": "x" * 100_001}},
        token=token,
    )
    no_title = await gql(
        operation("cms/UpdateHelpQuestion"),
        {"id": world["q1"], "input": {"title": "  "}},
        token=token,
    )
    no_category = await gql(
        operation("cms/CreateHelpQuestion"),
        {"input": {"categoryId": "999999", "title": "T", "markdown": "m"}},
        token=token,
    )

    assert long_answer["errors"][0]["extensions"]["field"] == "markdown"
    assert no_title["errors"][0]["extensions"]["field"] == "title"
    assert error_codes(no_category) == ["NOT_FOUND"]
    assert await snapshot() == before


async def test_an_image_url_must_come_from_uploads(gql, world):
    token = await _token(world)

    result = await gql(
        operation("cms/UpdateHelpCategory"),
        {"id": world["a"], "input": {"imageUrl": "https://evil.example/x.png"}},
        token=token,
    )

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result["errors"][0]["extensions"]["field"] == "imageUrl"
