"""``GET /complaints?phone=``: the call centre finds a caller's cases by the phone number, from a
keyed hash of it in an index (never a Scan, never the number in a key); erased cases leave it."""

from __future__ import annotations

import pytest

from complaints import wiring
from complaints.domain.privacy import phone_search_key
from local import infra
from tests.conftest import ADMIN, CALLCENTER, OFFICER, complaint, ok, staff
from tests.integration.helpers import PHONE, plain
from tests.integration.privacy.helpers import erase

pytestmark = pytest.mark.integration
OTHER = {"name": "สมหญิง รักเมือง", "phone": "0898765432", "email": None}
AFTER = "2026-04-12T10:00:00+07:00"


def file(api, when: str, phone: str, **complainant) -> str:
    body = complaint(complainant={"name": "สมชาย ใจดี", "phone": phone, "email": None} | complainant)
    answer = api.call("POST", "/complaints", body=body, when=when)
    assert answer.status == 201, answer.body
    return answer.json["id"]


@pytest.fixture
def callers(api) -> dict[str, list[str]]:
    """Three cases of one caller (local form, +66, with dashes), oldest first, and one of another."""
    mine = [
        file(api, "2026-04-10T09:00:00+07:00", "0812345678"),
        file(api, "2026-04-10T11:00:00+07:00", "+66812345678"),
        file(api, "2026-04-11T08:30:00+07:00", "081-234-5678"),
    ]
    theirs = [file(api, "2026-04-10T10:00:00+07:00", OTHER["phone"], name=OTHER["name"])]
    return {"mine": mine, "theirs": theirs}


def search(api, query: str, claims=CALLCENTER, when: str = AFTER):
    return api.call("GET", "/complaints", query=query, claims=claims, when=when)


def test_the_call_centre_finds_exactly_the_callers_cases_newest_first_two_at_a_time(api, callers):
    first = ok(search(api, "phone=0812345678&limit=2"))
    assert [c["id"] for c in first["complaints"]] == callers["mine"][::-1][:2]
    assert first["next_cursor"]
    second = ok(search(api, f"phone=0812345678&limit=2&cursor={first['next_cursor']}"))
    assert [c["id"] for c in second["complaints"]] == callers["mine"][:1]
    assert second["next_cursor"] is None
    assert all("complainant" not in c for c in first["complaints"] + second["complaints"])


@pytest.mark.parametrize(
    "phone",
    [
        "%2B66812345678",
        "081-234-5678",
        "%E0%B9%90%E0%B9%98%E0%B9%91%E0%B9%92%E0%B9%93%E0%B9%94%E0%B9%95%E0%B9%96%E0%B9%97%E0%B9%98",
    ],
)
def test_any_form_of_the_number_finds_the_same_cases(api, callers, phone):
    found = ok(search(api, f"phone={phone}", claims=ADMIN))
    assert [c["id"] for c in found["complaints"]] == callers["mine"][::-1]


def test_the_other_caller_finds_only_theirs_and_an_unknown_number_nothing(api, callers):
    assert [c["id"] for c in ok(search(api, "phone=0898765432"))["complaints"]] == callers["theirs"]
    assert ok(search(api, "phone=0611111111")) == {"complaints": [], "next_cursor": None}


@pytest.mark.parametrize(
    ("claims", "status"),
    [(OFFICER, 403), (staff("auditor", sub="aud-1"), 403), (staff("executive", sub="exec-1"), 403), (None, 401)],
)
def test_only_those_who_see_contact_details_may_search(api, callers, claims, status):
    assert search(api, "phone=0812345678", claims=claims).status == status


@pytest.mark.parametrize(
    "other", ["state=triage", "agency=DIST-1039", "district=1039", "category=road", "overdue=true"]
)
def test_the_phone_cannot_be_combined_with_another_filter(api, other):
    answer = search(api, f"phone=0812345678&{other}")
    assert answer.status == 400
    assert "phone cannot be combined" in answer.body


def test_a_number_that_is_not_thai_is_refused(api):
    answer = search(api, "phone=12345")
    assert answer.status == 400 and "not a Thai phone number" in answer.body


def test_a_cursor_of_one_callers_search_does_not_page_another(api, callers):
    first = ok(search(api, "phone=0812345678&limit=1"))
    answer = search(api, f"phone=0898765432&limit=1&cursor={first['next_cursor']}")
    assert (answer.status, answer.json["error"]["code"]) == (400, "bad_cursor")


def test_an_erased_case_is_no_longer_found(api, aws, callers):
    erased = callers["mine"][1]
    ok(erase(api, erased, AFTER))
    found = ok(search(api, "phone=0812345678", when="2026-04-12T11:00:00+07:00"))
    assert [c["id"] for c in found["complaints"]] == [callers["mine"][2], callers["mine"][0]]
    assert not {k for k in case_item(aws, erased) if k.startswith("gsi_month")}


def test_the_index_holds_a_keyed_hash_never_the_number(api, aws, callers):
    item = case_item(aws, callers["mine"][0])
    assert item["gsi_month_pk"] == "PHONE#" + phone_search_key(wiring.link_secret(), PHONE)
    assert len(item["gsi_month_pk"]) == len("PHONE#") + 32
    assert item["gsi_month_sk"].endswith("#" + callers["mine"][0])
    keys = " ".join(str(v) for k, v in item.items() if k.startswith("gsi_"))
    assert "812345678" not in keys


def test_the_search_is_one_query_of_the_index_never_a_scan(api, aws, callers, monkeypatch):
    import boto3

    calls = []
    aws.events.register(
        "before-parameter-build.dynamodb", lambda model, params, **_: calls.append((model.name, dict(params)))
    )
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", aws)
    wiring.reset()
    ok(search(api, "phone=0812345678"))
    reads = [(name, p) for name, p in calls if name not in ("GetItem",)]
    assert [(name, p.get("IndexName")) for name, p in reads] == [("Query", "by_month")]
    assert reads[0][1]["ExpressionAttributeValues"][":pk"]["S"].startswith("PHONE#")


def case_item(aws, case_id: str) -> dict:
    item = aws.client("dynamodb").get_item(
        TableName=infra.LOCAL_TABLE, ConsistentRead=True, Key={"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "META"}}
    )["Item"]
    return plain(item)
