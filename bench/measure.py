"""Helpers shared by graphql_overhead.py and lists.py: a GraphQL client for the set-up, one
timed load run with the server process's CPU time over the timed window, and table rows."""

from __future__ import annotations

import asyncio
import json
import subprocess
from dataclasses import dataclass
from typing import Any

import httpx

from bench import loadgen
from bench.servers import cpu_seconds, port_of

HOST = "127.0.0.1"
LOGIN = """mutation($account: String!, $password: String!) {
  login(account: $account, password: $password) { token } }"""
CREATE_AGENT = """mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }"""
ACTIVATE = """mutation($account: String!, $password: String!) {
  activateAccount(account: $account, password: $password) { token account { id } } }"""


class GraphQL:
    """A small synchronous GraphQL client for the set-up steps (not timed)."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.client = httpx.Client(base_url=f"http://{HOST}:{port}", timeout=120)
        self.token = token

    def __call__(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        answer = self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        ).json()
        if answer.get("errors"):
            raise SystemExit(f"GraphQL set-up step failed: {answer['errors']}\n{query}")
        return answer["data"]

    def login(self, account: str, password: str) -> str:
        self.token = self(LOGIN, {"account": account, "password": password})["login"]["token"]
        return self.token

    def close(self) -> None:
        self.client.close()


def create_agent(admin: GraphQL, account: str, password: str, **extra: str) -> str:
    """An AGENT account made with createAccount and activated by its owner; returns a token."""
    admin(
        CREATE_AGENT,
        {
            "input": {
                "account": account,
                "displayName": extra.get("display_name", account),
                "role": "AGENT",
                "password": password,
                **({"email": extra["email"]} if "email" in extra else {}),
            }
        },
    )
    owner = GraphQL(admin.port)
    try:
        return owner(ACTIVATE, {"account": account, "password": password})["activateAccount"][
            "token"
        ]
    finally:
        owner.close()


def post_body(query: str) -> bytes:
    """The POST /graphql body every server gets: the same bytes for deskql and its references."""
    return json.dumps({"query": query}).encode()


def post(port: int, path: str, body: bytes, token: str | None = None) -> bytes:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(f"http://{HOST}:{port}{path}", content=body, headers=headers).content


def request_bytes(port: int, path: str, body: bytes, token: str | None = None) -> bytes:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return loadgen.build_request("POST", path, host=f"{HOST}:{port}", body=body, headers=headers)


@dataclass
class Measured:
    result: loadgen.Result
    cpu_us: float  # the server process's user+system CPU per completed request, µs

    @property
    def rps(self) -> float:
        return self.result.rps

    @property
    def p50(self) -> float:
        return self.result.percentile(0.5)

    def cells(self) -> str:
        bad = {k: v for k, v in self.result.statuses.items() if k != 200}
        return f"{self.rps:>9.0f} {self.p50:>8.2f} {self.cpu_us:>9.0f}" + (
            f"   NON-200: {bad}" if bad else ""
        )


HEADER = f"{'req/s':>9} {'p50 ms':>8} {'CPU µs/req':>9}"


def measure(
    name: str,
    proc: subprocess.Popen,
    path: str,
    body: bytes,
    *,
    token: str | None = None,
    seconds: float,
    concurrency: int,
) -> Measured:
    """Closed-loop load on one server process; its CPU time is read around the timed window."""
    port = port_of(proc)
    cpu: list[float] = []

    def on_start() -> None:
        cpu.append(cpu_seconds(proc.pid))

    result = asyncio.run(
        loadgen.run(
            name,
            HOST,
            port,
            request_bytes(port, path, body, token),
            seconds=seconds,
            concurrency=concurrency,
            on_start=on_start,
        )
    )
    used = cpu_seconds(proc.pid) - cpu[0]
    return Measured(result, used / max(1, result.requests) * 1e6)
