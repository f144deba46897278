"""The benchmark's webhook receiver: a raw ASGI app (no framework) under uvicorn, recording when
each message arrived. POST /ok/... answers 200, POST /fail/... answers 500. GET /receipts gives
the receipts as JSON and forgets them.

A receipt: [path prefix, webhook-id, type, main call id, record call id, arrival (time.time())].
"""

from __future__ import annotations

import json
import time

RECEIPTS: list[list] = []


async def app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    arrived = time.time()
    path = scope["path"]
    if scope["method"] == "GET" and path == "/receipts":
        answer, status = json.dumps(RECEIPTS).encode(), 200
        RECEIPTS.clear()
    elif scope["method"] == "GET":
        answer, status = b"ok", 200
    else:
        kind = path.strip("/").split("/", 1)[0]
        status = 500 if kind == "fail" else 200
        headers = dict(scope["headers"])
        message_id = headers.get(b"webhook-id", b"").decode()
        if message_id:
            data = json.loads(body)
            RECEIPTS.append(
                [
                    kind,
                    message_id,
                    data["type"],
                    data["data"].get("mainCallId"),
                    data["data"].get("callId"),
                    arrived,
                ]
            )
        answer = b"ok" if status == 200 else b"down"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain"),
                (b"content-length", str(len(answer)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": answer})
