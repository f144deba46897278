"""An ordinary Zendesk client library works against the fake Zendesk: zenpy (facetoe/zenpy, whose
recorded cassettes are ../shared/reference's traffic), pointed at the fake over real HTTP with
its own switches ZENPY_FORCE_SCHEME / ZENPY_FORCE_NETLOC, creates and updates tickets, lists
comments, uploads a file, finds a user by phone as Zendesk recommends, and follows jobs."""

from __future__ import annotations

import io

from zenpy import Zenpy
from zenpy.lib.api_objects import Comment, Ticket, User


def test_zenpy_works_against_the_fake(zendesk_fake, monkeypatch):
    monkeypatch.setenv("ZENPY_FORCE_SCHEME", "http")
    monkeypatch.setenv("ZENPY_FORCE_NETLOC", zendesk_fake.url.removeprefix("http://"))
    zenpy = Zenpy(
        subdomain="fake", email=zendesk_fake.email, token=zendesk_fake.token,
        disable_cache=True,  # every read asks the fake
    )  # fmt: skip

    ticket = zenpy.tickets.create(Ticket(subject="Printer on fire", description="It burns")).ticket
    assert ticket.status == "new" and ticket.description == "It burns"
    upload = zenpy.attachments.upload(io.BytesIO(b"ID3-recording"), target_name="call.mp3",
                                      content_type="audio/mpeg")  # fmt: skip
    ticket.status = "open"
    ticket.comment = Comment(body="Checked the toner", public=False, uploads=[upload.token])
    updated = zenpy.tickets.update(ticket).ticket
    assert updated.status == "open"

    comments = list(zenpy.tickets.comments(ticket=ticket.id))
    assert [c.body for c in comments] == ["It burns", "Checked the toner"]
    assert comments[-1].public is False
    assert [a.file_name for a in comments[-1].attachments] == ["call.mp3"]
    assert zendesk_fake.fake.comments[ticket.id][-1]["attachments"][0]["size"] == 13

    user = zenpy.users.create_or_update(
        User(name="Li Lei", email="li@example.com", phone="+8613800138000")
    )
    found = list(zenpy.search("role:end-user phone:8613800138000", type="user"))
    assert [u.id for u in found] == [user.id]
    assert list(zenpy.search("role:end-user phone:8613800138001", type="user")) == []

    other = zenpy.tickets.create(Ticket(subject="Other", comment=Comment(body="x"))).ticket
    ticket.subject, other.subject = "Renamed", "Renamed too"
    job = zenpy.tickets.update([ticket, other])
    assert job.status == "queued"
    zendesk_fake.clock.advance(1)
    done = zenpy.job_status(id=job.id)
    assert done.status == "completed" and {r.id for r in done.results} == {ticket.id, other.id}
    assert zenpy.tickets(id=other.id).subject == "Renamed too"

    merge = zenpy.tickets.merge(ticket.id, [other.id])
    zendesk_fake.clock.advance(1)
    assert zenpy.job_status(id=merge.id).status == "completed"
    merged = zenpy.tickets(id=other.id)
    assert merged.status == "closed" and "closed_by_merge" in merged.tags
