"""Zendesk's answers as the fake gives them: the error envelopes of zendesk-api.md
(``{"error","description","details"?}``), the JSON body of a request, and :class:`Invalid`, the
validation error behind a 422 RecordInvalid (or a failed job item)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse


class Invalid(Exception):
    def __init__(self, field: str, description: str) -> None:
        super().__init__(description)
        self.field = field
        self.description = description


def error(status: int, name: str, description: str, **extra: object) -> JSONResponse:
    return JSONResponse({"error": name, "description": description, **extra}, status_code=status)


def invalid(exc: Invalid) -> JSONResponse:
    return error(422, "RecordInvalid", "Record validation errors",
                 details={exc.field: [{"description": exc.description, "error": "InvalidValue"}]})  # fmt: skip


def not_found() -> JSONResponse:
    return error(404, "RecordNotFound", "Not found")


async def body_of(request: Request) -> dict:
    try:
        data = json.loads(await request.body() or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
