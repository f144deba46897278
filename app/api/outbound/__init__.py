"""GraphQL of the agent's outbound-call flows (R-OUT-1..3)."""
