"""Routing of chat sessions and calls to reception groups (R-CC-8, R-CC-9)."""
