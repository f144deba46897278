"""Quality-check results of chat sessions and calls (R-QC-1, R-QC-2)."""
