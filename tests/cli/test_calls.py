"""`deskql generate-calls` and `deskql import-calls`, run as a user would run them, on the suite's
database kind (a fresh database each)."""

from __future__ import annotations

import json
from collections import Counter

from app.cli import generate
from tests.support import DATABASE_URL, cli_env, deskql, fresh_database


def test_generated_calls_are_realistic_and_valid(tmp_path):
    out = tmp_path / "calls.jsonl"
    records = list(generate.generate(20_000, start=generate.date(2026, 1, 1), days=30, seed=7))
    mains = [r for r in records if r["id"] == r["mainCallId"]]
    with_legs = {r["mainCallId"] for r in records if r["id"] != r["mainCallId"]}
    assert 0.25 <= len(with_legs) / len(mains) <= 0.35  # ~30 % of calls have legs
    assert 0.65 <= sum(r["callType"] == "INBOUND" for r in mains) / len(mains) <= 0.75
    types = Counter(r["callType"] for r in records)
    assert set(types) == {
        "INBOUND",
        "OUTBOUND",
        "TRANSFER_CONSULT",
        "TRANSFER_AGENT",
        "TRANSFER_THIRD_PARTY",
        "CONSULT_AGENT",
        "CONSULT_THIRD_PARTY",
        "MONITOR",
        "BARGE_IN",
        "FORCE_DISCONNECT",
    }
    results = Counter(r["result"] for r in mains)
    assert 0.6 <= results["ANSWERED"] / len(mains) <= 0.85
    assert {r["agentAccount"] for r in records if "agentAccount" in r} <= {
        generate.agent_name(n) for n in range(1, 201)
    }
    # same arguments, same file
    assert generate.write(out, 100, start=generate.date(2026, 1, 1), days=3, seed=7) >= 100
    again = tmp_path / "again.jsonl"
    generate.write(again, 100, start=generate.date(2026, 1, 1), days=3, seed=7)
    assert out.read_bytes() == again.read_bytes()


async def test_generate_then_import_with_rejected_lines(tmp_path):
    async with fresh_database(DATABASE_URL, tmp_path) as url:
        env = cli_env(url, tmp_path)
        calls = tmp_path / "calls.jsonl"
        made = deskql(
            "generate-calls",
            "--count",
            "3000",
            "--out",
            str(calls),
            "--days",
            "7",
            "--create-agents",
            env=env,
        )
        assert made.returncode == 0, made.stderr
        assert "created 200 agents and 20 teams" in made.stdout
        lines = calls.read_text().splitlines()
        first = deskql("import-calls", "--batch-size", "500", str(calls), env=env)
        assert first.returncode == 0, first.stdout + first.stderr
        assert (
            f"{len(lines):,} imported ({len(lines):,} new, 0 updated), 0 rejected" in first.stdout
        )
        # not a terminal: one progress line per tenth of the file, the last once all is written
        progress = [
            line.split()[1]
            for line in first.stderr.splitlines()
            if line.startswith("import-calls:")
        ]
        assert progress == [f"{p}%" for p in range(10, 101, 10)]
        last = first.stderr.splitlines()[-1]
        assert f"{len(lines):,} lines read  {len(lines):,} records imported" in last
        for line in first.stderr.splitlines():  # never more records than lines read
            read, imported = (int(x.replace(",", "")) for x in line.split()[2:7:3])
            assert imported <= read, line

        broken = tmp_path / "broken.jsonl"
        bad_agent = {**json.loads(lines[0]), "agentAccount": "ghost"}
        orphan = {
            **json.loads(lines[1]),
            "id": "orphan-1",
            "mainCallId": "nowhere",
            "callType": "MONITOR",
            "agentAccount": "agent001",
        }
        broken.write_text(
            "\n".join([lines[2], "{not json", json.dumps(bad_agent), json.dumps(orphan), lines[3]])
            + "\n"
        )
        rejects = tmp_path / "rejects.jsonl"
        second = deskql("import-calls", str(broken), "--rejects", str(rejects), env=env)
        assert second.returncode == 1
        assert "5 lines, 2 imported (0 new, 2 updated), 3 rejected" in second.stdout
        assert "line 2: line: not JSON" in second.stdout
        assert "line 3: agentAccount: Unknown agent 'ghost'." in second.stdout
        assert "line 4: mainCallId:" in second.stdout
        assert [json.loads(x)["line"] for x in rejects.read_text().splitlines()] == [2, 3, 4]

        missing = deskql("import-calls", str(tmp_path / "nope.jsonl"), env=env)
        assert missing.returncode == 2 and "no such file" in missing.stderr
