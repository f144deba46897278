"""GraphQL adapter of app.events."""
