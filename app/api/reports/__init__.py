"""GraphQL adapter of app.reports."""
