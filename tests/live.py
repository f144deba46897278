"""Fresh databases and real server processes for tests that need them."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

from app.db import is_sqlite

ROOT = Path(__file__).resolve().parent.parent


def cli_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKQL_")}
    env.update(
        DESKQL_DATABASE_URL=database_url, DESKQL_VAR_DIR=str(var_dir),
        DESKQL_ARGON2_TIME_COST="1", DESKQL_ARGON2_MEMORY_KIB="1024", DESKQL_LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def deskql(*args: str, env: dict[str, str], input: str | None = None,
           timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env, input=input,
        capture_output=True, text=True, timeout=timeout,
    )


def _pg_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


@contextlib.asynccontextmanager
async def fresh_database(template_url: str, tmp_path: Path):
    """An empty database of the same kind as ``template_url``; dropped afterwards."""
    if is_sqlite(template_url):
        yield f"sqlite://{tmp_path}/fresh.sqlite3"
        return
    name = f"deskql_fresh_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(_pg_url(template_url, "postgres").replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield _pg_url(template_url, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def table_columns(database_url: str) -> dict[str, set[str]]:
    if is_sqlite(database_url):
        path = database_url.removeprefix("sqlite://")
        with contextlib.closing(sqlite3.connect(path)) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            return {t: {r[1] for r in db.execute(f'PRAGMA table_info("{t}")')} for t in tables}
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        rows = await conn.fetch(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public'"
        )
    finally:
        await conn.close()
    result: dict[str, set[str]] = {}
    for row in rows:
        result.setdefault(row["table_name"], set()).add(row["column_name"])
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server_process(env: dict[str, str], port: int):
    """`deskql serve` in its own process; yields the base URL once /healthz answers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{proc.stdout.read()}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
