"""Tickets (R-CC-2): statuses and their transitions, comments and internal notes, custom
fields, merging, and who sees which."""
