"""GraphQL adapter of app.workforce."""
