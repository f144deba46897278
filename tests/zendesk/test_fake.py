"""The fake Zendesk itself (app/zendesk/fake), over real HTTP: merges, uploads, endpoint buckets
and jobs in flight, the knobs and the faults they inject, the webhook it posts (checked with
deskql's own signature check, and accepted by deskql's handler), and `deskql zendesk-fake`'s
flags. What the fake holds afterwards is read back through its ordinary API; time is its
ManualClock, moved by hand."""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime

import httpx
import pytest

from app.cli import zendesk as cli
from app.tickets.models import Ticket
from app.zendesk.inbound import verify
from app.zendesk.merges import MERGED
from tests.support import Receiver, create_ticket, free_port, operation, settle, zendesk_id

TICKET = operation("workspace/TicketZendesk")


@pytest.fixture
async def root(zendesk_fake):
    """A client of the fake's own routes (/__fake__/…, attachment content): no auth."""
    async with httpx.AsyncClient(base_url=zendesk_fake.url) as client:
        yield client


async def new_ticket(zd, subject: str = "Printer on fire", **extra) -> dict:
    answer = await zd.post(
        "/tickets.json",
        json={"ticket": {"subject": subject, "comment": {"body": "It burns"}, **extra}},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["ticket"]


async def shown(zd, tid: int) -> dict:
    return (await zd.get(f"/tickets/{tid}.json")).json()["ticket"]


async def notes(zd, tid: int) -> list[dict]:
    return (await zd.get(f"/tickets/{tid}/comments.json")).json()["comments"]


async def completed(zd, zendesk_fake, job: dict) -> dict:
    zendesk_fake.clock.advance(1)
    status = (await zd.get(f"/job_statuses/{job['id']}.json")).json()["job_status"]
    assert status["status"] == "completed", status
    return status


def bucket(response: httpx.Response, name: str) -> dict[str, int]:
    value = response.headers[f"zendesk-ratelimit-{name}"]
    return {k.strip(): int(v) for k, v in (p.split("=") for p in value.split(";"))}


# -- merges -------------------------------------------------------------------------------------


async def test_a_merge_job_closes_the_sources_with_zendesks_notes_and_they_refuse_updates(
    zendesk_fake, zd
):
    target, a, b = [await new_ticket(zd, s) for s in ("Target", "Source A", "Source B")]
    keys = set(await shown(zd, a["id"]))
    merge = await zd.post(f"/tickets/{target['id']}/merge.json", json={"ids": [a["id"], b["id"]]})
    assert merge.status_code == 200
    job = merge.json()["job_status"]
    assert job["job_type"] == "merge_tickets" and job["status"] == "queued"
    assert bucket(merge, "inflight-jobs") == {"total": 30, "remaining": 29, "resets": 1}
    assert (await shown(zd, a["id"]))["status"] == "new"  # not before the job completes

    status = await completed(zd, zendesk_fake, job)
    assert status["results"] == [
        {"id": a["id"], "action": "merge", "status": "Merged", "success": True},
        {"id": b["id"], "action": "merge", "status": "Merged", "success": True},
    ]
    for source in (a, b):
        ticket = await shown(zd, source["id"])
        assert ticket["status"] == "closed" and "closed_by_merge" in ticket["tags"]
        assert set(ticket) == keys  # nothing Zendesk would not show
        note = (await notes(zd, source["id"]))[-1]
        assert note["body"] == f"This request was closed and merged into request #{target['id']}."
        assert note["public"] is False
        assert MERGED.search(note["body"]).group(1) == str(target["id"])  # how deskql reads it
        refused = await zd.put(f"/tickets/{source['id']}.json", json={"ticket": {"status": "open"}})
        assert refused.status_code == 422
        assert refused.json()["details"]["status"][0]["description"] == (
            "Status: closed prevents ticket update"
        )
    told = (await notes(zd, target["id"]))[-1]
    assert told["public"] is False and told["body"] == (
        f"Requests #{a['id']}, #{b['id']} were closed and merged into this request."
    )
    assert (await shown(zd, target["id"]))["status"] == "new"


async def test_a_merge_with_its_own_comments_and_visibility(zendesk_fake, zd):
    target, source = await new_ticket(zd, "Target"), await new_ticket(zd, "Duplicate")
    job = (
        await zd.post(f"/tickets/{target['id']}/merge", json={
            "ids": [source["id"]], "source_comment": "Duplicate, see the other one",
            "source_comment_is_public": True, "target_comment": "Took over the duplicate",
        })
    ).json()["job_status"]  # fmt: skip
    await completed(zd, zendesk_fake, job)
    source_note = (await notes(zd, source["id"]))[-1]
    assert (source_note["body"], source_note["public"]) == ("Duplicate, see the other one", True)
    target_note = (await notes(zd, target["id"]))[-1]
    assert (target_note["body"], target_note["public"]) == ("Took over the duplicate", False)


async def test_merge_refusals_change_nothing_and_a_bad_source_fails_only_its_item(zendesk_fake, zd):
    target, closed, good = [await new_ticket(zd, s) for s in ("Target", "Closed", "Good")]
    await zd.put(f"/tickets/{closed['id']}.json", json={"ticket": {"status": "closed"}})
    gone = await zd.post("/tickets/99999/merge.json", json={"ids": [good["id"]]})
    assert gone.status_code == 404 and gone.json() == {
        "error": "RecordNotFound", "description": "Not found"
    }  # fmt: skip
    for body, field in (({}, "ids"), ({"ids": []}, "ids"), ({"ids": [target["id"]]}, "ids")):
        answer = await zd.post(f"/tickets/{target['id']}/merge.json", json=body)
        assert answer.status_code == 422 and answer.json()["error"] == "RecordInvalid"
        assert field in answer.json()["details"]
    into_closed = await zd.post(f"/tickets/{closed['id']}/merge.json", json={"ids": [good["id"]]})
    assert into_closed.status_code == 422
    too_many = await zd.post(
        f"/tickets/{target['id']}/merge.json", json={"ids": list(range(5000, 5101))}
    )
    assert too_many.status_code == 400 and too_many.json()["max_count"] == 100
    assert len(await notes(zd, target["id"])) == 1 and zendesk_fake.fake.jobs == {}

    job = (
        await zd.post(
            f"/tickets/{target['id']}/merge.json", json={"ids": [99999, closed["id"], good["id"]]}
        )
    ).json()["job_status"]
    status = await completed(zd, zendesk_fake, job)
    failed, still_closed, merged = status["results"]
    assert failed["index"] == 0 and failed["id"] == 99999
    assert failed["error"] == "TicketMergeFailed" and "not found" in failed["details"]
    assert still_closed["error"] == "TicketMergeFailed" and "closed" in still_closed["details"]
    assert merged == {"id": good["id"], "action": "merge", "status": "Merged", "success": True}
    assert "closed_by_merge" not in (await shown(zd, closed["id"]))["tags"]
    assert (await notes(zd, target["id"]))[-1]["body"] == (
        f"Request #{good['id']} was closed and merged into this request."
    )


# -- uploads ------------------------------------------------------------------------------------


async def upload(zd, name: str, data: bytes, kind: str, token: str | None = None):
    params = {"filename": name, **({"token": token} if token else {})}
    return await zd.post(
        "/uploads.json", params=params, content=data, headers={"content-type": kind}
    )


async def test_uploads_attach_to_comments_on_create_update_and_in_a_batch_and_serve_their_bytes(
    zendesk_fake, zd, root
):
    first = await upload(zd, "call-C1.mp3", b"ID3-recording", "audio/mpeg")
    assert first.status_code == 201
    assert first.headers["content-type"].startswith("text/plain")  # as Zendesk labels it
    made = first.json()["upload"]
    token, recording = made["token"], made["attachment"]
    assert first.headers["location"] == recording["url"]
    assert made["expires_at"] == "2026-03-02T03:00:00Z"  # 60 minutes of the clock
    assert made["attachments"] == [recording]
    assert (recording["file_name"], recording["content_type"], recording["size"]) == (
        "call-C1.mp3", "audio/mpeg", len(b"ID3-recording")
    )  # fmt: skip
    second = await upload(zd, "notes.txt", b"hello", "application/octet-stream", token)
    assert second.json()["upload"]["token"] == token
    assert second.json()["upload"]["attachment"]["content_type"] == "text/plain"  # guessed
    assert [a["file_name"] for a in second.json()["upload"]["attachments"]] == [
        "call-C1.mp3", "notes.txt"
    ]  # fmt: skip

    ticket = await new_ticket(zd, comment={"body": "with files", "uploads": [token]})
    assert [a["file_name"] for a in (await notes(zd, ticket["id"]))[0]["attachments"]] == [
        "call-C1.mp3", "notes.txt"
    ]  # fmt: skip
    updated = await zd.put(f"/tickets/{ticket['id']}.json", json={
        "ticket": {"comment": {"body": "one more", "public": False, "uploads": token}}
    })  # fmt: skip
    assert updated.status_code == 200
    assert len((await notes(zd, ticket["id"]))[-1]["attachments"]) == 2
    batch = await zd.put("/tickets/update_many.json", json={"tickets": [
        {"id": ticket["id"], "comment": {"body": "batched", "public": False, "uploads": [token]}}
    ]})  # fmt: skip
    await completed(zd, zendesk_fake, batch.json()["job_status"])
    last = (await notes(zd, ticket["id"]))[-1]
    assert last["body"] == "batched" and last["attachments"][0]["id"] == recording["id"]
    assert set(last["attachments"][0]) >= {"id", "file_name", "content_type", "size", "content_url"}

    content = await root.get(recording["content_url"].removeprefix(zendesk_fake.url))
    assert content.status_code == 200 and content.content == b"ID3-recording"
    assert content.headers["content-type"] == "audio/mpeg"
    assert (await zd.get(f"/attachments/{recording['id']}.json")).json()["attachment"] == recording


async def test_an_upload_token_lasts_60_minutes_and_a_bad_one_is_refused_changing_nothing(
    zendesk_fake, zd
):
    ticket = await new_ticket(zd)
    token = (await upload(zd, "a.mp3", b"x", "audio/mpeg")).json()["upload"]["token"]
    zendesk_fake.clock.advance(59 * 60)
    ok = await zd.put(f"/tickets/{ticket['id']}.json",
                      json={"ticket": {"comment": {"body": "in time", "uploads": [token]}}})  # fmt: skip
    assert ok.status_code == 200
    zendesk_fake.clock.advance(60)
    before = len(await notes(zd, ticket["id"]))
    late = await zd.put(f"/tickets/{ticket['id']}.json", json={
        "ticket": {"status": "open", "comment": {"body": "too late", "uploads": [token]}}
    })  # fmt: skip
    assert late.status_code == 422 and late.json()["error"] == "RecordInvalid"
    assert late.json()["details"]["uploads"][0]["error"] == "InvalidValue"
    assert len(await notes(zd, ticket["id"])) == before
    assert (await shown(zd, ticket["id"]))["status"] == "new"
    assert (await upload(zd, "b.mp3", b"y", "audio/mpeg", token)).status_code == 422
    assert (await zd.post("/uploads.json", content=b"z")).status_code == 422  # no filename

    fresh = (await upload(zd, "c.mp3", b"z", "audio/mpeg")).json()["upload"]["token"]
    created = await zd.post("/tickets.json", json={
        "ticket": {"subject": "x", "comment": {"body": "x", "uploads": ["nope"]}}
    })  # fmt: skip
    assert created.status_code == 422 and len(zendesk_fake.fake.tickets) == 1
    other = await new_ticket(zd, "Other")
    batch = await zd.put("/tickets/update_many.json", json={"tickets": [
        {"id": ticket["id"], "comment": {"body": "bad", "uploads": ["nope"]}},
        {"id": other["id"], "comment": {"body": "good", "uploads": [fresh]}},
    ]})  # fmt: skip
    bad, good = (await completed(zd, zendesk_fake, batch.json()["job_status"]))["results"]
    assert bad["error"] == "TicketUpdateFailed" and "nope" in bad["details"]
    assert good["success"] is True
    assert (await zd.delete(f"/uploads/{fresh}.json")).status_code == 204
    assert (await zd.delete(f"/uploads/{fresh}.json")).status_code == 404
    reused = await zd.put(f"/tickets/{other['id']}.json",
                          json={"ticket": {"comment": {"body": "again", "uploads": fresh}}})  # fmt: skip
    assert reused.status_code == 422


# -- rate limits --------------------------------------------------------------------------------


async def test_ticket_updates_count_into_an_account_bucket_and_a_per_ticket_bucket(
    zendesk_fake, zd, root
):
    ids = [(await new_ticket(zd, f"T{n}"))["id"] for n in range(4)]

    async def put(tid: int, body: str = "note") -> httpx.Response:
        return await zd.put(f"/tickets/{tid}.json",
                            json={"ticket": {"comment": {"body": body, "public": False}}})  # fmt: skip

    for n in range(30):
        answer = await put(ids[0])
        assert answer.status_code == 200
        assert bucket(answer, "ticket-update-by-user-and-ticket") == {
            "total": 30, "remaining": 29 - n, "resets": 600
        }  # fmt: skip
        assert bucket(answer, "tickets-update") == {"total": 100, "remaining": 99 - n, "resets": 60}
    refused = await put(ids[0], "refused")
    assert refused.status_code == 429 and refused.headers["retry-after"] == "600"
    assert refused.headers["content-type"].startswith("text/plain")
    assert bucket(refused, "ticket-update-by-user-and-ticket")["remaining"] == 0
    assert "refused" not in [c["body"] for c in await notes(zd, ids[0])]
    for tid, times in ((ids[1], 30), (ids[2], 30), (ids[3], 10)):
        for _ in range(times):
            assert (await put(tid)).status_code == 200
    full = await put(ids[3])
    assert full.status_code == 429 and full.headers["retry-after"] == "60"
    assert bucket(full, "tickets-update") == {"total": 100, "remaining": 0, "resets": 60}
    stats = (await root.get("/__fake__/stats")).json()
    assert stats["limited"] == {"ticket-update-by-user-and-ticket": 1, "tickets-update": 1}
    assert stats["early_requests"] == 0

    zendesk_fake.clock.advance(60)  # a new minute: the account's bucket is fresh, ticket 0's not
    assert (await put(ids[3])).status_code == 200
    early = await put(ids[0])
    assert early.status_code == 429  # sent within the 600 s it was told to wait
    stats = (await root.get("/__fake__/stats")).json()
    assert stats["early_requests"] == 1
    assert stats["early_by_bucket"] == {"ticket-update-by-user-and-ticket": 1}
    zendesk_fake.clock.advance(540)
    assert (await put(ids[0])).status_code == 200
    assert (await root.get("/__fake__/stats")).json()["early_requests"] == 1


async def test_create_or_update_is_limited_per_second_and_per_user(zendesk_fake, zd):
    async def user(email: str) -> httpx.Response:
        return await zd.post("/users/create_or_update.json",
                             json={"user": {"name": "Li Lei", "email": email}})  # fmt: skip

    first = await user("li@example.com")
    assert first.status_code == 201
    assert bucket(first, "users-create-or-update") == {"total": 1, "remaining": 0, "resets": 1}
    assert bucket(first, "users-create-or-update-by-user")["remaining"] == 4
    second = await user("han@example.com")
    assert second.status_code == 429 and second.headers["retry-after"] == "1"
    for _ in range(4):
        zendesk_fake.clock.advance(1)
        assert (await user("LI@example.com")).status_code == 200  # the same user
    zendesk_fake.clock.advance(1)
    sixth = await user("li@example.com")
    assert sixth.status_code == 429 and "single unique user" in sixth.text
    assert sixth.headers["retry-after"] == "55"  # the end of the minute
    zendesk_fake.clock.advance(1)
    assert (await user("han@example.com")).status_code == 201


async def test_at_most_30_jobs_in_flight_then_too_many_jobs(zendesk_fake, zd, root):
    tid = (await new_ticket(zd))["id"]
    body = {"tickets": [{"id": tid, "additional_tags": ["x"]}]}
    for n in range(30):
        answer = await zd.put("/tickets/update_many.json", json=body)
        assert answer.status_code == 200
        assert bucket(answer, "inflight-jobs") == {"total": 30, "remaining": 29 - n, "resets": 1}
        assert bucket(answer, "tickets-update-many")["remaining"] == 99 - n
    refused = await zd.post(f"/tickets/{tid}/merge.json", json={"ids": [tid + 1]})
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert refused.json()["error"] == "TooManyJobs"
    assert bucket(refused, "inflight-jobs") == {"total": 30, "remaining": 0, "resets": 1}
    assert (await zd.put("/tickets/update_many.json", json=body)).status_code == 429  # early
    stats = (await root.get("/__fake__/stats")).json()
    assert stats["jobs_in_flight"] == 30 and stats["limited"]["inflight-jobs"] == 2
    assert stats["early_by_bucket"] == {"inflight-jobs": 1}

    zendesk_fake.clock.advance(1)
    again = await zd.put("/tickets/update_many.json", json=body)
    assert again.status_code == 200 and bucket(again, "inflight-jobs")["remaining"] == 29
    assert all(job.applied for job in list(zendesk_fake.fake.jobs.values())[:30])


async def test_the_account_bucket_counts_requests_sent_before_retry_after(zendesk_fake, zd, root):
    assert (await root.put("/__fake__/knobs", json={"account_limit": 3})).status_code == 200
    for n in range(3):
        answer = await zd.get("/tickets.json")
        assert answer.status_code == 200 and answer.headers["x-rate-limit-remaining"] == str(2 - n)
        assert answer.headers["ratelimit-reset"] == "60"
    over = await zd.get("/tickets.json")
    assert over.status_code == 429 and over.headers["retry-after"] == "60"
    zendesk_fake.clock.advance(30)
    assert (await zd.get("/tickets.json")).status_code == 429
    zendesk_fake.clock.advance(30)
    assert (await zd.get("/tickets.json")).status_code == 200
    stats = (await root.get("/__fake__/stats")).json()
    assert stats["early_requests"] == 1 and stats["early_by_bucket"] == {"account": 1}
    assert stats["limited"] == {"account": 2} and stats["sent_429"] == 2


# -- knobs and faults ---------------------------------------------------------------------------


async def test_knobs_are_read_and_set_over_http_and_a_bad_value_sets_none(zendesk_fake, root):
    knobs = (await root.get("/__fake__/knobs")).json()
    assert knobs == {
        "latency": 0.0, "error_rate": 0.0, "seed": 0, "storm_until": None, "down_until": None,
        "search_delay": 0.0, "job_delay": 0.5, "plan": "team", "account_limit": None,
        "webhook_url": None, "webhook_secret": False,
    }  # fmt: skip
    changed = await root.put("/__fake__/knobs", json={
        "error_rate": 0.25, "storm_until": "+30", "down_until": "2026-03-02T04:00:00+02:00",
        "plan": "enterprise", "webhook_url": "http://127.0.0.1:9/hook", "webhook_secret": "s",
    })  # fmt: skip
    assert changed.status_code == 200
    assert changed.json()["storm_until"] == "2026-03-02T02:00:30Z"
    assert changed.json()["down_until"] == "2026-03-02T02:00:00Z"
    assert changed.json()["webhook_secret"] is True  # set, not shown
    assert zendesk_fake.fake.limit == 700
    for bad in ({"error_rate": 2}, {"plan": "gold", "latency": 1}, {"nope": 1},
                {"storm_until": "2026-03-02T04:00:00"}, {"latency": -1},
                {"webhook_url": "ftp://x"}, {"job_delay": "soon"}):  # fmt: skip
        refused = await root.put("/__fake__/knobs", json=bad)
        assert refused.status_code == 400 and refused.json()["error"] == "InvalidKnob", bad
    assert (await root.get("/__fake__/knobs")).json() == changed.json()
    cleared = await root.put("/__fake__/knobs", json={"storm_until": None, "down_until": None})
    assert cleared.json()["storm_until"] is None and cleared.json()["down_until"] is None


async def test_error_rate_fails_a_seeded_share_and_a_503_applies_nothing(zendesk_fake, zd, root):
    first, second = await new_ticket(zd, "First"), await new_ticket(zd, "Second")
    seen = []
    for tid in (first["id"], second["id"]):
        await root.put("/__fake__/knobs", json={"error_rate": 0.5, "seed": 42})
        statuses = []
        for n in range(20):
            answer = await zd.put(f"/tickets/{tid}.json",
                                  json={"ticket": {"comment": {"body": f"n{n}"}}})  # fmt: skip
            statuses.append(answer.status_code)
            if answer.status_code == 503:
                assert answer.json()["error"] == "ServiceUnavailable"
        await root.put("/__fake__/knobs", json={"error_rate": 0})
        bodies = [c["body"] for c in await notes(zd, tid)][1:]
        assert bodies == [f"n{n}" for n, s in enumerate(statuses) if s == 200]
        seen.append(statuses)
    draws = random.Random(42)
    assert seen[0] == seen[1] == [503 if draws.random() < 0.5 else 200 for _ in range(20)]
    assert 0 < seen[0].count(503) < 20
    assert (await root.get("/__fake__/stats")).json()["sent_503"] == 2 * seen[0].count(503)


async def test_a_storm_answers_429_until_it_ends_and_counts_requests_sent_too_early(
    zendesk_fake, zd, root
):
    tid = (await new_ticket(zd))["id"]
    await root.put("/__fake__/knobs", json={"storm_until": "+30"})
    stormy = await zd.get(f"/tickets/{tid}.json")
    assert stormy.status_code == 429 and stormy.headers["retry-after"] == "30"
    assert stormy.headers["content-type"].startswith("text/plain")
    zendesk_fake.clock.advance(10)
    early = await zd.put(f"/tickets/{tid}.json", json={"ticket": {"status": "open"}})
    assert early.status_code == 429 and early.headers["retry-after"] == "20"
    zendesk_fake.clock.advance(20)  # exactly when it was told: not early, and the storm is over
    assert (await zd.get(f"/tickets/{tid}.json")).json()["ticket"]["status"] == "new"
    stats = (await root.get("/__fake__/stats")).json()
    assert stats["early_requests"] == 1 and stats["limited"] == {"account": 2}


async def test_downtime_answers_a_load_balancers_503_and_nothing_reaches_the_account(
    zendesk_fake, zd, root
):
    await root.put("/__fake__/knobs", json={"down_until": "+300"})
    down = await zd.post("/tickets.json", json={"ticket": {"comment": {"body": "x"}}})
    assert down.status_code == 503 and down.headers["content-type"].startswith("text/html")
    assert "Service Unavailable" in down.text and "x-rate-limit" not in down.headers
    assert zendesk_fake.fake.tickets == {}
    assert (await root.get("/__fake__/stats")).json()["sent_503"] == 1  # /__fake__ is never down
    zendesk_fake.clock.advance(300)
    assert (
        await zd.post("/tickets.json", json={"ticket": {"comment": {"body": "x"}}})
    ).status_code == 201


async def test_latency_is_added_to_every_api_answer(zendesk_fake, zd, root):
    await root.put("/__fake__/knobs", json={"latency": 0.2})
    started = time.monotonic()
    assert (await zd.get("/tickets.json")).status_code == 200
    assert time.monotonic() - started >= 0.2


# -- the webhook --------------------------------------------------------------------------------


async def test_status_changes_and_merges_are_posted_to_the_webhook_signed(zendesk_fake, zd, root):
    secret = "fake-webhook-secret"
    with Receiver() as receiver:
        await root.put("/__fake__/knobs", json={"webhook_url": receiver.url("/zendesk/webhook"),
                                                "webhook_secret": secret})  # fmt: skip
        one, two, three = [await new_ticket(zd, s) for s in ("One", "Two", "Three")]
        await zd.put(f"/tickets/{one['id']}.json", json={"ticket": {"status": "open"}})
        await zd.put(f"/tickets/{one['id']}.json", json={"ticket": {"subject": "no event"}})
        await zd.put("/tickets/update_many.json",
                     json={"tickets": [{"id": two["id"], "status": "pending"}]})  # fmt: skip
        await zd.post(f"/tickets/{one['id']}/merge.json", json={"ids": [three["id"]]})
        zendesk_fake.clock.advance(1)
        await zd.get("/tickets.json")  # both jobs complete
        deliveries = (await root.get("/__fake__/webhooks")).json()["deliveries"]
        received = receiver.requests("/zendesk/webhook")

    assert [(d["type"], d["ticket_id"], d["status"]) for d in deliveries] == [
        ("status_changed", one["id"], 200), ("status_changed", two["id"], 200),
        ("merged", three["id"], 200), ("status_changed", three["id"], 200),
    ]  # fmt: skip
    assert zendesk_fake.fake.webhook_deliveries == deliveries
    bodies = []
    for request in received:
        verify(secret, request.headers["x-zendesk-webhook-signature"],
               request.headers["x-zendesk-webhook-signature-timestamp"], request.body,
               zendesk_fake.clock.now())  # fmt: skip
        assert request.headers["content-type"] == "application/json"
        bodies.append(json.loads(request.body))
    assert [b["type"] for b in bodies] == [
        "zen:event-type:ticket.status_changed", "zen:event-type:ticket.status_changed",
        "zen:event-type:ticket.merged", "zen:event-type:ticket.status_changed",
    ]  # fmt: skip
    assert (
        bodies[0]["detail"]["id"] == str(one["id"])
        and bodies[0]["subject"] == f"zen:ticket:{one['id']}"
    )
    assert bodies[0]["event"] == {"current": "OPEN", "previous": "NEW"}
    assert bodies[1]["event"] == {"current": "PENDING", "previous": "NEW"}
    assert bodies[2]["event"] == {"target_ticket_id": str(one["id"])}
    assert bodies[3]["event"] == {"current": "CLOSED", "previous": "NEW"}
    assert bodies[3]["detail"]["status"] == "CLOSED"
    assert [b["body"] for b in deliveries] == bodies


async def test_a_webhook_that_cannot_be_reached_is_recorded_and_none_without_a_url(
    zendesk_fake, zd, root
):
    tid = (await new_ticket(zd))["id"]
    await zd.put(f"/tickets/{tid}.json", json={"ticket": {"status": "open"}})
    assert (await root.get("/__fake__/webhooks")).json()["deliveries"] == []
    await root.put("/__fake__/knobs", json={"webhook_url": f"http://127.0.0.1:{free_port()}/x"})
    await zd.put(f"/tickets/{tid}.json", json={"ticket": {"status": "solved"}})
    [delivery] = (await root.get("/__fake__/webhooks")).json()["deliveries"]
    assert delivery["status"] is None and delivery["error"]
    assert (await shown(zd, tid))["status"] == "solved"


async def test_deskql_accepts_what_the_fake_posts_to_its_webhook(
    gql, people, sync, zendesk_fake, zd, root, client, settings
):
    """A status change and a merge made in the fake reach deskql's POST /zendesk/webhook (the
    requests relayed as received): deskql's tickets follow."""
    clock = zendesk_fake.clock
    clock.advance((datetime.now(UTC) - clock.now()).total_seconds())  # deskql checks real time
    token = people["manager"]
    kept, merged = await create_ticket(gql, token), await create_ticket(gql, token)
    await settle(sync, clock)
    zk, zm = await zendesk_id(gql, token, kept["id"]), await zendesk_id(gql, token, merged["id"])
    with Receiver() as receiver:
        await root.put("/__fake__/knobs", json={"webhook_url": receiver.url("/zendesk/webhook"),
                                                "webhook_secret": settings.zendesk_webhook_secret})  # fmt: skip
        await zd.put(f"/tickets/{zk}.json", json={"ticket": {"status": "open"}})
        await zd.post(f"/tickets/{zk}/merge.json", json={"ids": [zm]})
        clock.advance(1)
        await zd.get(f"/tickets/{zm}.json")
        assert len((await root.get("/__fake__/webhooks")).json()["deliveries"]) == 3
        received = receiver.requests("/zendesk/webhook")
    outcomes = []
    for request in received:
        answer = await client.post("/zendesk/webhook", content=request.body, headers={
            k: v for k, v in request.headers.items() if k.startswith("x-zendesk-")
        } | {"content-type": "application/json"})  # fmt: skip
        assert answer.status_code == 200, answer.text
        outcomes.append(answer.json()["outcome"])
    assert "merged into Zendesk" in outcomes[1]
    shown_kept = await gql(TICKET, {"id": kept["id"]}, token=token)
    assert shown_kept["data"]["ticket"]["status"] == "OPEN"
    source = await Ticket.get(id=int(merged["id"]))
    assert str(source.status) == "CLOSED" and source.merged_into_id == int(kept["id"])


# -- the command --------------------------------------------------------------------------------


def test_the_command_lists_every_knob_and_builds_the_fake_they_describe(capsys):
    parser = argparse.ArgumentParser(prog="deskql")
    cli.register(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit):
        parser.parse_args(["zendesk-fake", "--help"])
    help_text = capsys.readouterr().out
    for flag in ("--latency", "--error-rate", "--seed", "--storm-until", "--down-until",
                 "--search-delay", "--job-delay", "--plan", "--account-limit", "--webhook-url",
                 "--webhook-secret"):  # fmt: skip
        assert flag in help_text, flag
    args = parser.parse_args([
        "zendesk-fake", "--port", "8799", "--latency", "0.1", "--error-rate", "0.2", "--seed", "7",
        "--storm-until", "2030-01-01T00:00:00Z", "--down-until", "+60", "--plan", "enterprise",
        "--account-limit", "50", "--job-delay", "2", "--search-delay", "3",
        "--webhook-url", "http://127.0.0.1:8080/zendesk/webhook", "--webhook-secret", "s",
    ])  # fmt: skip
    fake = cli.build(args)
    assert (fake.latency, fake.error_rate, fake.seed, fake.plan, fake.limit) == (
        0.1, 0.2, 7, "enterprise", 50
    )  # fmt: skip
    assert (fake.job_delay, fake.search_delay, fake.webhook_secret) == (2, 3, "s")
    assert fake.storm_until == datetime(2030, 1, 1, tzinfo=UTC)
    assert fake.down_until is not None and fake.base_url == "http://127.0.0.1:8799"
    assert fake.webhook_url == "http://127.0.0.1:8080/zendesk/webhook"
    bad = parser.parse_args(["zendesk-fake", "--error-rate", "2"])
    assert bad.run(bad) == 2 and "error_rate" in capsys.readouterr().err
