"""Agent status intervals between login and logout (idle, busy, after-call work, break): what
the agent work-status report measures time against (R-RPT-2)."""
