"""What the mobile SDK reads, through the very documents in graphql/operations/sdk/
(R-KC-3, R-KC-4, R-KC-5, R-KC-6)."""

from __future__ import annotations

from app.knowledge import models, votes
from app.knowledge import service as knowledge
from tests.support import count_queries, error_codes, operation

ANSWER = "## 步骤\n\n打开 **设置**，点击 *重置密码*。\n\n<script>alert(1)</script>"


async def test_help_center_lists_published_questions_in_order(gql, help_content):
    made = await help_content(
        {
            "账户": [
                ("如何重置密码", ANSWER, True),
                ("草稿问题", "draft", False),
                ("如何注销账户", "注销", True),
            ],
            "Billing": [("Refunds", "Within 7 days.", True)],
        }
    )

    result = await gql(operation("sdk/HelpCenter"))

    center = result["data"]["helpCenter"]
    assert center["enabled"] is True
    assert [c["name"] for c in center["categories"]] == ["账户", "Billing"]
    account, billing = center["categories"]
    assert [q["title"] for q in account["questions"]] == ["如何重置密码", "如何注销账户"]
    assert [q["position"] for q in account["questions"]] == [1, 3]
    first_id = made["账户"][1][0].id
    assert account["questions"][0]["h5Url"] == f"http://testserver/h5/questions/{first_id}"
    assert [q["title"] for q in billing["questions"]] == ["Refunds"]


async def test_a_switched_off_channel_says_disabled_not_empty(gql, help_content, editor):
    """R-KC-4: disabled is not an empty help center, and never an error."""
    await help_content({"FAQ": [("Q", "A", True)]})
    actor, token = editor
    await gql(
        operation("cms/SetHelpCenterEnabled"), {"channel": "APP", "enabled": False}, token=token
    )

    app_view = await gql(operation("sdk/HelpCenter"), {"channel": "APP"})
    web_view = await gql(operation("sdk/HelpCenter"), {"channel": "WEB"})
    search = await gql(operation("sdk/SearchHelp"), {"query": "Q", "channel": "APP"})

    assert app_view == {"data": {"helpCenter": {"enabled": False, "categories": []}}}
    assert web_view["data"]["helpCenter"]["enabled"] is True
    assert len(web_view["data"]["helpCenter"]["categories"]) == 1
    assert search == {"data": {"searchHelp": []}}


async def test_an_enabled_empty_help_center(gql):
    result = await gql(operation("sdk/HelpCenter"))

    assert result == {"data": {"helpCenter": {"enabled": True, "categories": []}}}


async def test_help_question_returns_the_sanitized_answer(gql, help_content):
    made = await help_content({"账户": [("如何重置密码", ANSWER, True)]})
    question = made["账户"][1][0]

    result = await gql(operation("sdk/HelpQuestion"), {"id": str(question.id)})

    data = result["data"]["helpQuestion"]
    assert data["title"] == "如何重置密码"
    assert data["answerHtml"] == (
        "<h2>步骤</h2>\n<p>打开 <strong>设置</strong>，点击 <em>重置密码</em>。</p>\n"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )
    assert data["category"] == {"id": str(made["账户"][0].id), "name": "账户"}
    assert (data["viewCount"], data["helpfulCount"], data["notHelpfulCount"]) == (0, 0, 0)


async def test_a_draft_and_a_missing_id_look_the_same_to_anonymous_readers(gql, help_content):
    made = await help_content({"FAQ": [("Draft", "secret plan", False)]})
    draft = made["FAQ"][1][0]

    as_draft = await gql(operation("sdk/HelpQuestion"), {"id": str(draft.id)})
    as_missing = await gql(operation("sdk/HelpQuestion"), {"id": "987654"})

    assert as_draft == as_missing == {"data": {"helpQuestion": None}}


async def test_admins_see_drafts(gql, help_content, editor):
    made = await help_content({"FAQ": [("Draft", "secret plan", False)]})
    _, token = editor

    result = await gql(
        operation("cms/AdminHelpQuestion"), {"id": str(made["FAQ"][1][0].id)}, token=token
    )

    assert result["data"]["helpQuestion"]["status"] == "DRAFT"


async def test_help_category_shows_its_published_questions(gql, help_content):
    made = await help_content({"FAQ": [("One", "a", True), ("Two", "b", False)]})

    result = await gql(operation("sdk/HelpCategory"), {"id": str(made["FAQ"][0].id)})
    missing = await gql(operation("sdk/HelpCategory"), {"id": "424242"})

    assert [q["title"] for q in result["data"]["helpCategory"]["questions"]] == ["One"]
    assert missing == {"data": {"helpCategory": None}}


