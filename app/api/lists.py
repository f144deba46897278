"""The orders of the record lists (calls, tickets, chat sessions): newest first by default, what
a supervisor expects, each a stable keyset order (the column, then the id) with cursors that
stay valid under it."""

from __future__ import annotations

from enum import Enum

import strawberry

from app.pagination import Order


@strawberry.enum(description="The order of `calls`: by start, the record id breaking ties.")
class CallOrder(Enum):
    STARTED_AT_DESC = "STARTED_AT_DESC"
    STARTED_AT_ASC = "STARTED_AT_ASC"


@strawberry.enum(description="The order of `tickets`, the ticket id breaking ties.")
class TicketOrder(Enum):
    CREATED_AT_DESC = "CREATED_AT_DESC"
    CREATED_AT_ASC = "CREATED_AT_ASC"
    UPDATED_AT_DESC = "UPDATED_AT_DESC"


@strawberry.enum(description="The order of `chatSessions`: by start, the id breaking ties.")
class SessionOrder(Enum):
    STARTED_AT_DESC = "STARTED_AT_DESC"
    STARTED_AT_ASC = "STARTED_AT_ASC"


ORDERS: dict[Enum, Order] = {
    CallOrder.STARTED_AT_DESC: Order("STARTED_AT_DESC", "started_epoch", descending=True),
    CallOrder.STARTED_AT_ASC: Order("STARTED_AT_ASC", "started_epoch"),
    TicketOrder.CREATED_AT_DESC: Order("CREATED_AT_DESC", "created_at", descending=True),
    TicketOrder.CREATED_AT_ASC: Order("CREATED_AT_ASC", "created_at"),
    TicketOrder.UPDATED_AT_DESC: Order("UPDATED_AT_DESC", "updated_at", descending=True),
    SessionOrder.STARTED_AT_DESC: Order("STARTED_AT_DESC", "started_at", descending=True),
    SessionOrder.STARTED_AT_ASC: Order("STARTED_AT_ASC", "started_at"),
}
