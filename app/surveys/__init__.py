"""Satisfaction: five-level ratings of chat sessions and calls (R-SAT-1) and ticket
satisfaction surveys sent when a ticket is solved (R-SAT-2)."""
