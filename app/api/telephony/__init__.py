"""GraphQL adapter of app.telephony."""
