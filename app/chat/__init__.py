"""Chat sessions (R-CC-6) with their transfer history, live session events, and service
summaries (R-CC-7)."""
