"""What every operation is checked for before it runs, over HTTP and WebSocket alike.

- Size: at most MAX_FIELDS field selections and MAX_DIRECTIVES directives in a document (with
  the depth, alias and token limits of app/api/limits.py). 500 copies of one field, or ten
  unknown directives answered with ten errors, are refused with one error.
- Text: no string — an inline literal or anywhere in the variables — may hold a NUL character or
  a lone UTF-16 surrogate. Neither is text a person meant; PostgreSQL refuses NUL in text and
  no encoder takes a lone surrogate, so they are refused here, naming the field, instead of
  failing in the database.

app/api/extension.py runs these checks after validation (remembering the document's verdict
with the validation's); when one finds something, its one error replaces the validation's.
"""

from __future__ import annotations

from typing import Any

from graphql import DocumentNode, GraphQLError, StringValueNode, Visitor, visit

MAX_FIELDS = 200
MAX_DIRECTIVES = 5


def bad_text(value: str) -> bool:
    """True when ``value`` holds a NUL or a lone surrogate."""
    return "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value)


def _refusal(message: str, code: str, field: str | None = None) -> GraphQLError:
    extensions: dict[str, Any] = {"code": code}
    if field is not None:
        extensions["field"] = field
    return GraphQLError(message, extensions=extensions)


class _Census(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.fields = 0
        self.directives = 0
        self.bad_literal: str | None = None  # the argument holding one
        self._argument: list[str] = []

    def enter_field(self, *_: Any) -> None:
        self.fields += 1

    def enter_directive(self, *_: Any) -> None:
        self.directives += 1

    def enter_argument(self, node: Any, *_: Any) -> None:
        self._argument.append(node.name.value)

    def leave_argument(self, *_: Any) -> None:
        self._argument.pop()

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if self.bad_literal is None and bad_text(node.value):
            self.bad_literal = self._argument[-1] if self._argument else "query"


def _bad_variable(value: Any, path: str) -> str | None:
    """The path of the first string (or key) in ``value`` with NUL or a lone surrogate."""
    if isinstance(value, str):
        return path if bad_text(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and bad_text(key):
                return path
            found = _bad_variable(item, f"{path}.{key}")
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _bad_variable(item, f"{path}[{index}]")
            if found:
                return found
    return None


def document_refusal(document: DocumentNode) -> GraphQLError | None:
    """The refusal a document earns by its size or a bad literal, or None."""
    census = _Census()
    visit(document, census)
    if census.fields > MAX_FIELDS:
        return _refusal(
            f"At most {MAX_FIELDS} field selections per document.", "GRAPHQL_VALIDATION_FAILED"
        )
    if census.directives > MAX_DIRECTIVES:
        return _refusal(
            f"At most {MAX_DIRECTIVES} directives per document.", "GRAPHQL_VALIDATION_FAILED"
        )
    if census.bad_literal is not None:
        return _refusal(
            "Text may not contain NUL characters or lone surrogates.",
            "BAD_USER_INPUT",
            census.bad_literal,
        )
    return None


def variables_refusal(variables: dict[str, Any] | None) -> GraphQLError | None:
    """The refusal of a variable holding bad text, or None."""
    for name, value in (variables or {}).items():
        field = _bad_variable(value, name)
        if field is not None:
            return _refusal(
                "Text may not contain NUL characters or lone surrogates.", "BAD_USER_INPUT", field
            )
    return None
