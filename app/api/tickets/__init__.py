"""GraphQL adapter of app.tickets."""
