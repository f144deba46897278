"""A small closed-loop HTTP/1.1 load generator (keep-alive connections, one process).

Deliberately minimal so the client costs little CPU next to the server on a 2-core machine;
every compared endpoint is driven by the same client in the same run, so ratios are fair.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def row(self) -> str:
        return (
            f"{self.name:<34} {self.rps:>9.0f} req/s   p50 {self.percentile(0.50):6.2f} ms"
            f"   p99 {self.percentile(0.99):6.2f} ms   statuses {self.statuses}"
        )


def build_request(
    method: str, path: str, *, host: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    for key, value in (headers or {}).items():
        lines.append(f"{key}: {value}")
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def run(
    name: str,
    host: str,
    port: int,
    request: bytes,
    *,
    seconds: float = 5.0,
    concurrency: int = 16,
    warmup: float = 1.0,
    on_start: Callable[[], None] | None = None,
) -> Result:
    """``on_start`` (optional) is called between the warm-up and the timed window, when no
    request is in flight (e.g. to read the server's CPU time)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    stop_at = 0.0
    measuring = False

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                writer.write(request)
                status = await _read_response(reader)
                if measuring:
                    latencies.append((time.perf_counter() - started) * 1000)
                    statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    stop_at = time.perf_counter() + warmup
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    if on_start is not None:
        on_start()
    measuring = True
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return Result(name, len(latencies), elapsed, latencies, statuses)


def median(values: list[float]) -> float:
    return statistics.median(values)
