"""GraphQL adapter of app.qc."""
