"""The audits through the API (rule 6): only auditors see them and record verdicts, the agency
and the citizen see nothing of a pending audit; a consistent verdict leaves the case as it
was, an inconsistent one reopens it to the agency and counts against it; bad requests.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import CALLCENTER, OFFICER, agency_link, ok, sent_emails, staff, sweep, table_items
from tests.integration.completion_helpers import audits, completed_case, decide, listed, open_audits, sms, staff_case
from tests.integration.helpers import AGENCY_MAIL, end_of, plain

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("auditing")]


# --- who sees the audits ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "status"),
    [(OFFICER, 403), (CALLCENTER, 403), (staff("executive"), 403), (None, 401)],
    ids=["agency", "callcenter", "executive", "anonymous"],
)
def test_only_auditors_see_the_audits_and_record_verdicts(api, aws, auditing, monkeypatch, claims, status):
    monkeypatch.setattr(auditing, "rate", 1.0)
    doc = completed_case(api)
    sweep("2026-04-13T08:30:00+07:00")
    [audit_id] = open_audits(aws)
    items = table_items(aws)

    listing = api.call("GET", "/audits", claims=claims, when="2026-04-13T09:00:00+07:00")
    assert listing.status == status, listing.body
    assert doc["id"] not in listing.body
    for verdict, note in (("consistent", None), ("inconsistent", "ไม่ตรงกับหน้างาน")):
        ans = decide(api, audit_id, verdict, note, claims=claims)
        assert ans.status == status, ans.body
    assert table_items(aws) == items


def test_the_agency_sees_nothing_of_a_pending_audit(api, aws, pages, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 1.0)
    doc = completed_case(api)
    sweep("2026-04-13T08:30:00+07:00")
    assert open_audits(aws) == {f"{doc['id']}-4"}

    own = api.call("GET", f"/complaints/{doc['id']}", claims=OFFICER, when="2026-04-13T09:00:00+07:00")
    assert own.status == 200 and "audit" not in own.body.lower()
    assert [h["type"] for h in own.json["history"]][-1] == "completed"
    mine = api.call("GET", "/complaints", claims=OFFICER, when="2026-04-13T09:00:00+07:00")
    assert mine.status == 200 and doc["id"] in mine.body and "audit" not in mine.body.lower()
    page = pages.call("GET", agency_link(sent_emails(AGENCY_MAIL)[0]), when="2026-04-13T09:00:00+07:00")
    assert page.status == 200 and "audit" not in page.body.lower() and "ตรวจสอบ" not in page.body
    # nor does the citizen
    citizen = api.call(
        "GET", f"/complaints/{doc['id']}", query=f"token={doc['tracking_token']}", when="2026-04-13T09:00:00+07:00"
    )
    assert citizen.status == 200 and "audit" not in citizen.body.lower()


# --- verdicts ------------------------------------------------------------------------------


def events(aws, case_id: str) -> list[dict[str, Any]]:
    """The case's history events as stored (their data included), oldest first."""
    return [plain(i) for i in table_items(aws) if i["pk"]["S"] == f"CASE#{case_id}" and i["sk"]["S"].startswith("EVT#")]


@pytest.fixture
def two_audits(api, aws, auditing, monkeypatch) -> list[dict[str, Any]]:
    """Two completed cases of DIST-1039, both drawn (rate 1) on Mon 20 April; their filing answers."""
    monkeypatch.setattr(auditing, "rate", 1.0)
    docs = [completed_case(api, f"2026-04-16T09:0{i}:00+07:00", f"2026-04-17T10:0{i}:00+07:00") for i in range(2)]
    assert sweep("2026-04-20T08:30:00+07:00")["audits_drawn"] == 2
    return docs


def test_a_consistent_verdict_takes_the_audit_off_the_list_and_leaves_the_case_as_it_was(api, aws, two_audits):
    a, b = two_audits
    mails, texts = len(sent_emails()), len(sms())

    ans = ok(decide(api, f"{a['id']}-4", "consistent", "ตรงกับหน้างาน"))

    assert ans == {
        "id": f"{a['id']}-4",
        "verdict": "consistent",
        "case_id": a["id"],
        "case_state": "completed",
        "reopen_count": 0,
    }
    assert [x["id"] for x in listed(api)] == [f"{b['id']}-4"]
    case = staff_case(api, a["id"])
    assert (case["state"], case["reopen_count"]) == ("completed", 0)
    last = case["history"][-1]
    assert (last["type"], last["by"]["role"], last["note"]) == ("audited", "auditor", "ตรงกับหน้างาน")
    stored = events(aws, a["id"])[-1]
    assert stored["data"]["verdict"] == "consistent" and stored["data"]["agency_id"] == "DIST-1039"
    assert audits(aws)[f"{a['id']}-4"]["status"] == "consistent"
    assert (len(sent_emails()), len(sms())) == (mails, texts)


