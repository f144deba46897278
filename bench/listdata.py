"""The data bench/lists.py reads, made only through deskql's own CLI and GraphQL API, and the
throw-away PostgreSQL cluster of `lists.py --postgres` (started like scripts/test.sh does).

Demo-sized, like `deskql demo` (app/cli/demo.py): 200 generated agents in 20 teams and ~20 000
call records over the last 30 days (`deskql generate-calls --create-agents`, then
`deskql import-calls`). The demo has two tickets and no chat sessions, so more are made here
through GraphQL: 200 contacts, 400 tickets with 0-4 comments each, 600 chat sessions (40 % with
one or two transfers), three permission groups granted to a third of the first accounts.

Agents agent001..agent012 are made first with createAccount and activated (so they can sign in
and have SIP extensions); the generator then skips them and assigns them their share of calls.
agent001 is the bench's agent: about 100 calls, 100 tickets and 50+ sessions are theirs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.measure import GraphQL, create_agent
from bench.servers import deskql, deskql_process, port_of

ACTIVE_AGENTS = 12
AGENT_PASSWORD = "bench-agent-password"
TICKETS = 400
CONTACTS = 200
SESSIONS = 600
ALIASES = 20  # deskql's limit of aliases per document


@dataclass
class Dataset:
    tokens: dict[str, str]  # "bench" and "agent" (agent001)
    agent_id: int
    calls: int


def agent_name(n: int) -> str:
    return f"agent{n:03d}"


def prepare(env: dict[str, str], tmp: Path, *, calls: int) -> Dataset:
    deskql("migrate", env=env)
    deskql("create-admin", "--account", "bench", "--password", "bench-password", env=env)
    with deskql_process(env) as proc:
        admin = GraphQL(port_of(proc))
        tokens = {"bench": admin.login("bench", "bench-password")}
        for n in range(1, ACTIVE_AGENTS + 1):
            token = create_agent(
                admin, agent_name(n), AGENT_PASSWORD, email=f"{agent_name(n)}@example.com"
            )
            tokens.setdefault("agent", token)
        _calls(env, tmp, calls)
        ids = _account_ids(admin)
        _extensions(admin, ids)
        contacts = _contacts(admin)
        _tickets(admin, contacts, ids)
        _sessions(admin)
        _groups(admin, ids)
        admin.close()
    return Dataset(tokens=tokens, agent_id=ids[agent_name(1)], calls=calls)


def _account_ids(admin: GraphQL) -> dict[str, int]:
    nodes = admin("{ accounts(first: 100) { nodes { id account } } }")["accounts"]["nodes"]
    return {node["account"]: int(node["id"]) for node in nodes}


def _calls(env: dict[str, str], tmp: Path, count: int) -> None:
    out = tmp / "calls.jsonl"
    start = (datetime.now(UTC) - timedelta(days=30)).date()
    deskql(
        "generate-calls", "--count", str(count), "--out", str(out), "--start", start.isoformat(),
        "--days", "30", "--seed", "2026", "--create-agents", env=env,
    )  # fmt: skip
    deskql("import-calls", str(out), env=env)


def _batched(admin: GraphQL, mutations: list[tuple[str, str]]) -> list[dict]:
    """Run (field call, selection) mutations, ALIASES per document; answers in order."""
    answers: list[dict] = []
    for offset in range(0, len(mutations), ALIASES):
        chunk = mutations[offset : offset + ALIASES]
        body = " ".join(f"m{i}: {call} {{ {sel} }}" for i, (call, sel) in enumerate(chunk))
        data = admin(f"mutation {{ {body} }}")
        answers.extend(data[f"m{i}"] for i in range(len(chunk)))
    return answers


def _q(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _extensions(admin: GraphQL, ids: dict[str, int]) -> None:
    _batched(
        admin,
        [
            (
                f'bindSipExtension(accountId: "{ids[agent_name(n)]}", extension: "{8000 + n}")',
                "phone",
            )
            for n in range(1, ACTIVE_AGENTS + 1)
        ],
    )


def _contacts(admin: GraphQL) -> list[int]:
    items = [
        {
            "name": f"Customer {n:03d}" if n % 3 else f"客户 {n:03d}",
            "phones": [f"+86139{n:08d}"],
            "email": f"customer{n:03d}@example.com",
            "externalId": f"crm-{n:05d}",
        }
        for n in range(1, CONTACTS + 1)
    ]
    admin(
        "mutation($c: [ContactInput!]!) { importContacts(contacts: $c) { created } }", {"c": items}
    )
    nodes = admin("{ contacts(first: 100) { nodes { id } } }")["contacts"]["nodes"]
    return [int(node["id"]) for node in nodes]


def _tickets(admin: GraphQL, contacts: list[int], ids: dict[str, int]) -> None:
    """Every fourth ticket is agent001's; the others go round the other active agents."""
    calls = []
    for n in range(1, TICKETS + 1):
        subject = f"Ticket {n}: printer on fire" if n % 2 else f"工单 {n}：无法登录"
        requester = contacts[n % len(contacts)]
        assignee = ids[agent_name(1 if n % 4 == 0 else 2 + n % (ACTIVE_AGENTS - 1))]
        calls.append(
            (
                f'createTicket(input: {{subject: {_q(subject)}, requesterId: "{requester}", '
                f'assigneeId: "{assignee}"}})',
                "id",
            )
        )
    made = _batched(admin, calls)
    comments = []
    for n, ticket in enumerate(made):
        for k in range(n % 5):
            body = _q(f"Comment {k} on ticket {ticket['id']}" if k % 2 else f"备注 {k}：已回电")
            public = "true" if k % 2 else "false"
            comments.append(
                (f'addTicketComment(id: "{ticket["id"]}", body: {body}, public: {public})', "id")
            )
    _batched(admin, comments)


