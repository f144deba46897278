"""One migration history that applies from empty on SQLite and PostgreSQL (whichever this run
uses; scripts/test.sh runs both), and models with no unmigrated changes."""

from __future__ import annotations

import ast
from pathlib import Path

from tortoise import Tortoise

from app.db import APP_LABEL
from tests.support import DATABASE_URL, cli_env, deskql, fresh_database, table_columns

ROOT = Path(__file__).resolve().parent.parent


async def test_migrations_apply_from_empty_and_create_what_the_models_need(app, tmp_path):
    async with fresh_database(DATABASE_URL, tmp_path) as url:
        env = cli_env(url, tmp_path)

        first = deskql("migrate", env=env)
        second = deskql("migrate", env=env)
        columns = await table_columns(url)

    assert first.returncode == 0, first.stderr
    assert "applied deskql.0001_initial" in first.stdout
    assert second.returncode == 0, second.stderr
    assert "applied" not in second.stdout
    for model in Tortoise.apps[APP_LABEL].values():
        table = model._meta.db_table
        expected = {
            f.source_field or f.model_field_name
            for f in model._meta.fields_map.values()
            if f.has_db_field
        }
        assert expected <= columns.get(table, set()), table


def test_models_have_no_unmigrated_changes(tmp_path):
    result = deskql("makemigrations", "--check", env=cli_env(DATABASE_URL, tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no model changes" in result.stdout


def test_migrations_hold_no_semicolons_in_comments():
    """Tortoise's SQLite schema editor splits on ';' — a docstring with one breaks migrate."""
    for path in (ROOT / "migrations").glob("0*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert ";" not in node.value, f"{path.name}: {node.value!r}"
