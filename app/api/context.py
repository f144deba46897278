"""Per-request GraphQL context: who is asking, and the request's loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from strawberry.dataloader import DataLoader

from app.accounts import service as accounts
from app.accounts.auth import Auth
from app.accounts.principal import Principal
from app.knowledge import reading as knowledge_reading
from app.knowledge import votes
from app.knowledge.counters import ContentVersion
from app.settings import Settings


@dataclass
class Context:
    settings: Settings
    auth: Auth
    request: Any = None
    response: Any = None
    principal: Principal | None = None
    # Why a token sent with the request was refused; guarded fields report it.
    auth_error: Exception | None = None
    request_id: str | None = None
    connection_params: dict | None = field(default=None)
    content_version: ContentVersion | None = None
    _loaders: dict = field(default_factory=dict)

    def loader(self, name: str, fetch, missing=lambda: None) -> DataLoader:
        """The request's loader called ``name`` (created on first use) over ``fetch(keys) ->
        {key: value}``: each kind of nested object costs one statement per request."""
        if name not in self._loaders:
            self._loaders[name] = DataLoader(_in_key_order(fetch, missing))
        return self._loaders[name]

    def client_key(self) -> str:
        """A keyed hash identifying the client (its address), for per-client limits."""
        client = getattr(self.request, "client", None)
        return votes.client_hash(secret_key=self.settings.secret_key,
                                 client=client.host if client else "unknown")

    @cached_property
    def help_categories_by_id(self) -> DataLoader:
        return DataLoader(_in_key_order(knowledge_reading.categories_by_id))

    @cached_property
    def help_questions_by_category(self) -> DataLoader:
        async def load(ids):
            return await knowledge_reading.questions_by_category(ids, principal=self.principal)

        return DataLoader(_in_key_order(load, missing=list))

    @cached_property
    def phone_lines_by_account(self) -> DataLoader:
        return DataLoader(_in_key_order(accounts.phone_lines_by_account))

    @cached_property
    def groups_by_account(self) -> DataLoader:
        return DataLoader(_in_key_order(accounts.groups_by_account, missing=list))


def _in_key_order(fetch, missing=lambda: None):
    """Adapt a ``fetch(keys) -> {key: value}`` to a loader's list-in-key-order contract."""

    async def load(keys: list) -> list:
        found = await fetch(list(keys))
        return [found.get(key, missing()) for key in keys]

    return load
