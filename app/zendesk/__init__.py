"""The Zendesk sync (issue 11): the client, the outbox and its worker, the rules of the
integration guide; and fake/, a local stand-in for the Zendesk Support API."""
