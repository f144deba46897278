"""Per-request GraphQL context: who is asking, and the request's loaders.

Loaders are built lazily, one per kind of nested object, named ``<things>_by_<key>``; each
returns results in key order (None or an empty list for a missing key), so a page of records
costs one statement per kind of nested object whatever its size. Loaders that read rows the
principal may not see go through their domain's visibility function.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from strawberry.dataloader import DataLoader

from app.accounts import service as accounts
from app.accounts.auth import Auth
from app.accounts.principal import Principal
from app.chat import sessions
from app.delivery.clock import Clock, SystemClock
from app.directory import contacts, teams
from app.events.hub import Hub
from app.knowledge import reading as knowledge_reading
from app.knowledge import votes
from app.knowledge.counters import ContentVersion
from app.routing import router
from app.settings import Settings
from app.surveys import ticket_surveys
from app.telephony import visibility as calls
from app.tickets import service as tickets
from app.zendesk import service as zendesk


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
    # The token a WebSocket signed in with: each of its operations checks it again.
    socket_token: str | None = None
    content_version: ContentVersion | None = None
    # This process's subscribers to the event log (subscriptions), and the time.
    hub: Hub | None = None
    clock: Clock = field(default_factory=SystemClock)
    # Nested objects a list fetched for its whole page, by kind and key (app/api/*/views.py).
    found: dict[str, dict[Any, Any]] = field(default_factory=dict)

    def new_operation(self) -> None:
        """Forget what an earlier operation fetched: a WebSocket keeps one context for all its
        operations, and each must read the records as they are now."""
        self.found = {}
        for name, value in list(vars(self).items()):
            if isinstance(value, DataLoader):
                delattr(self, name)

    def release(self) -> None:
        """Drop what the request fetched once its answer is written: views point back at the
        context (``_ctx``) and the context at them, a cycle only the garbage collector would
        otherwise free — after a whole page of objects had been kept waiting for it."""
        self.new_operation()

    @property
    def actor(self) -> Principal:
        """The signed-in principal of a guarded field (its permission extension ran first)."""
        assert self.principal is not None, "guard the field with requires()/signed_in()"
        return self.principal

    def client_key(self) -> str:
        """A keyed hash identifying the client (its address), for per-client limits."""
        client = getattr(self.request, "client", None)
        return votes.client_hash(
            secret_key=self.settings.secret_key, client=client.host if client else "unknown"
        )

    # --- accounts and the directory ---

    @cached_property
    def accounts_by_id(self) -> DataLoader:
        return _loader(accounts.accounts_by_id)

    @cached_property
    def phone_lines_by_account(self) -> DataLoader:
        return _loader(accounts.phone_lines_by_account)

    @cached_property
    def groups_by_account(self) -> DataLoader:
        return _loader(accounts.groups_by_account, missing=list)

    @cached_property
    def teams_by_id(self) -> DataLoader:
        return _loader(teams.teams_by_id)

    @cached_property
    def members_by_team(self) -> DataLoader:
        return _loader(teams.members_by_team, missing=list)

    @cached_property
    def queues_by_id(self) -> DataLoader:
        return _loader(teams.queues_by_id)

    @cached_property
    def contacts_by_id(self) -> DataLoader:
        return _loader(contacts.contacts_by_id)

    @cached_property
    def phones_by_contact(self) -> DataLoader:
        return _loader(contacts.phones_by_contact, missing=list)

    # --- tickets, calls, sessions ---

    @cached_property
    def comments_by_ticket(self) -> DataLoader:
        return _loader(tickets.comments_by_ticket, missing=list)

    @cached_property
    def surveys_by_ticket(self) -> DataLoader:
        return _loader(ticket_surveys.invitations_by_ticket)

    @cached_property
    def zendesk_by_ticket(self) -> DataLoader:
        return _loader(zendesk.links)

    @cached_property
    def sub_calls_by_main(self) -> DataLoader:
        principal = self.actor

        async def fetch(ids: list[str]) -> dict:
            return await calls.sub_calls_by_main(principal, ids)

        return _loader(fetch, missing=list)

    @cached_property
    def calls_by_id(self) -> DataLoader:
        principal = self.actor

        async def fetch(ids: list[str]) -> dict:
            return await calls.calls_by_id(principal, ids)

        return _loader(fetch)

    @cached_property
    def transfers_by_session(self) -> DataLoader:
        return _loader(sessions.transfers_by_session, missing=list)

    @cached_property
    def decisions_by_session(self) -> DataLoader:
        return _loader(router.decisions_by_session, missing=list)

    # --- the help center ---

    @cached_property
    def help_categories_by_id(self) -> DataLoader:
        return _loader(knowledge_reading.categories_by_id)

    @cached_property
    def help_questions_by_category(self) -> DataLoader:
        async def load(ids: list[int]) -> dict:
            return await knowledge_reading.questions_by_category(ids, principal=self.principal)

        return _loader(load, missing=list)


def _loader(
    fetch: Callable[[list], Awaitable[dict]], missing: Callable[[], Any] = lambda: None
) -> DataLoader:
    """A loader over ``fetch(keys) -> {key: value}``, answering in key order."""

    async def load(keys: list) -> list:
        found = await fetch(list(keys))
        return [found.get(key, missing()) for key in keys]

    return DataLoader(load)
