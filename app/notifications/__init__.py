"""Ticket reminders to agents (R-OPS-1: email, popup, sound), the durable email outbox they
use, and email triggers (R-OPS-2)."""
