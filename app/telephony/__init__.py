"""Call records (R-CC-3..5): one main record per call plus one sub record per leg, their
validation and bulk import, live call events, and who sees which."""
