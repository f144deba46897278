"""The `deskql` command, run as a user would run it."""

from __future__ import annotations

import contextlib
import re
import socket
import sqlite3
import subprocess
import sys
import time

import httpx

from tests.support import ROOT, cli_env, deskql, free_port


def test_create_admin_makes_an_active_super_admin(tmp_path):
    env = cli_env(f"sqlite://{tmp_path}/cli.sqlite3", tmp_path)
    assert deskql("migrate", env=env).returncode == 0

    created = deskql("create-admin", "--account", "Root", "--password", "root-password", env=env)
    again = deskql("create-admin", "--account", "root", "--password", "root-password", env=env)

    assert created.returncode == 0, created.stderr
    assert again.returncode != 0
    assert "already exists" in again.stderr
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        row = db.execute("SELECT account, role, status, password_hash FROM account").fetchone()
    assert row[:3] == ("root", "SUPER_ADMIN", "ACTIVE")
    assert row[3].startswith("$argon2id$")


def test_create_admin_prompts_for_the_password_when_none_is_given(tmp_path):
    env = cli_env(f"sqlite://{tmp_path}/cli.sqlite3", tmp_path)
    deskql("migrate", env=env)

    result = deskql(
        "create-admin", "--account", "root", env=env, input="root-password\nroot-password\n"
    )

    assert result.returncode == 0, result.stderr


def test_create_admin_refuses_a_short_password(tmp_path):
    env = cli_env(f"sqlite://{tmp_path}/cli.sqlite3", tmp_path)
    deskql("migrate", env=env)

    result = deskql("create-admin", "--account", "root", "--password", "short", env=env)

    assert result.returncode != 0
    assert "8 to 256 characters" in result.stderr


def test_export_schema_writes_the_sdl(tmp_path):
    out = tmp_path / "schema.graphql"

    result = deskql("export-schema", "--out", str(out), env=cli_env("sqlite://:memory:", tmp_path))

    assert result.returncode == 0
    assert "type Query" in out.read_text()


def test_serve_refuses_production_without_a_secret_key(tmp_path):
    env = cli_env(f"sqlite://{tmp_path}/x.sqlite3", tmp_path, DESKQL_ENV="production")

    result = deskql("serve", env=env)

    assert result.returncode == 2
    assert "DESKQL_SECRET_KEY" in result.stderr


