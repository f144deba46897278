"""Where a ticket may go from each status. Nothing returns to NEW, CLOSED is final, and a
SOLVED ticket can be reopened or closed."""

from __future__ import annotations

from app.errors import Conflict
from app.tickets.models import TicketStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.NEW: frozenset({S.OPEN, S.PENDING, S.HOLD, S.SOLVED, S.CLOSED}),
    S.OPEN: frozenset({S.PENDING, S.HOLD, S.SOLVED, S.CLOSED}),
    S.PENDING: frozenset({S.OPEN, S.HOLD, S.SOLVED, S.CLOSED}),
    S.HOLD: frozenset({S.OPEN, S.PENDING, S.SOLVED, S.CLOSED}),
    S.SOLVED: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset(),
}


def check_transition(current: S, wanted: S) -> None:
    """INVALID_TRANSITION unless the table allows ``current`` -> ``wanted``."""
    if wanted not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing (closed is final)"
        raise Conflict(
            f"A {current} ticket cannot become {wanted}: it can become {allowed}.",
            code="INVALID_TRANSITION",
            fromStatus=str(current),
            toStatus=str(wanted),
        )


def refuse_if_closed(status: S, action: str = "changed") -> None:
    if status is S.CLOSED:
        raise Conflict(f"A closed ticket cannot be {action}.", code="TICKET_CLOSED")