def test_an_inconsistent_verdict_reopens_the_case_to_the_agency_and_counts_against_it(api, aws, two_audits):
    a, b = two_audits
    note = "ภาพหลักฐานไม่ใช่จุดที่ร้องเรียน หลุมยังอยู่"
    texts = len(sms())

    ans = ok(decide(api, f"{b['id']}-4", "inconsistent", note, when="2026-04-21T10:00:00+07:00"))

    assert ans["case_state"] == "dispatched" and ans["reopen_count"] == 1
    assert [x["id"] for x in listed(api)] == [f"{a['id']}-4"]
    case = staff_case(api, b["id"])
    assert (case["state"], case["reopen_count"], case["agency"]["id"]) == ("dispatched", 1, "DIST-1039")
    assert case["due"] == {"kind": "ack", "at": end_of("2026-04-22")}  # Tue 21 → Wed 22
    assert [h["type"] for h in case["history"]][-2:] == ["audited", "reopened"]
    assert case["history"][-1]["by"]["role"] == "auditor"
    audited = [e for e in events(aws, b["id"]) if e["type"] == "audited"][-1]
    assert audited["data"]["verdict"] == "inconsistent"
    assert audited["data"]["agency_id"] == "DIST-1039"  # counts against the agency that completed it
    assert audited["note"] == note
    assert audits(aws)[f"{b['id']}-4"]["status"] == "inconsistent"

    mail = sent_emails(AGENCY_MAIL)[-1]
    assert b["id"] in mail.subject and "ส่งกลับ" in mail.subject and note in mail.body
    assert len(sms()) == texts + 1 and "ส่งกลับ" in sms()[-1]


def test_the_agency_is_told_an_audit_not_the_citizen_sent_the_case_back(api, two_audits):
    _, b = two_audits
    ok(decide(api, f"{b['id']}-4", "inconsistent", "หลักฐานไม่ตรงกับหน้างาน"))
    mail = sent_emails(AGENCY_MAIL)[-1]
    assert "ส่งกลับ" in mail.subject
    assert "ผู้ร้องแจ้ง" not in mail.body  # "the complainant reports ..."


def test_an_inconsistent_verdict_needs_a_note(api, aws, two_audits):
    a, _ = two_audits
    items = table_items(aws)
    for note in (None, ""):
        ans = decide(api, f"{a['id']}-4", "inconsistent", note)
        assert ans.status == 422, ans.body
    assert table_items(aws) == items


def test_a_second_verdict_on_the_same_audit_is_a_conflict(api, aws, two_audits):
    a, _ = two_audits
    ok(decide(api, f"{a['id']}-4", "consistent"))
    items = table_items(aws)
    for verdict, note in (("consistent", None), ("inconsistent", "ไม่ตรง")):
        ans = decide(api, f"{a['id']}-4", verdict, note, when="2026-04-22T10:00:00+07:00")
        assert ans.status == 409, ans.body
        assert "already decided" in ans.json["error"]["message"]
    assert table_items(aws) == items
    assert staff_case(api, a["id"])["state"] == "completed"


def test_a_malformed_audit_id_is_404(api, aws, two_audits):
    items = table_items(aws)
    ans = decide(api, "not-an-audit", "consistent")
    assert ans.status == 404, ans.body  # as an unknown id (issue #10: ids in the path)
    assert "no such audit id" in ans.json["error"]["message"]
    assert table_items(aws) == items


def test_an_unknown_audit_is_404(api, aws, two_audits):
    items = table_items(aws)
    ans = decide(api, "2604-ZZZZZZ-4", "consistent")
    assert ans.status == 404 and ans.json["error"]["code"] == "not_found"
    assert table_items(aws) == items


def test_a_bad_verdict_is_422(api, aws, two_audits):
    a, _ = two_audits
    items = table_items(aws)
    ans = decide(api, f"{a['id']}-4", "looks fine")
    assert ans.status == 422
    assert table_items(aws) == items
