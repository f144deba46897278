"""GraphQL adapter of app.directory."""
