"""Call-event push to customer systems (R-WH-1): endpoints admins register, signed per Standard
Webhooks, delivered at least once and in order per call, retried for about a day, every attempt
recorded."""
