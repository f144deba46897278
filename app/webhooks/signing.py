"""Signatures per Standard Webhooks (standardwebhooks.com): headers ``webhook-id``,
``webhook-timestamp`` (Unix seconds) and ``webhook-signature``: ``v1,<base64 HMAC-SHA256 of
"{id}.{timestamp}.{body}">``, the key being the base64 part of the ``whsec_`` secret. While a
rotated-out secret still counts (24 h), both signatures are sent, space separated."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(
    secrets_in_use: list[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, message_id, timestamp, body) for secret in secrets_in_use
        ),
        "content-type": "application/json",
        "user-agent": "deskql-webhooks/1",
    }
