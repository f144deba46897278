"""Ticket behaviour of the fake Zendesk: create, update (a closed ticket refuses), comments with
their attachments (app/zendesk/fake/uploads.py), and the batch items of update_many applied
when their job completes. A status change through an update is posted to the webhook
(app/zendesk/fake/webhooks.py). Everything is checked before anything changes: a refused
request or item changes nothing."""

from __future__ import annotations

from typing import Any

from app.zendesk.fake import uploads, webhooks
from app.zendesk.fake.responses import Invalid
from app.zendesk.fake.state import STATUSES, FakeZendesk, Job, stamp

__all__ = ["Invalid", "add_comment", "apply_update_many", "create", "unknown_keys", "update"]

WRITABLE = {
    "subject", "status", "requester_id", "assignee_id", "external_id", "tags", "custom_fields",
    "fields", "priority", "type", "group_id", "comment", "requester", "additional_tags",
    "remove_tags", "id",
}  # fmt: skip


def unknown_keys(body: dict) -> list[str]:
    return sorted(k for k in body if k not in WRITABLE)


def fields_of(fake: FakeZendesk, given: list[dict] | None, current: list[dict] | None) -> list:
    values = {f["id"]: f.get("value") for f in current or []}
    for item in given or []:
        values[int(item["id"])] = item.get("value")
    return [{"id": fid, "value": values.get(fid)} for fid in sorted(fake.ticket_fields)]


def add_comment(
    fake: FakeZendesk, ticket: dict, comment: dict, attachments: list[dict] | None = None
) -> dict:
    body = comment.get("body") or comment.get("html_body") or ""
    entry: dict[str, Any] = {
        "id": fake.next_id(),
        "type": "Comment",
        "author_id": comment.get("author_id") or fake.agent_id,
        "body": body,
        "html_body": f'<div class="zd-comment"><p>{body}</p></div>',
        "plain_body": body,
        "public": bool(comment.get("public", ticket["is_public"])),
        "attachments": list(attachments or []),
        "created_at": stamp(fake.clock.now()),
    }
    fake.comments.setdefault(ticket["id"], []).append(entry)
    return entry


def create(fake: FakeZendesk, data: dict) -> dict:
    """A new ticket; its first comment is ``comment`` (or, as Zendesk accepts, ``description``)."""
    comment = dict(data.get("comment") or {})
    if not (comment.get("body") or comment.get("html_body")) and data.get("description"):
        comment["body"] = str(data["description"])
    if not (comment.get("body") or comment.get("html_body")):
        raise Invalid("description", "Description: cannot be blank")
    files = uploads.attached(fake, comment)
    now = stamp(fake.clock.now())
    requester_id = data.get("requester_id")
    status = str(data.get("status") or "new")
    if status not in STATUSES:
        raise Invalid("status", f"Status: {status} is not valid")
    if requester_id is None and isinstance(data.get("requester"), dict):
        user, _ = fake.create_or_update_user(data["requester"])
        requester_id = user["id"]
    tid = max([0, *fake.tickets]) + 1
    ticket = {
        "url": f"{fake.base_url}/api/v2/tickets/{tid}.json",
        "id": tid,
        "external_id": data.get("external_id"),
        "via": {"channel": "api", "source": {"from": {}, "to": {}, "rel": None}},
        "created_at": now,
        "updated_at": now,
        "subject": data.get("subject") or (comment.get("body") or "")[:80],
        "raw_subject": data.get("subject"),
        "description": comment.get("body") or comment.get("html_body"),
        "status": status,
        "requester_id": requester_id or fake.agent_id,
        "submitter_id": fake.agent_id,
        "assignee_id": data.get("assignee_id"),
        "tags": list(data.get("tags") or []),
        "is_public": bool(comment.get("public", True)),
        "custom_fields": fields_of(fake, data.get("custom_fields") or data.get("fields"), None),
    }
    ticket["fields"] = ticket["custom_fields"]
    fake.tickets[tid] = ticket
    add_comment(fake, ticket, {**comment, "public": comment.get("public", True)}, files)
    return ticket


def update(fake: FakeZendesk, ticket: dict, data: dict) -> dict:
    if ticket["status"] == "closed":
        raise Invalid("status", "Status: closed prevents ticket update")
    status = data.get("status")
    if status is not None and status not in STATUSES:
        raise Invalid("status", f"Status: {status} is not valid")
    files = uploads.attached(fake, data.get("comment"))
    previous = ticket["status"]
    for key in ("subject", "status", "requester_id", "assignee_id", "external_id"):
        if key in data:
            ticket[key] = data[key]
    if "tags" in data:
        ticket["tags"] = list(data["tags"] or [])
    ticket["tags"] = [
        t for t in ticket["tags"] + list(data.get("additional_tags") or [])
        if t not in (data.get("remove_tags") or [])
    ]  # fmt: skip
    if "custom_fields" in data or "fields" in data:
        given = data.get("custom_fields") or data.get("fields")
        ticket["custom_fields"] = ticket["fields"] = fields_of(fake, given, ticket["custom_fields"])
    if data.get("comment"):
        add_comment(fake, ticket, data["comment"], files)
    ticket["updated_at"] = stamp(fake.clock.now())
    if ticket["status"] != previous:
        webhooks.status_changed(fake, ticket, previous)
    return ticket


def apply_update_many(fake: FakeZendesk, job: Job) -> list[dict[str, Any]]:
    """Each item on its own: a failed item does not fail the job."""
    results: list[dict[str, Any]] = []
    for index, item in enumerate(job.items):
        tid = int(item.get("id") or 0)
        ticket = fake.tickets.get(tid)
        try:
            if ticket is None:
                raise Invalid("id", "RecordNotFound")
            update(fake, ticket, {k: v for k, v in item.items() if k != "id"})
        except Invalid as exc:
            results.append(
                {
                    "index": index,
                    "id": tid,
                    "error": "TicketUpdateFailed",
                    "details": exc.description,
                }
            )
            continue
        results.append({"id": tid, "action": "update", "status": "Updated", "success": True})
    return results
