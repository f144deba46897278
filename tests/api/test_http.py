"""The HTTP surface: health check, GraphiQL, production hardening, request ids."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from app.main import create_app
from app.settings import ConfigError, Settings


async def test_healthz_checks_the_database(client):
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_graphiql_is_served_in_development(client):
    response = await client.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_every_response_has_a_request_id(client):
    response = await client.get("/healthz")

    assert len(response.headers["x-request-id"]) == 16


async def test_a_forged_request_id_is_replaced(client):
    response = await client.get("/healthz", headers={"X-Request-ID": "evil\nINFO fake line"})

    assert "\n" not in response.headers["x-request-id"]
    assert response.headers["x-request-id"] != "evil\nINFO fake line"


@pytest.fixture(scope="module")
async def production_client(app, settings):
    """A production-mode app on the same database (the ORM is already up)."""
    prod = create_app(dataclasses.replace(settings, env="production"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=prod), base_url="http://prod"
    ) as c:
        yield c


async def test_production_serves_no_graphiql(production_client):
    response = await production_client.get("/graphql", headers={"Accept": "text/html"})

    assert "graphiql" not in response.text.lower()


async def test_production_refuses_introspection(production_client):
    response = await production_client.post(
        "/graphql", json={"query": "{ __schema { types { name } } }"}
    )

    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "introspection" in error["message"].lower()


async def test_production_names_no_field_or_type_in_validation_errors(production_client, client):
    """Development helps (a suggestion); production says nothing a schema could be rebuilt
    from — not even the unknown field's name or the type it was asked on."""
    query = {"query": "{ knownPermission }"}

    dev = (await client.post("/graphql", json=query)).json()["errors"][0]
    prod = (await production_client.post("/graphql", json=query)).json()["errors"][0]

    assert "Did you mean" in dev["message"]
    assert prod["extensions"]["code"] == dev["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "knownPermission" not in prod["message"] and "Query" not in prod["message"]
    assert prod["locations"] == dev["locations"]


@pytest.mark.parametrize("secret", ["", "x" * 31])
def test_production_refuses_to_start_without_a_long_secret_key(settings, secret):
    prod = dataclasses.replace(settings, env="production", secret_key=secret)

    with pytest.raises(ConfigError, match="DESKQL_SECRET_KEY"):
        create_app(prod)


def test_settings_from_the_environment(tmp_path):
    settings = Settings.from_env(
        {
            "DESKQL_ENV": "production",
            "DESKQL_SECRET_KEY": "k" * 32,
            "DESKQL_DATABASE_URL": "postgresql://u:p@db/deskql",
            "DESKQL_PUBLIC_URL": "https://help.example.com/",
            "DESKQL_TOKEN_TTL_SECONDS": "3600",
            "DESKQL_VAR_DIR": str(tmp_path),
        }
    )

    assert settings.is_production
    assert settings.public_url == "https://help.example.com"
    assert settings.token_ttl_seconds == 3600


def test_development_keeps_one_generated_secret_key_per_checkout(tmp_path):
    first = Settings.from_env({"DESKQL_VAR_DIR": str(tmp_path)})
    second = Settings.from_env({"DESKQL_VAR_DIR": str(tmp_path)})

    assert len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DESKQL_ENV", "staging"),
        ("DESKQL_TOKEN_TTL_SECONDS", "soon"),
        ("DESKQL_PUBLIC_URL", "help.example.com"),
    ],
)
def test_bad_configuration_is_refused_with_the_variable_named(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name.split("_", 1)[0]):
        Settings.from_env({"DESKQL_VAR_DIR": str(tmp_path), name: value})


async def test_an_unexpected_failure_is_a_coded_500_with_the_usual_headers(
    client, app, monkeypatch, caplog
):
    async def broken(question_id):
        raise RuntimeError("the disk fell off")

    monkeypatch.setattr(app.state.h5, "_page", broken)

    response = await client.get("/h5/questions/1", headers={"X-Request-ID": "trace-me-42"})

    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {
                "message": "Unexpected error.",
                "extensions": {"code": "INTERNAL", "requestId": "trace-me-42"},
            }
        ]
    }
    assert response.headers["x-request-id"] == "trace-me-42"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "the disk fell off" not in response.text
