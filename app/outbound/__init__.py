"""The agent's outbound-call flows (R-OUT-1..3): settings, the options the agent adapter shows,
and starting a call with its ticket."""
