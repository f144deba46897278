"""A local stand-in for the Zendesk Support API (``deskql zendesk-fake``), so the sync can be
built, tested and demonstrated with no internet. State lives in memory; time comes from an
injected clock."""

from app.zendesk.fake.app import create_app
from app.zendesk.fake.state import FakeZendesk

__all__ = ["FakeZendesk", "create_app"]
