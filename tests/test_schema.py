"""The schema is an artefact: exported, described, and what clients send validates."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.api.schema import build_schema, export_sdl
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, parse, validate
from tests.support import OPERATIONS

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(OPERATIONS.rglob("*.graphql"))


def test_exported_schema_is_up_to_date():
    exported = (ROOT / "graphql" / "schema.graphql").read_text()

    assert exported == export_sdl(), "run `deskql export-schema` and commit graphql/schema.graphql"


def test_there_are_operation_documents():
    assert len(DOCUMENTS) >= 15


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(OPERATIONS)))
def test_operation_document_validates_against_the_schema(path):
    schema = build_schema()._schema

    errors = validate(schema, parse(path.read_text()))

    assert errors == []


def test_every_type_field_and_argument_is_described():
    schema = build_schema()._schema
    missing = []
    for name, graphql_type in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, (GraphQLObjectType, GraphQLInputObjectType)):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(graphql_type, GraphQLEnumType) and not graphql_type.description:
            missing.append(name)

    assert missing == []


def test_no_python_in_the_graphql_folder():
    """A graphql/__init__.py would shadow graphql-core."""
    assert list((ROOT / "graphql").rglob("*.py")) == []
