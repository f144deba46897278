"""Where a ticket, a chat session or a rating came from: shared by tickets, chat and surveys."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """Where a ticket, session or rating came from."""

    PHONE = "PHONE"
    EMAIL = "EMAIL"
    SDK = "SDK"
    WEB = "WEB"
    H5 = "H5"
    WECHAT = "WECHAT"
    WECHAT_OA = "WECHAT_OA"  # the WeChat official account
    MINI_PROGRAM = "MINI_PROGRAM"
    API = "API"