async def test_search_finds_titles_first_then_answers_case_insensitively(gql, help_content):
    await help_content(
        {
            "FAQ": [
                ("Billing cycle", "Monthly, see PASSWORD docs for login.", True),
                ("Reset your password", "Open settings.", True),
                ("密码找回", "通过手机验证码找回密码", True),
                ("Draft password tips", "hidden", False),
            ]
        }
    )

    english = await gql(operation("sdk/SearchHelp"), {"query": "password"})
    chinese = await gql(operation("sdk/SearchHelp"), {"query": "验证码"})
    wildcard = await gql(operation("sdk/SearchHelp"), {"query": "%"})

    assert [q["title"] for q in english["data"]["searchHelp"]] == [
        "Reset your password",
        "Billing cycle",
    ]
    assert [q["title"] for q in chinese["data"]["searchHelp"]] == ["密码找回"]
    assert wildcard["data"]["searchHelp"] == []


async def test_a_vote_counts_once_per_client_and_can_be_changed(gql, help_content):
    made = await help_content({"FAQ": [("Q", "A", True)]})
    qid = str(made["FAQ"][1][0].id)

    await gql(operation("sdk/VoteHelpQuestion"), {"id": qid, "helpful": True})
    again = await gql(operation("sdk/VoteHelpQuestion"), {"id": qid, "helpful": True})
    changed = await gql(operation("sdk/VoteHelpQuestion"), {"id": qid, "helpful": False})

    assert again["data"]["voteHelpQuestion"]["helpfulCount"] == 1
    assert changed["data"]["voteHelpQuestion"] == {
        "id": qid,
        "helpfulCount": 0,
        "notHelpfulCount": 1,
    }
    assert await models.HelpVote.filter(question_id=int(qid)).count() == 1


async def test_votes_are_rate_limited_per_client(gql, help_content, editor):
    made = await help_content({"FAQ": [("Q", "A", True)]})
    question = made["FAQ"][1][0]
    stuffed = votes.client_hash(
        secret_key="test-secret-key-that-is-long-enough-0123456789", client="127.0.0.1"
    )
    for i in range(votes.VOTES_PER_CLIENT_PER_HOUR):
        other = await knowledge.create_question(
            actor=editor[0],
            category_id=question.category_id,
            title=f"T{i}",
            markdown="x",
            publish=True,
        )
        await models.HelpVote.create(question=other, client_hash=stuffed, helpful=True)

    result = await gql(operation("sdk/VoteHelpQuestion"), {"id": str(question.id), "helpful": True})

    assert error_codes(result) == ["RATE_LIMITED"]
    await question.refresh_from_db()
    assert question.helpful_count == 0


async def test_voting_on_a_draft_is_not_found(gql, help_content):
    made = await help_content({"FAQ": [("Q", "A", False)]})

    result = await gql(
        operation("sdk/VoteHelpQuestion"), {"id": str(made["FAQ"][1][0].id), "helpful": True}
    )

    assert error_codes(result) == ["NOT_FOUND"]


async def test_help_center_sql_statements_do_not_grow_with_content(gql, help_content, editor):
    """N+1 guard: the same statements for 1 category with 1 question and 6 x 5. Run with a token
    (so the public response cache is bypassed) to count the real work."""
    _, token = editor
    await help_content({"Only": [("Q", "A", True)]})
    with count_queries() as small:
        await gql(operation("sdk/HelpCenter"), token=token)

    await help_content({f"C{i}": [(f"Q{j}", "A", True) for j in range(5)] for i in range(6)})
    with count_queries() as large:
        result = await gql(operation("sdk/HelpCenter"), token=token)

    assert len(result["data"]["helpCenter"]["categories"]) == 7
    # token (a super admin needs no group lookup), channel switch, categories, questions
    assert len(small) == len(large) == 4


async def test_search_page_size_outside_1_to_50_is_refused(gql):
    too_many = await gql(operation("sdk/SearchHelp"), {"query": "x", "first": 51})
    none = await gql(operation("sdk/SearchHelp"), {"query": "x", "first": 0})

    for result in (too_many, none):
        assert error_codes(result) == ["BAD_USER_INPUT"]
        assert result["errors"][0]["extensions"]["field"] == "first"
