"""GraphQL for webhook endpoints and their deliveries (R-WH-1)."""
