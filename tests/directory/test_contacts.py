"""Contacts (R-CC-1): phone numbers in E.164, search by any identifier, idempotent imports."""

from __future__ import annotations

import pytest

from app.accounts.models import Role
from app.directory.phones import normalize_phone
from app.errors import InvalidInput
from tests.support import error_codes, snapshot


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("138 0013 8000", "+8613800138000"),
        ("+86 138-0013-8000", "+8613800138000"),
        ("0086 13800138000", "+8613800138000"),
        ("8613800138000", "+8613800138000"),
        ("010-6552 9988", "+861065529988"),
        ("+1 (415) 555-0100", "+14155550100"),
    ],
)
def test_phone_numbers_are_normalized_to_e164(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "+12", "+1234567890123456", "00"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(InvalidInput):
        normalize_phone(raw)


async def test_contacts_are_found_by_any_of_their_identifiers(gql, people):
    create_contact = """mutation($input: ContactInput!) { createContact(input: $input) {
      id phones email externalId } }"""
    made = await gql(
        create_contact,
        {
            "input": {
                "name": "王小明",
                "phones": ["138 0013 8000", "+86 10 6552 9988"],
                "email": "Ming@Example.com",
                "externalId": "crm-42",
            }
        },
        token=people["agent"],
    )
    contact = made["data"]["createContact"]
    assert contact["phones"] == ["+8613800138000", "+861065529988"]
    assert contact["email"] == "ming@example.com"
    await gql(
        create_contact,
        {"input": {"name": "Someone else", "phones": ["13900000000"]}},
        token=people["agent"],
    )
    search = "query($s: String) { contacts(search: $s) { nodes { id } } }"
    for term in (
        "小明",
        "ming@example.com",
        "crm-42",
        "+8613800138000",
        "138-0013-8000",
        "0086 10 6552 9988",
    ):
        found = await gql(search, {"s": term}, token=people["agent"])
        assert [n["id"] for n in found["data"]["contacts"]["nodes"]] == [contact["id"]], term
    duplicate = await gql(
        create_contact, {"input": {"name": "x", "externalId": "crm-42"}}, token=people["agent"]
    )
    assert error_codes(duplicate) == ["CONFLICT"]
    bad = await gql(
        create_contact, {"input": {"name": "x", "phones": ["12ab"]}}, token=people["agent"]
    )
    assert bad["errors"][0]["extensions"]["field"] == "phones[0]"


async def test_import_contacts_is_idempotent_and_all_or_nothing(gql, make_account):
    _, token = await make_account("crm", Role.AGENT, groups=[["integration.write"]])
    mutation = "mutation($c: [ContactInput!]!) { importContacts(contacts: $c) { created updated } }"
    batch = [
        {"name": f"P{n}", "externalId": f"e{n}", "phones": [f"1390000000{n}"]} for n in range(3)
    ]
    assert (await gql(mutation, {"c": batch}, token=token))["data"]["importContacts"] == {
        "created": 3,
        "updated": 0,
    }
    batch[0]["name"] = "Renamed"
    assert (await gql(mutation, {"c": batch}, token=token))["data"]["importContacts"] == {
        "created": 0,
        "updated": 3,
    }
    before = await snapshot()
    broken = batch + [{"name": "Bad", "externalId": "e9", "phones": ["nope"]}]
    result = await gql(mutation, {"c": broken}, token=token)
    assert result["errors"][0]["extensions"]["field"] == "contacts[3].phones[0]"
    assert await snapshot() == before
