"""Error codes, masking of unexpected errors, and the query limits."""

from __future__ import annotations

import logging

import strawberry

from app.accounts import models
from app.accounts import service as accounts_service
from app.api.extension import OperationChecks, checked_documents
from app.api.limits import MAX_ALIASES, MAX_DEPTH
from app.api.schema import build_schema
from tests.support import error_codes, operation, snapshot


async def test_unexpected_errors_are_masked_and_logged_with_the_request_id(
    gql, client, make_account, monkeypatch, caplog
):
    _, token = await make_account("boss", models.Role.SUPER_ADMIN)

    async def broken(**kwargs):
        raise RuntimeError('relation "account" SELECT password_hash FROM secret_table')

    monkeypatch.setattr(accounts_service, "list_groups", broken)
    with caplog.at_level(logging.ERROR, logger="deskql.graphql"):
        response = await client.post(
            "/graphql",
            json={"query": operation("accounts/PermissionGroups")},
            headers={"Authorization": f"Bearer {token}", "X-Request-ID": "req-123"},
        )

    body = response.text
    error = response.json()["errors"][0]
    assert error["message"] == "Unexpected error."
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "req-123"}
    for leak in ("RuntimeError", "SELECT", "secret_table", "Traceback", "password_hash"):
        assert leak not in body
    assert response.headers["x-request-id"] == "req-123"
    logged = [r for r in caplog.records if "req-123" in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info[0] is RuntimeError


async def test_bad_user_input_names_the_field_and_writes_nothing(gql, make_account):
    _, token = await make_account("boss", models.Role.SUPER_ADMIN)
    before = await snapshot()

    result = await gql(
        operation("accounts/CreateAccount"),
        {
            "input": {
                "account": "x",
                "displayName": "X",
                "role": "AGENT",
                "password": "long-enough-pw",
            }
        },
        token=token,
    )

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result["errors"][0]["extensions"]["field"] == "account"
    assert await snapshot() == before


async def test_not_found_and_conflict_codes(gql, make_account):
    _, token = await make_account("boss", models.Role.SUPER_ADMIN)
    await make_account("taken")

    missing = await gql(operation("accounts/Account"), {"id": "999999"}, token=token)
    duplicate = await gql(
        operation("accounts/CreateAccount"),
        {
            "input": {
                "account": "TAKEN",
                "displayName": "Dup",
                "role": "AGENT",
                "password": "long-enough-pw",
            }
        },
        token=token,
    )
    bad_id = await gql(operation("accounts/Account"), {"id": "abc"}, token=token)

    assert error_codes(missing) == ["NOT_FOUND"]
    assert error_codes(duplicate) == ["CONFLICT"]
    assert duplicate["errors"][0]["extensions"]["field"] == "account"
    assert error_codes(bad_id) == ["BAD_USER_INPUT"]
    assert await models.Account.filter(account="taken").count() == 1


async def test_parse_and_validation_errors_have_codes(gql):
    parse = await gql("{ me { id ", expect_status=None)
    invalid = await gql("{ noSuchField }", expect_status=None)

    assert error_codes(parse) == ["GRAPHQL_PARSE_FAILED"]
    assert error_codes(invalid) == ["GRAPHQL_VALIDATION_FAILED"]


@strawberry.type
class _Node:
    @strawberry.field
    def child(self) -> _Node:
        return _Node()

    name: str = "n"


@strawberry.type
class _RecursiveQuery:
    @strawberry.field
    def node(self) -> _Node:
        return _Node()


def _selection_of_depth(depth: int) -> str:
    """`depth` levels below the root field (the limiter counts the root field as 0)."""
    selection = "name"
    for _ in range(depth - 1):
        selection = f"child {{ {selection} }}"
    return f"{{ node {{ {selection} }} }}"


async def test_query_depth_is_limited():
    """Introspection is exempt and the schema has no recursive type yet, so the very extension
    the app uses is checked on a small recursive schema."""
    schema = strawberry.Schema(query=_RecursiveQuery, extensions=[OperationChecks])

    at_limit = await schema.execute(_selection_of_depth(MAX_DEPTH))
    too_deep = await schema.execute(_selection_of_depth(MAX_DEPTH + 1))

    assert at_limit.errors is None
    assert [e.message for e in too_deep.errors] == [
        f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}"
    ]
    assert list(build_schema().extensions) == [OperationChecks]


async def test_aliases_are_limited(gql):
    fine = "{ " + " ".join(f"a{i}: knownPermissions" for i in range(MAX_ALIASES)) + " }"
    too_many = "{ " + " ".join(f"a{i}: knownPermissions" for i in range(MAX_ALIASES + 1)) + " }"

    assert "errors" not in await gql(fine)
    result = await gql(too_many, expect_status=None)
    assert error_codes(result) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "aliases found" in result["errors"][0]["message"]


async def test_documents_are_limited_to_5000_tokens(gql):
    huge = "{ " + " ".join(["knownPermissions"] * 5001) + " }"

    result = await gql(huge, expect_status=None)

    assert error_codes(result) == ["GRAPHQL_PARSE_FAILED"]
    assert "more than 5000 tokens" in result["errors"][0]["message"]


async def test_page_size_is_limited_to_100(gql, make_account):
    _, token = await make_account("boss", models.Role.SUPER_ADMIN)

    result = await gql(operation("accounts/Accounts"), {"first": 101}, token=token)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result["errors"][0]["extensions"]["field"] == "first"


async def test_query_batching_is_refused(client):
    response = await client.post("/graphql", json=[{"query": "{ knownPermissions }"}] * 2)

    assert response.status_code == 400


async def test_mutations_are_never_run_over_get(client, make_account):
    _, token = await make_account("li.na")

    response = await client.get(
        "/graphql",
        params={"query": "mutation { logout }"},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code in (400, 405)
    assert await models.AuthToken.filter(account__account="li.na").count() == 1


async def test_queries_work_over_get(client):
    response = await client.get("/graphql", params={"query": "{ knownPermissions }"})

    assert response.status_code == 200
    assert "kc.manage" in response.json()["data"]["knownPermissions"]


async def test_limits_do_not_defeat_the_validation_cache(gql):
    """The limit rules are built once, so the same document validates from the cache."""
    query = "{ knownPermissions __typename }"
    await gql(query)
    hits, misses = checked_documents.hits, checked_documents.misses

    await gql(query)
    await gql(query)

    assert (checked_documents.hits, checked_documents.misses) == (hits + 2, misses)


async def test_a_malformed_authorization_header_is_refused_clearly(client):
    response = await client.post(
        "/graphql", json={"query": "{ me { id } }"}, headers={"Authorization": "Token abc"}
    )

    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "Bearer" in error["message"]


async def test_public_fields_still_answer_with_a_bad_token(client):
    response = await client.post(
        "/graphql",
        json={"query": "{ knownPermissions }"},
        headers={"Authorization": "Bearer dq_not-a-real-token"},
    )

    assert "errors" not in response.json()
