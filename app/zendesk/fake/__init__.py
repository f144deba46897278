"""A local stand-in for the Zendesk Support API (``deskql zendesk-fake``), so the sync can be
built, tested and demonstrated with no internet. State lives in memory; time comes from an
injected clock.

Modules: state.py (the account, jobs), app.py (routes and the frame every request goes
through), api_tickets.py / api_users.py / merges.py / uploads.py (the routes), tickets.py
(ticket behaviour), limits.py (rate limits and early requests), knobs.py (knobs and the faults
they inject), webhooks.py (changes posted to a webhook), responses.py (Zendesk's envelopes)."""

from app.zendesk.fake.app import create_app
from app.zendesk.fake.state import FakeZendesk

__all__ = ["FakeZendesk", "create_app"]
