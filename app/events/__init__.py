"""The domain event log: every accepted change, in commit order, with who caused it and how;
named consumers read it with their own cursors (app/events/consumers.py)."""
