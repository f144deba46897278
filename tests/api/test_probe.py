"""What an outside probe checks, as our own tests against a real production-mode server
process: every check graphql-cop makes (each test names it), the request-size limit, malformed
bodies and strings, and the headers of pages, media and errors."""

from __future__ import annotations

import json

import httpx
import pytest

from app.directory.models import Contact
from tests.support import DATABASE_URL, cli_env, free_port, server_process

SECRET = "probe-secret-key-0123456789-abcdefghijklmnop"


@pytest.fixture(scope="module")
def production(app, tmp_path_factory):
    port = free_port()
    env = cli_env(
        DATABASE_URL,
        tmp_path_factory.mktemp("prod"),
        DESKQL_ENV="production",
        DESKQL_SECRET_KEY=SECRET,
        DESKQL_PUBLIC_URL="https://help.example.com",
        DESKQL_MAX_BODY_BYTES="65536",
    )
    with server_process(env, port) as base:
        yield base


@pytest.fixture
async def http(production):
    async with httpx.AsyncClient(base_url=production, timeout=30) as client:
        yield client


async def cop(http, query: str) -> httpx.Response:
    """The way graphql-cop posts: JSON with operationName "cop"."""
    return await http.post("/graphql", json={"query": query, "operationName": "cop"})


def codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json()["errors"]]


async def test_cop_field_suggestions_are_off(http):
    response = await cop(http, "query cop { __schema { directive } }")
    assert "Did you mean" not in response.text
    assert set(codes(response)) == {"GRAPHQL_VALIDATION_FAILED"}


async def test_cop_introspection_is_off(http):
    response = await cop(http, "query cop { __schema { types { name fields { name } } } }")
    assert response.json().get("data") is None
    assert "introspection" in response.json()["errors"][0]["message"]


async def test_cop_circular_introspection_is_refused(http):
    deep = (
        "query cop { __schema { types { fields { type { fields { type { fields { type { "
        "fields { type { name } } } } } } } } } } }"
    )
    assert (await cop(http, deep)).json().get("data") is None


async def test_cop_graphiql_is_not_served(http):
    response = await http.get("/graphql", headers={"Accept": "text/html"})
    for word in ("graphiql.min.css", "GraphQL Playground", "GraphiQL", "graphql-playground"):
        assert word not in response.text


async def test_cop_alias_overloading_is_refused(http):
    aliases = "".join(f"alias{n}:__typename \n" for n in range(101))
    response = await cop(http, "query cop { " + aliases + " }")
    assert response.json().get("data") is None
    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_cop_directive_overloading_gets_one_error(http):
    response = await cop(http, "query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }")
    assert len(response.json()["errors"]) == 1
    assert "directives" in response.json()["errors"][0]["message"]


async def test_cop_field_duplication_is_refused(http):
    response = await cop(http, "query cop { " + "__typename \n" * 500 + "} ")
    assert response.json().get("data") is None
    assert "field selections" in response.json()["errors"][0]["message"]


async def test_cop_array_batching_is_refused(http):
    response = await http.post("/graphql", json=[{"query": "query cop { __typename }"}] * 10)
    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]  # JSON with a code, not plain text


async def test_cop_trace_mode_is_off(http):
    body = (await cop(http, "query cop { __typename }")).json()
    assert body == {"data": {"__typename": "Query"}}


async def test_cop_mutations_over_get_are_refused(http):
    response = await http.get("/graphql", params={"query": "mutation cop {__typename}"})
    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]
    assert "GET" in response.json()["errors"][0]["message"]


async def test_cop_url_encoded_post_is_refused(http):
    response = await http.post("/graphql", data={"query": "query cop { __typename }"})
    assert response.status_code == 400
    assert "data" not in response.json()


async def test_cop_unhandled_errors_leak_nothing(http):
    response = await cop(http, "qwerty cop { abc }")
    assert codes(response) == ["GRAPHQL_PARSE_FAILED"]
    assert "exception" not in response.text.lower() and "traceback" not in response.text.lower()


async def test_validation_errors_name_no_field_argument_or_type(http):
    """What clairvoyance rebuilt 28 types and 80 fields from, with introspection off."""
    probes = [
        "{ accountz { id } }",
        "{ helpCenter(chanel: APP) { enabled } }",
        "{ me { nonsense } }",
        "mutation { login(account: 1) { token } }",
    ]
    for query in probes:
        message = (await http.post("/graphql", json={"query": query})).json()["errors"][0]
        assert message["message"].startswith("This document does not fit the API"), query
        assert message["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    variables = await http.post(
        "/graphql",
        json={
            "query": "mutation($i: ContactInput!) { createContact(input: $i) { id } }",
            "variables": {"i": {"nam": "x"}},
        },
    )
    error = variables.json()["errors"][0]
    assert "ContactInput" not in error["message"] and "nam" not in error["message"]


