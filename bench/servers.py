"""Start deskql and the raw baseline as real uvicorn processes on loopback (one worker each)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def deskql_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKQL_")}
    env.update(
        DESKQL_DATABASE_URL=database_url,
        DESKQL_VAR_DIR=str(var_dir),
        DESKQL_LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def deskql(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"deskql {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def process(argv: list[str], env: dict[str, str], port: int, health_path: str):
    with started(argv, env, port, health_path):
        yield port


@contextlib.contextmanager
def started(
    argv: list[str], env: dict[str, str], port: int, health_path: str
) -> Iterator[subprocess.Popen]:
    """Like process(), yielding the Popen: its pid is the server process (no supervisor)."""
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}{health_path}", timeout=1)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"server did not start: {proc.stderr.read()}") from None
                time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()


def deskql_server(env: dict[str, str]):
    port = free_port()
    return process(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env, port, "/healthz"
    )


def raw_server(body_file: Path, content_type: str = "application/json"):
    port = free_port()
    env = dict(
        os.environ,
        BENCH_BODY_FILE=str(body_file),
        BENCH_CONTENT_TYPE=content_type,
        PYTHONPATH=str(ROOT),
    )
    return process(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.raw_app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env,
        port,
        "/",
    )


def deskql_process(env: dict[str, str]) -> contextlib.AbstractContextManager[subprocess.Popen]:
    """deskql_server(), yielding the Popen (its port is in ``proc.args``: see port_of)."""
    port = free_port()
    return started(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env, port, "/healthz"
    )


def uvicorn_process(
    app_ref: str, extra_env: dict[str, str], health_path: str = "/"
) -> contextlib.AbstractContextManager[subprocess.Popen]:
    """A bench ASGI app (``bench.module:app``) under uvicorn, one worker, like raw_server()."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), **extra_env)
    argv = [sys.executable, "-m", "uvicorn", app_ref, "--port", str(port), "--log-level", "warning"]
    return started(argv, env, port, health_path)


def port_of(proc: subprocess.Popen) -> int:
    """The --port a process from deskql_process()/uvicorn_process() listens on."""
    argv = list(proc.args)  # type: ignore[arg-type]
    return int(str(argv[argv.index("--port") + 1]))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat utime + stime)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": field 3 is fields[0]
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_parser(doc: str | None):
    """The options every load bench takes; add your own, then parse_args()."""
    import argparse

    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    return parser


def bench_arguments(doc: str):
    import argparse

    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    return parser.parse_args()


def prepared_database(args) -> tuple[str, dict[str, str], Path]:
    """Migrate the bench database and create the `bench` super admin (password bench-password)."""
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="deskql-bench-"))
    url = args.database_url or f"sqlite://{tmp}/bench.sqlite3"
    env = deskql_env(url, tmp)
    deskql("migrate", env=env)
    deskql("create-admin", "--account", "bench", "--password", "bench-password", env=env)
    return url, env, tmp
