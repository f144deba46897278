"""Durable delivery to systems outside deskql (customer webhooks, Zendesk): the clock the
schedules run on, retry schedules with jitter, and outgoing HTTP that cannot be pointed at
deskql's own network."""