def _sessions(admin: GraphQL) -> None:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)
    channels = ["WEB", "H5", "SDK", "WECHAT", "MINI_PROGRAM"]
    items = []
    for n in range(1, SESSIONS + 1):
        began = start + timedelta(seconds=n * 4231)
        agent = 1 if n % 10 == 0 else 2 + n % 60
        transfers = []
        for k in range(2 if n % 7 == 0 else 1 if n % 5 < 2 else 0):
            to = 1 if (n + k) % 9 == 0 else 2 + (n + 3 * k + 5) % 60
            transfers.append(
                {
                    "fromAgent": agent_name(agent),
                    "toAgent": agent_name(to),
                    "transferredAt": (began + timedelta(seconds=60 * (k + 1))).isoformat(),
                    "reason": None if k else f"skill needed ({n})",
                }
            )
            agent = to
        items.append(
            {
                "sessionId": f"S-{n:06d}",
                "channel": channels[n % len(channels)],
                "startedAt": began.isoformat(),
                "endedAt": (began + timedelta(minutes=9)).isoformat(),
                "agentAccount": agent_name(agent),
                "transfers": transfers,
            }
        )
    for offset in range(0, len(items), 200):
        admin(
            "mutation($s: [ChatSessionInput!]!) { importChatSessions(sessions: $s) { created } }",
            {"s": items[offset : offset + 200]},
        )


def _groups(admin: GraphQL, ids: dict[str, int]) -> None:
    """Three groups; every third of the first 60 accounts (not bench, not agent001) gets one or
    two of them."""
    made = _batched(
        admin,
        [
            (f"createPermissionGroup(name: {_q(name)}, permissions: {perms})", "id")
            for name, perms in (
                ("Quality reviewers", '["qc.view"]'),
                ("Contact editors", '["contacts.manage"]'),
                ("Integrations", '["integration.write"]'),
            )
        ],
    )
    groups = [g["id"] for g in made]
    skip = {ids["bench"], ids[agent_name(1)]}
    accounts = [i for i in sorted(ids.values())[:60] if i not in skip and i % 3 == 0]
    _batched(
        admin,
        [
            (f'assignPermissionGroup(accountId: "{account}", groupId: "{group}")', "id")
            for account in accounts
            for group in groups[: 1 + account % 2 + (account % 9 == 0)]
        ],
    )


# --- a throw-away PostgreSQL cluster, as scripts/test.sh starts one ---


def _pg_bin() -> Path:
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if all((folder / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise SystemExit("--postgres: no initdb/pg_ctl found (apt-get install postgresql)")


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """initdb into a temp dir (as the postgres user when root), pg_ctl on a free loopback
    port, createdb deskql_bench; yields its URL; stops the cluster and removes it at the end."""
    pg = _pg_bin()
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    tmp = Path(tempfile.mkdtemp(prefix="deskql-bench-pg-"))
    tmp.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp / "data"

    def run(*argv: str) -> None:
        done = subprocess.run([*run_as, *argv], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")

    try:
        run(str(pg / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8")  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        run(str(pg / "pg_ctl"), "-D", str(data), "-l", str(tmp / "server.log"), "-w",
            "-o", options, "start")  # fmt: skip
        run(str(pg / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
            "deskql_bench")  # fmt: skip
        yield f"postgres://postgres@127.0.0.1:{port}/deskql_bench"
    finally:
        subprocess.run(
            [*run_as, str(pg / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(tmp, ignore_errors=True)
