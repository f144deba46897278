"""Routing decisions per second (R-CC-8, R-CC-9): 200 smart routing rules and 20 reception groups.

    .venv/bin/python bench/routing.py [--postgres] [--seconds 5] [--concurrency 16]

In-process: the decision itself (app/routing/router.py first_match over the compiled rules,
then app/routing/capacity.py decide over the rule's groups) for random sessions, timed one by one
(decisions/s and the p95 of one decision). Each rule's mandatory menu condition holds for one
session in ten, so a decision scans several rules before one matches (the share of sessions
matching some rule is printed). Target: >= 2 000 decisions/s in-process, so routing is never what holds a session back.

Through the API: a real `deskql serve` (one uvicorn worker) with the same rules and groups
made through GraphQL, 60 agents online; routeSession sent by the closed-loop client
(bench/loadgen.py), each request a session facing the rules. Reads the state and stores the
decision in one transaction per request, so this is the figure a chat system sees (req/s, p50,
p95, the server's CPU per decision). The statement count per decision is in the README.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.routing import conditions as cond  # noqa: E402
from app.routing.capacity import GroupState, Member, decide  # noqa: E402
from app.routing.router import CompiledRule, first_match  # noqa: E402
from bench.listdata import throwaway_postgres  # noqa: E402
from bench.measure import GraphQL, create_agent, measure  # noqa: E402
from bench.servers import deskql, deskql_env, deskql_process, port_of  # noqa: E402

RULES, GROUPS, AGENTS = 200, 20, 60
CHANNELS = ["SDK", "WEB", "H5", "WECHAT", "MINI_PROGRAM", "EMAIL"]
MENUS = [f"menu-{i}" for i in range(40)]
LANGUAGES = ["zh-CN", "zh-TW", "en", "ja", "ko"]
TAGS = [f"tag-{i}" for i in range(30)]


def rule_conditions(rnd: random.Random) -> dict:
    """Conditions as the API takes them: a menu choice most sessions do not make, AND-ed with
    a channel set, plus OR-ed language / VIP / tag conditions."""
    return {
        "all": [
            {"field": "MENU", "operator": "IN", "values": rnd.sample(MENUS, 4)},
            {"field": "CHANNEL", "operator": "IN", "values": rnd.sample(CHANNELS, 3)},
        ],
        "any": [
            {"field": "LANGUAGE", "operator": "STARTS_WITH", "values": [rnd.choice(LANGUAGES)[:2]]},
            {"field": "VIP", "operator": "EQUALS", "values": ["true"]},
            {"field": "TAGS", "operator": "IN", "values": rnd.sample(TAGS, 3)},
        ],
    }


def facts(rnd: random.Random, at: datetime) -> dict:
    return {
        "channel": rnd.choice(CHANNELS),
        "menu": rnd.choice(MENUS),
        "language": rnd.choice(LANGUAGES),
        "vip": rnd.random() < 0.1,
        "tags": rnd.sample(TAGS, 2),
        "customerFields": [{"name": "plan", "value": rnd.choice(["gold", "basic"])}],
        "at": at.isoformat(),
    }


def _condition(c: dict) -> cond.Condition:
    return cond.Condition(cond.Field(c["field"]), cond.Operator(c["operator"]), tuple(c["values"]))


def in_process(seconds: float) -> tuple[float, float, float]:
    rnd = random.Random(2026)
    zone = ZoneInfo("Asia/Shanghai")
    at = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    groups = [
        GroupState(g, f"group {g}", zone,
                   members=tuple(Member(a, rnd.random() < 0.7, 3, rnd.randint(0, 3))
                                 for a in range(g * 3, g * 3 + 3)),
                   waiting=rnd.randint(0, 5), max_queue_length=10)
        for g in range(GROUPS)
    ]  # fmt: skip
    rules = []
    for r in range(RULES):
        data = rule_conditions(rnd)
        conditions = cond.validate(cond.Conditions(
            all=tuple(_condition(c) for c in data["all"]),
            any=tuple(_condition(c) for c in data["any"])))  # fmt: skip
        rules.append(CompiledRule(r, f"rule {r}", cond.compile_conditions(conditions, zone),
                                  tuple(rnd.sample(range(GROUPS), 3)), None))  # fmt: skip
    sessions = []
    for _ in range(2_000):
        f = facts(rnd, at)
        sessions.append(cond.Facts(channel=f["channel"], menu=f["menu"], language=f["language"],
                                   vip=f["vip"], tags=frozenset(f["tags"]),
                                   customer={"plan": "gold"}, at=at))  # fmt: skip
    timings: list[float] = []
    matched = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for session in sessions:
            started = time.perf_counter()
            rule = first_match(rules, session)
            levels = [groups[g] for g in rule.group_ids] if rule else groups[:1]
            decide(levels, at)
            timings.append(time.perf_counter() - started)
            matched += rule is not None
    total = sum(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    return len(timings) / total, p95 * 1e6, matched / len(timings)


def through_api(url: str | None, tmp: Path, seconds: float, concurrency: int) -> str:
    env = deskql_env(url or f"sqlite://{tmp}/routing.sqlite3", tmp)
    deskql("migrate", env=env)
    deskql("create-admin", "--account", "bench", "--password", "bench-password", env=env)
    rnd = random.Random(7)
    with deskql_process(env) as proc:
        admin = GraphQL(port_of(proc))
        admin.login("bench", "bench-password")
        tokens = [create_agent(admin, f"router{a:02d}", "router-password") for a in range(AGENTS)]
        pbx = create_agent(admin, "pbx", "router-password")
        made = admin("""mutation { createPermissionGroup(name: "integration",
                        permissions: ["integration.write"]) { id } }""")
        pbx_id = GraphQL(admin.port, pbx)("{ me { id } }")["me"]["id"]
        admin(
            """mutation($a: ID!, $g: ID!) { assignPermissionGroup(accountId: $a, groupId: $g)
                 { id } }""",
            {"a": pbx_id, "g": made["createPermissionGroup"]["id"]},
        )
        group_ids = []
        for g in range(GROUPS):
            made = admin(
                """mutation($i: ReceptionGroupInput!) { createReceptionGroup(input: $i)
                            { id } }""",
                {"i": {"name": f"group {g}", "maxQueueLength": 10}},
            )
            gid = made["createReceptionGroup"]["id"]
            group_ids.append(gid)
            members = [
                {"account": f"router{a:02d}", "maxSessions": 50} for a in range(g * 3, g * 3 + 3)
            ]
            admin("""mutation($id: ID!, $m: [GroupMemberInput!]!) {
                     setReceptionGroupMembers(id: $id, members: $m) { id } }""",
                  {"id": gid, "m": members})  # fmt: skip
        for r in range(RULES):
            admin("""mutation($i: RoutingRuleInput!) { createRoutingRule(input: $i) { id } }""",
                  {"i": {"name": f"rule {r}", "priority": rnd.randint(0, 1000),
                         "groupIds": rnd.sample(group_ids, 3), **rule_conditions(rnd)}})  # fmt: skip
        for token in tokens:
            GraphQL(admin.port, token)("""mutation { setAgentPresence(state: ONLINE) { state } }""")
        document = (ROOT_DOC := (Path(__file__).resolve().parent.parent / "graphql" / "operations"
                                 / "integration" / "RouteSession.graphql").read_text())  # fmt: skip
        variables = {"input": {"sessionId": "bench-session",
                               **facts(rnd, datetime.now(UTC))}}  # fmt: skip
        variables["input"].pop("at")
        body = json.dumps({"query": document, "variables": variables}).encode()
        check = GraphQL(admin.port, pbx)(ROOT_DOC, variables)
        outcome = check["routeSession"]["outcome"]
        admin.close()
        got = measure("routeSession", proc, "/graphql", body, token=pbx, seconds=seconds,
                      concurrency=concurrency)  # fmt: skip
        p95 = got.result.percentile(0.95)
        return (f"routeSession ({'PostgreSQL' if url else 'SQLite'}): {got.rps:.0f} decisions/s, "
                f"p50 {got.p50:.2f} ms, p95 {p95:.2f} ms, {got.cpu_us:.0f} µs CPU per decision "
                f"(concurrency {concurrency}; sample outcome {outcome}; statuses "
                f"{got.result.statuses})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    rate, p95, matched = in_process(args.seconds)
    verdict = "met" if rate >= 2_000 else "NOT met"
    print(f"in-process: {rate:,.0f} decisions/s, p95 {p95:.0f} µs per decision "
          f"({RULES} rules, {GROUPS} groups; {matched:.0%} of sessions matched a rule); "
          f"target >= 2,000/s {verdict}")  # fmt: skip
    with contextlib.ExitStack() as stack:
        tmp = Path(tempfile.mkdtemp(prefix="deskql-bench-routing-"))
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        url = stack.enter_context(throwaway_postgres()) if args.postgres else None
        print(through_api(url, tmp, args.seconds, args.concurrency))


if __name__ == "__main__":
    main()
