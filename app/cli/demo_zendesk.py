"""`deskql demo`'s Zendesk: unless a real one is configured (DESKQL_ZENDESK_URL or _SUBDOMAIN),
the demo starts the fake Zendesk (`deskql zendesk-fake`) beside it and points the sync at it,
so the demo's calls, chats and tickets show up there (browse http://127.0.0.1:PORT/api/v2/
tickets.json with the printed e-mail/token as Basic auth, like any Zendesk)."""

from __future__ import annotations

import atexit
import os
import secrets
import socket
import subprocess
import sys
import time

EMAIL = "demo@example.com"


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise OSError("no free port")


def start(deskql_url: str, preferred_port: int = 8790) -> str | None:
    """Start the fake and set the environment the server reads; its URL, or None when a real
    Zendesk is configured."""
    if os.environ.get("DESKQL_ZENDESK_URL") or os.environ.get("DESKQL_ZENDESK_SUBDOMAIN"):
        return None
    token = secrets.token_urlsafe(12)
    # Changes made in the fake (a ticket solved there) come back through deskql's webhook.
    secret = os.environ.setdefault("DESKQL_ZENDESK_WEBHOOK_SECRET", secrets.token_urlsafe(24))
    url = None
    for candidate in (preferred_port, 0):  # the preferred port may be taken meanwhile: retry
        url = _start(_free_port(candidate), token, secret, deskql_url)
        if url is not None:
            break
    if url is None:
        print("  zendesk:     the fake Zendesk did not start; the demo runs without it")
        return None
    os.environ.update(
        DESKQL_ZENDESK_URL=url, DESKQL_ZENDESK_EMAIL=EMAIL, DESKQL_ZENDESK_API_TOKEN=token
    )
    print(f"  zendesk:     fake Zendesk on {url}  (API user {EMAIL}, token {token!r})")
    return url


def fake_argv(port: int, token: str, secret: str, deskql_url: str) -> list[str]:
    """The fake's command line. --name=value: a random token or secret may begin with "-",
    which argparse would take for an option of its own (the fake then refused to start, about
    one demo in 30)."""
    return [sys.executable, "-m", "app.cli", "zendesk-fake", "--port", str(port),
            f"--email={EMAIL}", f"--token={token}",
            f"--webhook-url={deskql_url}/zendesk/webhook", f"--webhook-secret={secret}",
            "--parent-pid", str(os.getpid())]  # fmt: skip


def _start(port: int, token: str, secret: str, deskql_url: str) -> str | None:
    """The fake on this port, its URL once it answers; None when it exited or took 30 s."""
    argv = fake_argv(port, token, secret, deskql_url)
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    atexit.register(process.terminate)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.terminate()
                return None
            time.sleep(0.1)
