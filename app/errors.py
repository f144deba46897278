"""Domain errors: what a service raises when a request cannot be done.

The GraphQL adapter turns each into an error with ``extensions.code``; anything else that
escapes a resolver is masked as INTERNAL.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "DOMAIN_ERROR"

    def __init__(self, message: str, *, code: str | None = None, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.extensions = extensions

    def as_extensions(self) -> dict[str, Any]:
        return {"code": self.code, **self.extensions}


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "Sign in first: this operation needs a valid token.") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    code = "FORBIDDEN"


class NotFound(DomainError):
    code = "NOT_FOUND"


class InvalidInput(DomainError):
    """Bad user input; ``field`` names the offending argument or input field."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, field: str, **extensions: Any) -> None:
        super().__init__(message, field=field, **extensions)


class Conflict(DomainError):
    code = "CONFLICT"


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message, retryAfterSeconds=retry_after_seconds)
