"""Outgoing HTTP that cannot be aimed at deskql's own network (SSRF).

A target URL must be http or https, with a host and no credentials in it. The host is resolved
and every address it resolves to must be a public one — loopback, private, link-local (the cloud
metadata address 169.254.169.254 among them), multicast, reserved and unspecified addresses are
refused, IPv4-mapped IPv6 addresses (``::ffff:127.0.0.1``) included. This is checked when the
URL is registered and again at every connection, and the connection goes to the address that
was checked (so a DNS answer that changes in between cannot redirect it); redirects are never
followed. https is verified against the system's CA store. ``allow_private`` (the setting
DESKQL_WEBHOOK_ALLOW_PRIVATE, for development and tests) lets loopback and private addresses
through, never link-local, multicast or unspecified ones.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

MAX_URL = 2000


class UnsafeTarget(Exception):
    """The URL may not be called; the message says why."""


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    path: str  # path and query
    addresses: tuple[str, ...]  # the checked IP addresses, tried in order

    @property
    def address(self) -> str:
        return self.addresses[0]


def _shape(url: str) -> tuple[str, str, int, str]:
    if not isinstance(url, str) or not url or len(url) > MAX_URL:
        raise UnsafeTarget(f"A URL is 1-{MAX_URL} characters.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UnsafeTarget("This is not a URL.") from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeTarget("Only http and https URLs can be called.")
    if not parts.hostname:
        raise UnsafeTarget("The URL has no host.")
    if parts.username or parts.password:
        raise UnsafeTarget("Credentials do not belong in the URL.")
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def address_allowed(address: str, *, allow_private: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_multicast or ip.is_unspecified or ip.is_link_local:
        return False
    if allow_private and (ip.is_loopback or ip.is_private):
        return True
    return ip.is_global


async def _addresses(host: str, port: int) -> list[str]:
    try:
        ipaddress.ip_address(host)
        return [host]
    except ValueError:
        pass
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise UnsafeTarget(f"The host {host!r} does not resolve.") from None
    return list(dict.fromkeys(str(info[4][0]) for info in found))


async def check(url: str, *, allow_private: bool) -> Target:
    """The target, with the address to connect to; UnsafeTarget when it may not be called."""
    scheme, host, port, path = _shape(url)
    addresses = await _addresses(host, port)
    refused = [a for a in addresses if not address_allowed(a, allow_private=allow_private)]
    if refused or not addresses:
        raise UnsafeTarget(
            f"{host} resolves to an address deskql does not call ({refused[0] if refused else '-'}"
            "): loopback, private, link-local and metadata addresses are refused."
        )
    return Target(
        url=url, scheme=scheme, host=host, port=port, path=path, addresses=tuple(addresses)
    )


def client(timeout: float) -> httpx.AsyncClient:
    """The HTTP client deliveries use: no redirects, the system's CA store."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        verify=ssl.create_default_context(),
        trust_env=False,  # no proxy from the environment: the address checked is the one used
    )


def _addressed(target: Target) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """(URL, headers, extensions) per checked address: the address in the URL, the host named in
    the Host header and the TLS server name."""
    default = (target.scheme, target.port) in (("http", 80), ("https", 443))
    host_header = target.host if default else f"{target.host}:{target.port}"
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    found = []
    for address in target.addresses:
        literal = f"[{address}]" if ":" in address else address
        url = f"{target.scheme}://{literal}:{target.port}{target.path}"
        found.append((url, {"Host": host_header}, extensions))
    return found


async def post(
    http: httpx.AsyncClient, target: Target, body: bytes, headers: dict[str, str]
) -> httpx.Response:
    """POST to a checked address, naming the host (Host header, TLS server name): the next
    address when one cannot be connected to (a name with IPv6 and IPv4 addresses)."""
    tries = _addressed(target)
    for index, (url, host, extensions) in enumerate(tries):
        try:
            return await http.post(
                url, content=body, headers={**headers, **host}, extensions=extensions
            )
        except httpx.ConnectError:
            if index == len(tries) - 1:
                raise
    raise AssertionError("a target has at least one address")


async def get(http: httpx.AsyncClient, target: Target, *, limit: int) -> httpx.Response:
    """GET a checked address (as :func:`post` does), refusing a body over ``limit`` bytes."""
    tries = _addressed(target)
    for index, (url, host, extensions) in enumerate(tries):
        try:
            request = http.build_request("GET", url, headers=host, extensions=extensions)
            response = await http.send(request, stream=True)
        except httpx.ConnectError:
            if index == len(tries) - 1:
                raise
            continue
        try:
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > limit:
                    raise ValueError(f"the file is over {limit} bytes")
        finally:
            await response.aclose()
        return httpx.Response(response.status_code, headers=response.headers, content=bytes(body))
    raise AssertionError("a target has at least one address")
