"""GraphQL adapter of app.chat."""
