"""GraphQL adapter of app.surveys."""
