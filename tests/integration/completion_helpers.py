"""Helpers of the integration tests after completion (rules 5 and 6): completed cases of the
four agencies, the citizen's answer (API and tracking page), and the audits as stored and
as the auditors see and decide them.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from tests.conftest import CALLCENTER, act, complaint, ok, staff, table_items
from tests.integration import helpers
from tests.integration.helpers import PHONE, plain

AUDITOR = staff("auditor", sub="auditor-1")
FILED = "2026-04-10T09:12:00+07:00"  # a Friday; Songkran (Mon 13 – Wed 15 April) follows
COMPLETED = "2026-04-10T11:00:00+07:00"
ANSWERED = "2026-04-10T15:00:00+07:00"
SEED = 1555
COMMENT = "ยังเป็นหลุมอยู่เลย ไม่มีใครมาซ่อม"  # "still a pothole, nobody came to fix it"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

#: (category, district) → the agency it routes to, and an officer of that agency
AGENCIES = {
    "DIST-1039": ("road", "1039"),
    "DIST-1001": ("cleanliness", "1001"),
    "DIST-1005": ("safety", "1005"),
    "DEPT-DDS": ("flooding", "1039"),
}


def officer(agency_id: str) -> dict[str, Any]:
    return staff("agency", agency_id, sub=f"officer-{agency_id}")


# --- driving the system --------------------------------------------------------------------


def file(api, when: str = FILED, agency: str = "DIST-1039", **overrides: Any) -> dict[str, Any]:
    category, district = AGENCIES[agency]
    body = complaint(category=category, **overrides)
    body["location"] = body["location"] | {"district": district}
    ans = api.call("POST", "/complaints", body=body, when=when)
    assert ans.status == 201, ans.body
    assert ans.json["agency"]["id"] == agency
    return ans.json


def complete(
    api,
    case_id: str,
    when: str = COMPLETED,
    agency: str = "DIST-1039",
    evidence: str = "https://photos.example/fixed.jpg",
) -> dict[str, Any]:
    return ok(
        act(api, case_id, "complete", when, {"note": "ซ่อมเรียบร้อย", "evidence_urls": [evidence]}, claims=officer(agency))
    )


def completed_case(api, when: str = FILED, done: str = COMPLETED, **overrides: Any) -> dict[str, Any]:
    """A case filed and completed by its agency; the filing answer (with the tracking token)."""
    doc = file(api, when, **overrides)
    complete(api, doc["id"], done, overrides.get("agency", "DIST-1039"))
    return doc


def feedback(
    api,
    doc: dict[str, Any],
    when: str,
    fixed: bool,
    satisfied: bool,
    comment: str | None = COMMENT,
    token: str | None = None,
):
    return api.call(
        "POST",
        f"/complaints/{doc['id']}/feedback",
        query=f"token={token or doc['tracking_token']}",
        body={"fixed": fixed, "satisfied": satisfied, "comment": comment},
        when=when,
    )


def staff_case(api, case_id: str) -> dict[str, Any]:
    return ok(api.call("GET", f"/complaints/{case_id}", claims=CALLCENTER))


def track(pages, doc: dict[str, Any], when: str):
    return pages.call("GET", f"/track/{doc['id']}", query=f"token={doc['tracking_token']}", when=when)


def answer_form(pages, doc: dict[str, Any], fields: dict[str, str], when: str = ANSWERED):
    return pages.call(
        "POST",
        f"/track/{doc['id']}",
        raw=urlencode(fields),
        query=f"token={doc['tracking_token']}",
        headers=FORM,
        when=when,
    )


# --- reading what was sent and stored ------------------------------------------------------------


def sms(phone: str = PHONE) -> list[str]:
    """Texts of the SMS sent to ``phone`` (the citizen's by default), oldest first."""
    return helpers.sms(phone)


def draw_records(aws) -> list[dict[str, Any]]:
    """The recorded draws (``DRAW#<date>`` items), their ``draws`` decoded."""
    out = []
    for item in table_items(aws):
        if item["pk"]["S"].startswith("DRAW#"):
            doc = plain(item)
            doc["draws"] = json.loads(doc["draws"])
            out.append(doc)
    return out


def audits(aws) -> dict[str, dict[str, Any]]:
    """Every audit item, by audit id."""
    return {doc["id"]: doc for doc in (plain(i) for i in table_items(aws)) if doc.get("entity") == "audit"}


def open_audits(aws) -> set[str]:
    return {a for a, doc in audits(aws).items() if doc["status"] == "open"}


def listed(api) -> list[dict[str, Any]]:
    return ok(api.call("GET", "/audits", claims=AUDITOR, when="2026-04-21T09:00:00+07:00"))["audits"]


def decide(
    api,
    audit_id: str,
    verdict: str,
    note: str | None = None,
    claims: dict[str, Any] | None = AUDITOR,
    when: str = "2026-04-21T10:00:00+07:00",
):
    body: dict[str, Any] = {"verdict": verdict}
    if note is not None:
        body["note"] = note
    return api.call("POST", f"/audits/{audit_id}", body=body, claims=claims, when=when)
