"""deskql's app for bench/events.py, with the event log switched by BENCH_EVENTS:

- ``on``: as shipped (insert + NOTIFY; readers keep commit order by transaction id);
- ``lock``: the earlier design, writers serialised by a transaction-level advisory lock taken
  before the insert (kept here to measure against);
- ``off``: no events at all (what logging costs).

Only the bench uses this; deskql itself has no switch to turn its event log off.
"""

from __future__ import annotations

import os
from typing import Any

from app.events import log
from app.main import create_app as _create_app

_append_many = log.append_many


async def _no_events(conn: Any, events: Any, *, actor: Any, source: Any = None) -> None:
    return None


async def _locked(conn: Any, events: Any, *, actor: Any, source: Any = None) -> None:
    await conn.execute_query("SELECT pg_advisory_xact_lock(1684370283)")
    await _append_many(conn, events, actor=actor, source=source)


class _NoNotify:
    """The caller's connection, minus the NOTIFY."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    async def execute_query(self, sql: str, *args: Any) -> Any:
        if sql.startswith("NOTIFY"):
            return None
        return await self._conn.execute_query(sql, *args)


async def _silent(conn: Any, events: Any, *, actor: Any, source: Any = None) -> None:
    await _append_many(_NoNotify(conn), events, actor=actor, source=source)


def create_app():  # noqa: ANN201 (uvicorn factory)
    mode = os.environ.get("BENCH_EVENTS", "on")
    if mode == "off":
        log.append_many = _no_events  # type: ignore[assignment]
    elif mode == "silent":
        log.append_many = _silent  # type: ignore[assignment]
    elif mode == "lock":
        log.append_many = _locked  # type: ignore[assignment]
    return _create_app()