def test_demo_migrates_loads_data_serves_and_prints_working_credentials(tmp_path):
    port = free_port()
    env = cli_env(
        f"sqlite://{tmp_path}/demo.sqlite3",
        tmp_path,
        DESKQL_PUBLIC_URL=f"http://127.0.0.1:{port}",
        DESKQL_RUN_WORKERS="true",  # the Zendesk sync runs in the demo server
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = ""
        deadline = time.monotonic() + 120
        while "zendesk:" not in output and time.monotonic() < deadline:
            output += proc.stdout.readline()
        assert "fake Zendesk on" in output, output
        password = re.search(r"password '([^']+)'", output).group(1)
        assert f"http://127.0.0.1:{port}/graphql" in output
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        login = httpx.post(
            f"http://127.0.0.1:{port}/graphql",
            json={
                "query": 'mutation($p: String!) { login(account: "admin", password: $p) '
                "{ token account { role } } }",
                "variables": {"p": password},
            },
        ).json()
        token = login["data"]["login"]["token"]
        accounts = httpx.post(
            f"http://127.0.0.1:{port}/graphql",
            json={"query": "{ accounts { totalCount } }"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        center = httpx.post(
            f"http://127.0.0.1:{port}/graphql",
            json={"query": "{ helpCenter { categories { questions { h5Url } } } }"},
        ).json()
        h5 = httpx.get(center["data"]["helpCenter"]["categories"][0]["questions"][0]["h5Url"])
        # The demo syncs to a fake Zendesk it started: its tickets show up there.
        zendesk = re.search(r"fake Zendesk on (\S+)\s+\(API user (\S+), token '([^']+)'", output)
        assert zendesk is not None, output
        synced: list = []
        while not synced and time.monotonic() < deadline + 30:
            with contextlib.suppress(httpx.TransportError):
                synced = httpx.get(
                    f"{zendesk.group(1)}/api/v2/tickets.json",
                    auth=(f"{zendesk.group(2)}/token", zendesk.group(3)),
                ).json()["tickets"]
            time.sleep(0.5)
        today = time.strftime("%Y-%m-%d", time.gmtime())
        month_ago = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 31 * 86400))
        report = httpx.post(
            f"http://127.0.0.1:{port}/graphql",
            json={
                "query": "query($f: Date!, $t: Date!) { callReport(from: $f, to: $t) "
                "{ offeredCalls records } }",
                "variables": {"f": month_ago, "t": today},
            },
            headers={"Authorization": f"Bearer {token}"},
        ).json()
    finally:
        proc.kill()  # not even a chance to clean up: the fake must still not outlive it
        proc.wait(timeout=10)
        proc.stdout.close()
    fake_gone = False
    for _ in range(50):
        try:
            httpx.get(f"{zendesk.group(1)}/api/v2/tickets.json", timeout=0.5)
        except httpx.TransportError:
            fake_gone = True
            break
        time.sleep(0.1)
    assert fake_gone, "the demo's fake Zendesk outlived the demo"

    assert login["data"]["login"]["account"]["role"] == "SUPER_ADMIN"
    # 5 demo accounts and the 200 generated agents of the demo calls
    assert accounts["data"]["accounts"]["totalCount"] == 205
    assert report["data"]["callReport"][0]["records"] == 20_000
    assert [len(c["questions"]) for c in center["data"]["helpCenter"]["categories"]] == [2, 2]
    assert h5.status_code == 200
    assert synced and all(t["external_id"].startswith("deskql-ticket-") for t in synced)


def test_demo_says_how_to_choose_another_port_when_its_port_is_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = cli_env(f"sqlite://{tmp_path}/demo.sqlite3", tmp_path)

        result = deskql("demo", "--port", str(port), env=env, timeout=60)

    assert result.returncode == 2
    assert f"port {port}" in result.stderr and f"--port {port + 1}" in result.stderr
    assert "password" not in result.stdout  # refused before any demo data or credentials
    assert not (tmp_path / "demo.sqlite3").exists()


def test_the_database_path_is_absolute_whatever_the_folder_a_command_runs_in(tmp_path):
    """By default the database lives in the project's var/ (or DESKQL_VAR_DIR), not in
    whatever folder the command happens to run in; a relative path someone sets is resolved
    once, against that folder, and the path is printed in full."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    base = {k: v for k, v in cli_env("unused", tmp_path).items() if k != "DESKQL_DATABASE_URL"}
    base["PYTHONPATH"] = str(ROOT)

    def migrate(**extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "app.cli", "migrate"],
            cwd=elsewhere,
            env={**base, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )

    default = migrate()
    relative = migrate(DESKQL_DATABASE_URL="sqlite://data/rel.sqlite3")

    assert default.returncode == 0, default.stderr
    assert f"migrating sqlite://{tmp_path}/deskql.sqlite3" in default.stdout
    assert not list(elsewhere.glob("*.sqlite3"))
    assert relative.returncode == 0, relative.stderr
    assert f"migrating sqlite://{elsewhere}/data/rel.sqlite3" in relative.stdout


def test_the_demos_fake_zendesk_takes_a_secret_or_token_that_begins_with_a_dash():
    """A random token_urlsafe may begin with "-": the demo's fake Zendesk once refused to start
    on such a secret (argparse took it for an option)."""
    from app.cli import _parser
    from app.cli.demo_zendesk import fake_argv

    argv = fake_argv(8790, "-tok", "-Secret_x", "http://127.0.0.1:8000")
    args = _parser().parse_args(argv[3:])
    assert (args.token, args.webhook_secret) == ("-tok", "-Secret_x")
