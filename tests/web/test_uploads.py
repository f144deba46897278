"""POST /cms/uploads and GET /media/ (R-KC-6 images): checked from the bytes, ≤ 2 MB."""

from __future__ import annotations

import hashlib

import pytest

from app.accounts import models as account_models
from app.knowledge import models
from tests.support import operation, png


async def _upload(
    client, token, data: bytes, name: str = "image.png", content_type: str = "image/png"
):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.post(
        "/cms/uploads", files={"file": (name, data, content_type)}, headers=headers
    )


async def test_an_image_is_stored_once_by_content_and_served(client, editor):
    _, token = editor
    data = png()

    first = await _upload(client, token, data)
    second = await _upload(client, token, data, name="other-name.png")
    path = first.json()["path"]
    served = await client.get(path)

    digest = hashlib.sha256(data).hexdigest()
    assert first.status_code == 201
    assert first.json() == {
        "url": f"http://testserver/media/{digest}.png",
        "path": f"/media/{digest}.png",
    }
    assert second.json() == first.json()
    assert await models.MediaFile.all().count() == 1
    assert served.content == data
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "immutable" in served.headers["cache-control"]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<svg onload=alert(1)></svg>", "evil.png"),
        (b"<html><script>alert(1)</script></html>", "page.jpg"),
        (b"GIF8", "short.gif"),
        (b"", "empty.png"),
    ],
)
async def test_files_that_are_not_images_are_refused_and_nothing_is_stored(
    client, editor, data, name
):
    response = await _upload(client, editor[1], data, name=name)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "BAD_USER_INPUT"
    assert response.json()["error"]["field"] == "file"
    assert await models.MediaFile.all().count() == 0


async def test_images_over_2_mb_are_refused(client, editor):
    big = png() + b"\x00" * (2 * 1024 * 1024)

    response = await _upload(client, editor[1], big)

    assert response.status_code in (400, 413)
    assert "2 MB" in response.json()["error"]["message"]
    assert await models.MediaFile.all().count() == 0


async def test_uploads_need_kc_manage(client, make_account):
    _, agent = await make_account("agent.one")
    _, full_admin = await make_account("full.admin", account_models.Role.FULL_ADMIN)

    anonymous = await _upload(client, None, png())
    as_agent = await _upload(client, agent, png())
    as_full_admin = await _upload(client, full_admin, png())

    assert anonymous.status_code == 401
    assert as_agent.status_code == as_full_admin.status_code == 403
    assert await models.MediaFile.all().count() == 0


async def test_an_uploaded_image_becomes_a_category_image(client, gql, editor, help_content):
    made = await help_content({"FAQ": []})
    url = (await _upload(client, editor[1], png())).json()["url"]

    result = await gql(
        operation("cms/UpdateHelpCategory"),
        {"id": str(made["FAQ"][0].id), "input": {"imageUrl": url}},
        token=editor[1],
    )
    center = await gql(operation("sdk/HelpCenter"))

    assert result["data"]["updateHelpCategory"]["imageUrl"] == url
    assert center["data"]["helpCenter"]["categories"][0]["imageUrl"] == url


async def test_unknown_media_is_404(client):
    response = await client.get("/media/" + "0" * 64 + ".png")

    assert response.status_code == 404