async def test_a_body_over_the_limit_is_refused_before_it_is_read(http):
    big = b'{"query": "{ __typename }", "variables": {"x": "' + b"a" * 70_000 + b'"}}'
    response = await http.post(
        "/graphql", content=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert codes(response) == ["PAYLOAD_TOO_LARGE"]

    async def chunks():  # no Content-Length: cut off once past the limit
        yield b'{"query": "{ __typename }", "variables": {"x": "'
        for _ in range(100):
            yield b"a" * 1000

    response = await http.post(
        "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ __typename }", "variables": {"x": ' + b"[" * 1000 + b"]" * 1000 + b"}}",
        b'{"query": "{ __typename }", "variables": {"x": ' + b"[" * 100 + b"]" * 100 + b"}}",
        b'{"query": "{ __typename \xff\xfe }"}',
        b"not json at all",
    ],
    ids=["nesting-1000", "nesting-100", "invalid-utf8", "not-json"],
)
async def test_malformed_bodies_are_bad_requests(http, body):
    response = await http.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]


@pytest.mark.parametrize("text", ["a\u0000b", "x\ud800", "\udfff"], ids=["nul", "high", "low"])
async def test_nul_and_lone_surrogates_are_refused_naming_the_field(http, text, make_account):
    _, token = await make_account("li.na")
    auth = {"Authorization": f"Bearer {token}"}

    def post(payload: dict):  # JSON with ASCII escapes: what a client sends for such a string
        return http.post(
            "/graphql",
            content=json.dumps(payload).encode(),
            headers={**auth, "Content-Type": "application/json"},
        )

    in_variables = await post(
        {
            "query": "mutation($i: ContactInput!) { createContact(input: $i) { id } }",
            "variables": {"i": {"name": "ok", "email": text}},
        }
    )
    escaped = json.dumps(text)  # as a GraphQL string literal: "a\\u0000b"
    inline = await post(
        {"query": "mutation { createContact(input: {name: " + escaped + "}) { id } }"},
    )
    search = await http.get(
        "/graphql",
        params={
            "query": "query($q: String!) { searchHelp(query: $q) { id } }",
            "variables": json.dumps({"q": text}),
        },
    )

    assert in_variables.json()["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "i.email",
    }
    # a lone surrogate escape in a GraphQL string literal is a syntax error by the spec
    expected_inline = (
        {"code": "BAD_USER_INPUT", "field": "input"}
        if text == "a\u0000b"
        else {"code": "GRAPHQL_PARSE_FAILED"}
    )
    assert inline.json()["errors"][0]["extensions"] == expected_inline
    assert search.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "q"}
    assert await Contact.all().count() == 0  # nothing written


@pytest.mark.parametrize(
    "path",
    [
        "/h5/questions/2147483648",
        "/h5/questions/1099511627776",
        "/h5/questions/%C2%B2",
        "/h5/questions/-1",
        "/h5/surveys/2147483648.x",
        "/h5/surveys/%C2%B2.x",
    ],
)
async def test_out_of_range_and_non_ascii_ids_in_paths_are_404(http, path):
    assert (await http.get(path)).status_code == 404


async def test_out_of_range_ids_and_cursors_are_coded_errors(http, make_account):
    _, token = await make_account("li.na")
    auth = {"Authorization": f"Bearer {token}"}
    for query in [
        '{ helpQuestion(id: "1099511627776") { id } }',
        '{ helpCategory(id: "²") { id } }',
        '{ teams(after: "cGs6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk=") { totalCount } }',
        '{ ticket(id: "2147483648") { id } }',
    ]:
        response = await http.post("/graphql", headers=auth, json={"query": query})
        assert response.status_code == 200
        assert codes(response) == ["BAD_USER_INPUT"], query


async def test_security_headers_everywhere_hsts_in_production(http):
    for path in (
        "/healthz",
        "/graphql?query=%7B__typename%7D",
        "/h5/questions/1",
        "/static/admin/admin.js",
    ):
        response = await http.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["strict-transport-security"].startswith("max-age="), path
        assert len(response.headers["x-request-id"]) == 16, path
    page = await http.get("/h5/questions/1")
    assert "frame-ancestors 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in (await http.get("/admin")).headers["content-security-policy"]


async def test_html_is_served_only_by_routes_that_give_it_headers(http):
    assert (await http.get("/static/admin/index.html")).status_code == 404
    assert (await http.get("/static/h5/question.html")).status_code == 404
    assert (await http.get("/static/admin/admin.js")).status_code == 200


async def test_authenticated_graphql_answers_are_not_stored(http, make_account):
    _, token = await make_account("li.na")
    signed_in = await http.post(
        "/graphql", json={"query": "{ me { id } }"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert signed_in.headers["cache-control"] == "no-store"
