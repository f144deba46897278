"""Query size limits, built once at import.

Strawberry's limiter extensions create a new rule class per instance; a per-request instance
would give every request a new rules tuple and so miss the validation cache every time. Here
the rule classes exist once and :func:`apply` adds them (app/api/extension.py calls it for
every operation), keeping cache keys stable.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions.max_aliases import create_validator as _alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as _depth_rule

from graphql import ASTValidationRule, GraphQLError, NoSchemaIntrospectionCustomRule

MAX_DEPTH = 12
MAX_ALIASES = 20
MAX_TOKENS = 5000


def _coded(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """The rule with a code on its errors: what a limit says about the document is safe to
    show in production too (app/api/errors.py hides uncoded validation messages there)."""

    class Coded(rule):  # type: ignore[valid-type,misc]
        def report_error(self, error: GraphQLError) -> None:
            error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_VALIDATION_FAILED"}
            super().report_error(error)

    Coded.__name__ = rule.__name__
    return Coded


_RULES = (_coded(_depth_rule(MAX_DEPTH, None, None)), _coded(_alias_rule(MAX_ALIASES)))
_PRODUCTION_RULES = _RULES + (_coded(NoSchemaIntrospectionCustomRule),)


def apply(ctx: Any, *, production: bool = False) -> None:
    """Set the token limit and add the depth and alias rules (and, in production, no
    introspection) to the operation about to be parsed and validated."""
    ctx.parse_options["max_tokens"] = MAX_TOKENS
    ctx.validation_rules = ctx.validation_rules + (_PRODUCTION_RULES if production else _RULES)
