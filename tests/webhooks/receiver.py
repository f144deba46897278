"""A real HTTP server on loopback that receives webhooks, for the tests and the benchmark: it
records every request (headers, body, arrival time) and answers as the test says — 2xx, an
error, a redirect, or not at all within the sender's timeout."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.time() on arrival
    status: int = 0  # what the receiver answered

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (longer than the sender's timeout: a timeout)


Behaviour = Callable[[Received], Answer]


class Receiver:
    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour: Behaviour = behaviour or (lambda request: Answer())
        self.received: list[Received] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # answers in one go, not after a delayed ACK

            def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
                length = int(self.headers.get("content-length") or 0)
                request = Received(
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length),
                    at=time.time(),
                )
                answer = receiver.behaviour(request)
                request.status = answer.status
                with receiver._lock:
                    receiver.received.append(request)
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:  # the sender gave up waiting
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a sender that died mid-request (the SIGKILL tests) is no news

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def requests(self, path: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self.received if path is None or r.path == path]

    def acknowledged(self, path: str | None = None) -> list[Received]:
        return [r for r in self.requests(path) if 200 <= r.status < 300]

    def clear(self) -> None:
        with self._lock:
            self.received.clear()


def readme_verifier() -> Callable[..., bool]:
    """The signature check the README gives receivers, taken from the README itself (the
    Python block after the ``<!-- verify-webhook -->`` marker) and run as written."""
    text = README.read_text()
    found = re.search(r"<!-- verify-webhook -->\s*```python\n(.*?)```", text, re.S)
    assert found, "README.md lacks the <!-- verify-webhook --> snippet"
    namespace: dict = {}
    exec(compile(found.group(1), "README.md#verify-webhook", "exec"), namespace)
    return namespace["verify"]
