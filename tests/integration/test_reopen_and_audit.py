"""After completion (rules 5 and 6): the citizen's feedback, reopening within the dispute window,
the daily sweep closing unanswered cases, and the random audit of completed cases with the
auditors' verdicts, the monthly minimum and the reminder.

Driven through the JSON API, the HTML pages and the scheduled sweep against moto; what was
sent is read back from moto's SES and SNS backends, draws and audits from the table.
"""

from __future__ import annotations

import json
import random
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from boto3.dynamodb.types import TypeDeserializer

from local import infra
from tests.conftest import CALLCENTER, OFFICER, act, agency_link, complaint, ok, sent_emails, staff, sweep, table_items

pytestmark = pytest.mark.integration

ACCOUNT = "123456789012"  # moto's default account
AUDITOR = staff("auditor", sub="auditor-1")
AGENCY_MAIL = "district-1039@agency.example"
AUDITORS_MAIL = "auditors@1555.local"  # AuditorsAddress of the local stack
PHONE = "+66812345678"
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


@pytest.fixture(autouse=True)
def auditing(api, pages, monkeypatch):
    """A fresh Auditing bound to this test's service (``wiring.auditing`` is cached per process),
    with a seeded random source so that every run draws the same."""
    from complaints import wiring

    wiring.auditing.cache_clear()
    audit = wiring.auditing()
    monkeypatch.setattr(audit, "rng", lambda: random.Random(SEED))
    yield audit
    wiring.auditing.cache_clear()


# --- driving the system --------------------------------------------------------------------



def file(api, when: str = FILED, agency: str = "DIST-1039", **overrides: Any) -> dict[str, Any]:
    category, district = AGENCIES[agency]
    body = complaint(category=category, **overrides)
    body["location"] = body["location"] | {"district": district}
    ans = api.call("POST", "/complaints", body=body, when=when)
    assert ans.status == 201, ans.body
    assert ans.json["agency"]["id"] == agency
    return ans.json






def complete(api, case_id: str, when: str = COMPLETED, agency: str = "DIST-1039",
             evidence: str = "https://photos.example/fixed.jpg") -> dict[str, Any]:
    return ok(act(api, case_id, "complete", when, {"note": "ซ่อมเรียบร้อย", "evidence_urls": [evidence]},
                  claims=officer(agency)))


def completed_case(api, when: str = FILED, done: str = COMPLETED, **overrides: Any) -> dict[str, Any]:
    """A case filed and completed by its agency; the filing answer (with the tracking token)."""
    doc = file(api, when, **overrides)
    complete(api, doc["id"], done, overrides.get("agency", "DIST-1039"))
    return doc


def feedback(api, doc: dict[str, Any], when: str, fixed: bool, satisfied: bool, comment: str | None = COMMENT,
             token: str | None = None):
    return api.call("POST", f"/complaints/{doc['id']}/feedback", query=f"token={token or doc['tracking_token']}",
                    body={"fixed": fixed, "satisfied": satisfied, "comment": comment}, when=when)


def staff_case(api, case_id: str) -> dict[str, Any]:
    return ok(api.call("GET", f"/complaints/{case_id}", claims=CALLCENTER))


def history(api, case_id: str) -> list[dict[str, Any]]:
    return staff_case(api, case_id)["history"]


def end_of(day: str) -> str:
    return f"{day}T23:59:59.999+07:00"


# --- reading what was sent and stored ------------------------------------------------------------

def sms(phone: str = PHONE) -> list[str]:
    from moto.sns.models import sns_backends

    return [text for number, text, *_ in sns_backends[ACCOUNT][infra.REGION].sms_messages.values()
            if number == phone]


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    de = TypeDeserializer()
    return {k: de.deserialize(v) for k, v in item.items()}


def events(aws, case_id: str) -> list[dict[str, Any]]:
    """The case's history events as stored (their data included), oldest first."""
    return [_plain(i) for i in table_items(aws)
            if i["pk"]["S"] == f"CASE#{case_id}" and i["sk"]["S"].startswith("EVT#")]


def draw_records(aws) -> list[dict[str, Any]]:
    """The recorded draws (``DRAW#<date>`` items), their ``draws`` decoded."""
    out = []
    for item in table_items(aws):
        if item["pk"]["S"].startswith("DRAW#"):
            doc = _plain(item)
            doc["draws"] = json.loads(doc["draws"])
            out.append(doc)
    return out


def audits(aws) -> dict[str, dict[str, Any]]:
    """Every audit item, by audit id."""
    return {doc["id"]: doc for doc in (_plain(i) for i in table_items(aws)) if doc.get("entity") == "audit"}


def open_audits(aws) -> set[str]:
    return {a for a, doc in audits(aws).items() if doc["status"] == "open"}


def listed(api) -> list[dict[str, Any]]:
    return ok(api.call("GET", "/audits", claims=AUDITOR, when="2026-04-21T09:00:00+07:00"))["audits"]


def decide(api, audit_id: str, verdict: str, note: str | None = None, claims: dict[str, Any] | None = AUDITOR,
           when: str = "2026-04-21T10:00:00+07:00"):
    body: dict[str, Any] = {"verdict": verdict}
    if note is not None:
        body["note"] = note
    return api.call("POST", f"/audits/{audit_id}", body=body, claims=claims, when=when)


# === 1. feedback after completion ===========================================================

def test_a_fixed_and_satisfied_answer_closes_the_case(api):
    doc = completed_case(api)
    mails, texts = len(sent_emails()), len(sms())

    mine = ok(feedback(api, doc, ANSWERED, fixed=True, satisfied=True, comment="ขอบคุณครับ"))

    assert mine["state"] == "closed" and mine["due"] is None and mine["reopen_count"] == 0
    steps = history(api, doc["id"])
    assert [h["type"] for h in steps][-3:] == ["completed", "feedback", "closed"]
    assert {h["by"]["role"] for h in steps[-2:]} == {"citizen"}
    assert staff_case(api, doc["id"])["state"] == "closed"
    assert (len(sent_emails()), len(sms())) == (mails, texts)  # nothing to tell anyone


@pytest.mark.parametrize(("fixed", "satisfied"), [(False, False), (False, True), (True, False)],
                         ids=["not-fixed", "not-fixed-but-satisfied", "fixed-but-not-satisfied"])
def test_a_no_sends_the_case_back_to_the_same_agency_with_fresh_deadlines(api, pages, fixed, satisfied):
    doc = completed_case(api)
    case_id = doc["id"]
    [first_mail] = sent_emails(AGENCY_MAIL)
    old_link = agency_link(first_mail)
    texts = len(sms())

    mine = ok(feedback(api, doc, ANSWERED, fixed=fixed, satisfied=satisfied))

    assert mine["state"] == "dispatched" and mine["agency"]["id"] == "DIST-1039"
    assert mine["reopen_count"] == 1
    # the clock restarts at the answer: Fri 10 April → Thu 16 April, across Songkran
    assert mine["due"] == {"kind": "ack", "at": end_of("2026-04-16")}
    steps = history(api, case_id)
    assert [h["type"] for h in steps][-2:] == ["feedback", "reopened"]
    reopened = steps[-1]
    assert (reopened["note"], reopened["state"], reopened["by"]["role"]) == (COMMENT, "dispatched", "citizen")

    # the agency is e-mailed that the case came back, with the citizen's words and a working link
    [_, mail] = sent_emails(AGENCY_MAIL)
    assert case_id in mail.subject and "ส่งกลับ" in mail.subject and "16 เม.ย. 2569" in mail.subject
    assert COMMENT in mail.body
    new_link = agency_link(mail)
    page = pages.call("GET", new_link, when="2026-04-16T09:00:00+07:00")
    assert page.status == 200 and 'id="form-acknowledge"' in page.body

    # the link of the first dispatch is superseded
    refused = pages.call("GET", old_link, when="2026-04-16T09:00:00+07:00")
    assert refused.status == 403
    assert "no longer works" in refused.body and 'id="form-' not in refused.body

    # the citizen who asked to be told hears of the reopening, in one segment
    assert len(sms()) == texts + 1
    assert sms()[-1].startswith(f"1555 {case_id}: ") and "ส่งกลับ" in sms()[-1] and len(sms()[-1]) <= 70


def test_the_agency_works_the_reopened_case_from_its_new_link(api, pages):
    doc = completed_case(api)
    ok(feedback(api, doc, ANSWERED, fixed=False, satisfied=False))
    link = agency_link(sent_emails(AGENCY_MAIL)[-1])
    page = pages.call("GET", link, when="2026-04-16T09:00:00+07:00")
    version = page.body.split('name="version" value="', 1)[1].split('"', 1)[0]
    done = pages.form(link, {"action": "acknowledge", "version": version, "note": "รับทราบ จะซ่อมใหม่"},
                      when="2026-04-16T09:05:00+07:00")
    assert done.status == 200, done.body
    case = staff_case(api, doc["id"])
    assert case["state"] == "acknowledged"
    assert case["due"] == {"kind": "first_progress", "at": end_of("2026-04-21")}


def test_the_link_in_the_completion_sms_lets_the_citizen_answer_for_that_case_only(api):
    doc = completed_case(api)
    other = completed_case(api)
    link = re.search(r"/track/([0-9A-Z\-]+)\?token=([A-Za-z0-9_\-]+)", sms()[-1])
    assert link and link.group(1) == other["id"]
    token = link.group(2)

    assert feedback(api, doc, ANSWERED, fixed=False, satisfied=False, token=token).status == 404
    mine = ok(feedback(api, other, ANSWERED, fixed=False, satisfied=False, token=token))
    assert (mine["state"], mine["reopen_count"]) == ("dispatched", 1)
    assert staff_case(api, doc["id"])["state"] == "completed"


# === 2. who may answer, and when ===============================================================

@pytest.mark.parametrize("token", ["", "token=", "token=not-the-token", "token=" + "A" * 43],
                         ids=["missing", "empty", "wrong", "wrong-but-well-formed"])
def test_feedback_without_the_right_token_is_not_found_and_changes_nothing(api, aws, token):
    doc = completed_case(api)
    items, mails, texts = table_items(aws), len(sent_emails()), len(sms())

    ans = api.call("POST", f"/complaints/{doc['id']}/feedback", query=token,
                   body={"fixed": False, "satisfied": False, "comment": COMMENT}, when=ANSWERED)

    assert ans.status == 404, ans.body
    assert ans.json["error"]["code"] == "not_found"
    assert table_items(aws) == items
    assert (len(sent_emails()), len(sms())) == (mails, texts)


def test_a_citizen_cannot_answer_for_someone_elses_case(api, aws):
    mine = completed_case(api)
    theirs = completed_case(api, complainant={"name": "สมหญิง", "phone": "0898765432"})
    items = table_items(aws)

    ans = feedback(api, theirs, ANSWERED, fixed=False, satisfied=False, token=mine["tracking_token"])

    assert ans.status == 404, ans.body
    assert table_items(aws) == items
    assert staff_case(api, theirs["id"])["state"] == "completed"


@pytest.mark.parametrize(("steps", "state"), [([], "dispatched"), (["acknowledge"], "acknowledged")],
                         ids=["dispatched", "acknowledged"])
def test_feedback_before_completion_is_409_naming_the_state(api, aws, steps, state):
    doc = file(api)
    for step in steps:
        ok(act(api, doc["id"], step, "2026-04-10T10:00:00+07:00"))
    items = table_items(aws)

    ans = feedback(api, doc, ANSWERED, fixed=False, satisfied=False)

    assert ans.status == 409, ans.body
    assert ans.json["error"]["code"] == "illegal_transition"
    assert f"'{state}'" in ans.json["error"]["message"]
    assert table_items(aws) == items


def test_a_confirmed_case_cannot_be_confirmed_again(api, aws):
    doc = completed_case(api)
    ok(feedback(api, doc, ANSWERED, fixed=True, satisfied=True))
    items = table_items(aws)
    ans = feedback(api, doc, "2026-04-11T09:00:00+07:00", fixed=True, satisfied=True)
    assert ans.status == 409 and "'closed'" in ans.json["error"]["message"]
    assert table_items(aws) == items


# === 3. the tracking page's feedback form ======================================================

def track(pages, doc: dict[str, Any], when: str):
    return pages.call("GET", f"/track/{doc['id']}", query=f"token={doc['tracking_token']}", when=when)


def answer_form(pages, doc: dict[str, Any], fields: dict[str, str], when: str = ANSWERED):
    return pages.call("POST", f"/track/{doc['id']}", raw=urlencode(fields), query=f"token={doc['tracking_token']}",
                      headers=FORM, when=when)


def test_the_tracking_page_offers_the_feedback_form_only_once_completed(api, pages):
    doc = file(api)
    assert 'id="form-feedback"' not in track(pages, doc, "2026-04-10T09:30:00+07:00").body
    ok(act(api, doc["id"], "acknowledge", "2026-04-10T09:40:00+07:00"))
    ok(act(api, doc["id"], "progress", "2026-04-10T09:50:00+07:00", {"note": "กำลังซ่อม"}))
    page = track(pages, doc, "2026-04-10T10:00:00+07:00")
    assert page.status == 200 and 'id="form-feedback"' not in page.body

    complete(api, doc["id"])
    page = track(pages, doc, "2026-04-10T12:00:00+07:00")
    assert page.status == 200 and 'id="form-feedback"' in page.body
    assert 'name="fixed"' in page.body and 'name="satisfied"' in page.body


def test_answering_no_on_the_tracking_page_reopens_the_case_and_the_page_says_so(api, pages):
    doc = completed_case(api)

    page = answer_form(pages, doc, {"fixed": "no", "satisfied": "no", "comment": COMMENT})

    assert page.status == 200, page.body
    assert "ส่งเรื่องกลับให้หน่วยงานแก้ไขอีกครั้งแล้ว" in page.body and "sent back" in page.body
    assert 'id="form-feedback"' not in page.body  # nothing more to answer until completed again
    case = staff_case(api, doc["id"])
    assert (case["state"], case["reopen_count"]) == ("dispatched", 1)
    assert case["due"] == {"kind": "ack", "at": end_of("2026-04-16")}
    assert case["history"][-1]["note"] == COMMENT
    assert "ส่งกลับ" in sent_emails(AGENCY_MAIL)[-1].subject


def test_answering_yes_on_the_tracking_page_closes_the_case(api, pages):
    doc = completed_case(api)
    page = answer_form(pages, doc, {"fixed": "yes", "satisfied": "yes", "comment": ""})
    assert page.status == 200 and "ปิดเรื่องแล้ว" in page.body
    assert staff_case(api, doc["id"])["state"] == "closed"


def test_a_closed_case_offers_only_to_report_that_it_is_not_fixed(api, pages):
    doc = completed_case(api)
    sweep("2026-04-25T08:30:00+07:00")  # no answer in 14 days: closed
    page = track(pages, doc, "2026-04-27T10:00:00+07:00").body
    assert 'id="form-feedback"' not in page and 'id="form-dispute"' in page

    answer = answer_form(pages, doc, {"fixed": "no", "satisfied": "no", "comment": COMMENT},
                         when="2026-04-27T10:00:00+07:00")

    assert answer.status == 200, answer.body
    assert staff_case(api, doc["id"])["state"] == "dispatched"


@pytest.mark.parametrize("fields", [{"fixed": "no"}, {"satisfied": "no", "comment": COMMENT},
                                    {"fixed": "no", "satisfied": "maybe"}, {}],
                         ids=["no-satisfied", "no-fixed", "bad-value", "nothing"])
def test_a_form_with_an_answer_missing_is_422_and_changes_nothing(api, aws, pages, fields):
    doc = completed_case(api)
    items, mails = table_items(aws), len(sent_emails())

    page = answer_form(pages, doc, fields)

    assert page.status == 422, page.body
    assert "โปรดตอบทั้งสองข้อ" in page.body and 'id="form-feedback"' in page.body
    assert table_items(aws) == items and len(sent_emails()) == mails


def test_the_tracking_form_with_a_wrong_token_is_not_found(api, aws, pages):
    doc = completed_case(api)
    items = table_items(aws)
    page = answer_form(pages, doc | {"tracking_token": "not-the-token"}, {"fixed": "no", "satisfied": "no"})
    assert page.status == 404
    assert table_items(aws) == items


# === 4. the feedback window, the dispute window, and reopening by the call centre ==================

def test_no_answer_within_14_days_and_the_sweep_closes_the_case(api):
    doc = completed_case(api)  # completed Fri 10 April: the citizen may answer until the end of Fri 24 April
    assert staff_case(api, doc["id"])["due"] == {"kind": "feedback", "at": end_of("2026-04-24")}

    for day in ("2026-04-17", "2026-04-24"):
        report = sweep(f"{day}T08:30:00+07:00")
        assert report["closed_without_feedback"] == 0
        assert staff_case(api, doc["id"])["state"] == "completed"

    report = sweep("2026-04-25T08:30:00+07:00")
    assert report["closed_without_feedback"] == 1
    case = staff_case(api, doc["id"])
    assert (case["state"], case["due"]) == ("closed", None)
    closed = case["history"][-1]
    assert (closed["type"], closed["by"]["role"]) == ("closed", "system")
    assert "no answer within 14 days" in closed["note"]

    again = sweep("2026-04-26T08:30:00+07:00")  # nothing twice
    assert again["closed_without_feedback"] == 0
    assert [h["type"] for h in history(api, doc["id"])].count("closed") == 1


def test_a_case_the_sweep_closed_can_still_be_reopened_by_the_citizen_within_the_dispute_window(api, pages):
    doc = completed_case(api)
    sweep("2026-04-25T08:30:00+07:00")
    assert staff_case(api, doc["id"])["state"] == "closed"
    assert 'id="form-dispute"' in track(pages, doc, "2026-05-06T10:00:00+07:00").body

    mine = ok(feedback(api, doc, "2026-05-06T10:00:00+07:00", fixed=False, satisfied=False))
    assert (mine["state"], mine["reopen_count"]) == ("dispatched", 1)
    assert mine["due"] == {"kind": "ack", "at": end_of("2026-05-07")}


def reopen_by(api, how: str, doc: dict[str, Any], when: str):
    if how == "citizen":
        return feedback(api, doc, when, fixed=False, satisfied=True)
    return api.call("POST", f"/complaints/{doc['id']}/reopen", claims=CALLCENTER, when=when,
                    body={"reason": "ผู้ร้องโทรแจ้งว่ายังไม่ได้ซ่อม"})


@pytest.mark.parametrize("how", ["citizen", "callcenter"])
def test_a_confirmed_case_can_be_reopened_until_the_last_day_of_the_dispute_window(api, how):
    doc = completed_case(api)  # completed Fri 10 April: the window runs to the end of Sun 10 May
    ok(feedback(api, doc, ANSWERED, fixed=True, satisfied=True))
    texts = len(sms())

    answer = reopen_by(api, how, doc, "2026-05-10T23:00:00+07:00")

    mine = ok(answer)
    assert (mine["state"], mine["reopen_count"], mine["agency"]["id"]) == ("dispatched", 1, "DIST-1039")
    assert mine["due"] == {"kind": "ack", "at": end_of("2026-05-11")}  # Sunday → Monday
    last = history(api, doc["id"])[-1]
    assert (last["type"], last["by"]["role"]) == ("reopened", how)
    if how == "callcenter":
        assert last["note"] == "ผู้ร้องโทรแจ้งว่ายังไม่ได้ซ่อม"
    assert "ส่งกลับ" in sent_emails(AGENCY_MAIL)[-1].subject
    assert len(sms()) == texts + 1


@pytest.mark.parametrize("how", ["citizen", "callcenter"])
def test_after_the_dispute_window_a_reopen_is_409_telling_to_file_a_new_complaint(api, aws, pages, how):
    doc = completed_case(api)
    ok(feedback(api, doc, ANSWERED, fixed=True, satisfied=True))
    items, mails = table_items(aws), len(sent_emails())

    ans = reopen_by(api, how, doc, "2026-05-11T00:30:00+07:00")

    assert ans.status == 409, ans.body
    message = ans.json["error"]["message"]
    assert "'closed'" in message and "file a new complaint" in message and "2026-05-10" in message
    assert table_items(aws) == items and len(sent_emails()) == mails
    page = track(pages, doc, "2026-05-11T00:30:00+07:00")
    assert 'id="form-feedback"' not in page.body and "file a new complaint" in page.body


@pytest.mark.parametrize(("claims", "status"), [(OFFICER, 403), (AUDITOR, 403), (None, 401)],
                         ids=["agency", "auditor", "anonymous"])
def test_only_the_call_centre_may_reopen(api, aws, claims, status):
    doc = completed_case(api)
    items = table_items(aws)
    ans = api.call("POST", f"/complaints/{doc['id']}/reopen", claims=claims, body={"reason": "ยังไม่ได้ซ่อม"},
                   when=ANSWERED)
    assert ans.status == status, ans.body
    assert table_items(aws) == items


def test_the_call_centre_needs_a_reason_and_a_completed_case_to_reopen(api, aws):
    doc = completed_case(api)
    items = table_items(aws)
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        ans = api.call("POST", f"/complaints/{doc['id']}/reopen", claims=CALLCENTER, body=body, when=ANSWERED)
        assert ans.status == 422, (body, ans.body)
    assert table_items(aws) == items

    other = file(api)
    ans = api.call("POST", f"/complaints/{other['id']}/reopen", claims=CALLCENTER, body={"reason": "ยังไม่ซ่อม"},
                   when=ANSWERED)
    assert ans.status == 409 and "'dispatched'" in ans.json["error"]["message"]


def test_a_reopened_case_gets_new_deadlines_and_after_completing_again_a_new_feedback_window(api):
    doc = completed_case(api)  # first completion Fri 10 April: its dispute window ended Sun 10 May
    mine = ok(feedback(api, doc, "2026-04-20T10:00:00+07:00", fixed=False, satisfied=False))
    assert mine["due"] == {"kind": "ack", "at": end_of("2026-04-21")}  # Mon 20 → Tue 21

    ack = ok(act(api, doc["id"], "acknowledge", "2026-04-21T09:00:00+07:00"))
    assert ack["due"] == {"kind": "first_progress", "at": end_of("2026-04-24")}
    again = complete(api, doc["id"], "2026-04-27T10:00:00+07:00")
    assert again["state"] == "completed"
    assert again["due"] == {"kind": "feedback", "at": end_of("2026-05-11")}  # 14 days from the new completion

    assert sweep("2026-05-11T08:30:00+07:00")["closed_without_feedback"] == 0
    assert staff_case(api, doc["id"])["state"] == "completed"
    assert sweep("2026-05-12T08:30:00+07:00")["closed_without_feedback"] == 1
    assert staff_case(api, doc["id"])["state"] == "closed"

    # the dispute window runs from the last completion (to 27 May), not the first
    second = ok(api.call("POST", f"/complaints/{doc['id']}/reopen", claims=CALLCENTER, when="2026-05-20T10:00:00+07:00",
                         body={"reason": "ผู้ร้องแจ้งว่าหลุมกลับมาอีก"}))
    assert (second["state"], second["reopen_count"]) == ("dispatched", 2)
    assert second["due"] == {"kind": "ack", "at": end_of("2026-05-21")}


# === 5. the random audit ====================================================================

def complete_many(api, n: int) -> dict[str, str]:
    """``n`` cases across four agencies, filed on Thu 16 April and completed on Fri 17 April, each with
    its own evidence photo; case id → agency."""
    agencies = sorted(AGENCIES)
    cases = {}
    for i in range(n):
        agency = agencies[i % len(agencies)]
        doc = file(api, f"2026-04-16T09:{i:02d}:00+07:00", agency=agency)
        complete(api, doc["id"], f"2026-04-17T10:{i:02d}:00+07:00", agency, f"https://photos.example/done-{i}.jpg")
        cases[doc["id"]] = agency
    return cases


def test_the_sweep_draws_completed_cases_at_the_rate_and_records_every_number(api, aws, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 0.5)
    cases = complete_many(api, 20)

    report = sweep("2026-04-20T08:30:00+07:00")

    records = draw_records(aws)
    assert {r["pk"] for r in records} == {"DRAW#2026-04-20"}
    assert all(float(r["rate"]) == 0.5 and r["source"] == "seeded (tests only)" for r in records)
    draws = [d for r in records for d in r["draws"]]
    assert sorted(d["case_id"] for d in draws) == sorted(cases)  # every completion, each once
    for record in records:  # drawn per agency: a record holds one agency's completions
        agency = record["sk"].split("#", 1)[0]
        assert {cases[d["case_id"]] for d in record["draws"]} == {agency}
    assert all(0 <= d["value"] < 1 and d["drawn"] == (d["value"] < 0.5) for d in draws)
    drawn = {d["case_id"] for d in draws if d["drawn"]}
    assert 0 < len(drawn) < len(cases)  # the seed gives a real sample: some drawn, some not
    assert report["audits_drawn"] == len(drawn)
    assert open_audits(aws) == {f"{c}-4" for c in drawn}  # received, routed, acknowledged, completed (4)

    # a second sweep the same day draws nothing new
    items = [i for i in table_items(aws) if i["pk"]["S"].startswith(("DRAW#", "AUDIT#"))]
    again = sweep("2026-04-20T20:00:00+07:00")
    assert again["audits_drawn"] == 0 and again["audits_month_minimum"] == 0
    assert [i for i in table_items(aws) if i["pk"]["S"].startswith(("DRAW#", "AUDIT#"))] == items

    # the auditors see exactly the drawn cases, each with its completion evidence
    waiting = listed(api)
    assert {a["case"]["id"] for a in waiting} == drawn
    for audit in waiting:
        case = audit["case"]
        assert audit["id"] == f"{case['id']}-4" and audit["completed_seq"] == 4
        assert audit["agency_id"] == cases[case["id"]] == case["agency"]["id"]
        assert case["state"] == "completed"
        [done] = [h for h in case["history"] if h["type"] == "completed"]
        assert done["evidence_urls"][0].startswith("https://photos.example/done-")


def test_a_completion_made_after_the_draw_waits_for_the_next_one(api, aws, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 1.0)
    first = completed_case(api, "2026-04-16T09:00:00+07:00", "2026-04-17T10:00:00+07:00")
    assert sweep("2026-04-20T08:30:00+07:00")["audits_drawn"] == 1
    later = completed_case(api, "2026-04-20T09:00:00+07:00", "2026-04-20T10:00:00+07:00")
    assert sweep("2026-04-21T08:30:00+07:00")["audits_drawn"] == 1
    assert open_audits(aws) == {f"{first['id']}-4", f"{later['id']}-4"}
    assert {r["pk"] for r in draw_records(aws)} == {"DRAW#2026-04-20", "DRAW#2026-04-21"}


@pytest.mark.parametrize(("claims", "status"), [(OFFICER, 403), (CALLCENTER, 403), (staff("executive"), 403),
                                                (None, 401)],
                         ids=["agency", "callcenter", "executive", "anonymous"])
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
    citizen = api.call("GET", f"/complaints/{doc['id']}", query=f"token={doc['tracking_token']}",
                       when="2026-04-13T09:00:00+07:00")
    assert citizen.status == 200 and "audit" not in citizen.body.lower()


# === 6. verdicts ===============================================================================

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

    assert ans == {"id": f"{a['id']}-4", "verdict": "consistent", "case_id": a["id"], "case_state": "completed",
                   "reopen_count": 0}
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


def test_a_malformed_audit_id_is_422(api, aws, two_audits):
    items = table_items(aws)
    ans = decide(api, "not-an-audit", "consistent")
    assert ans.status == 422, ans.body
    assert "audit_id" in ans.json["error"]["message"]
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


# === 7. the monthly minimum ======================================================================

def minimum_records(aws) -> list[dict[str, Any]]:
    return [r for r in draw_records(aws) if r.get("month_minimum")]


def test_an_agency_with_april_completions_and_none_drawn_gets_one_audit_on_the_last_day_of_april(
        api, aws, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 0.0)
    watthana = [completed_case(api, f"2026-04-16T09:0{i}:00+07:00", f"2026-04-17T10:0{i}:00+07:00")["id"]
                for i in range(3)]
    phra_nakhon = [completed_case(api, "2026-04-20T09:00:00+07:00", "2026-04-29T10:00:00+07:00",
                                  agency="DIST-1001")["id"]]
    file(api, "2026-04-20T09:00:00+07:00", agency="DIST-1005")  # dispatched, never completed

    assert sweep("2026-04-20T08:30:00+07:00")["audits_drawn"] == 0  # rate 0: nothing drawn daily
    assert sweep("2026-04-29T08:30:00+07:00")["audits_month_minimum"] == 0  # the month is not over
    assert open_audits(aws) == set()

    report = sweep("2026-04-30T08:30:00+07:00")  # Thu 30 April, the month's last day

    assert (report["audits_drawn"], report["audits_month_minimum"]) == (0, 2)
    found = audits(aws)
    by_agency = {a["agency_id"]: a for a in found.values()}
    assert set(by_agency) == {"DIST-1039", "DIST-1001"}  # DIST-1005 completed nothing: none
    assert by_agency["DIST-1039"]["case_id"] in watthana
    assert by_agency["DIST-1001"]["case_id"] in phra_nakhon
    records = minimum_records(aws)
    assert {r["sk"] for r in records} == {"DIST-1039#minimum-2026-04", "DIST-1001#minimum-2026-04"}
    assert {r["pk"] for r in records} == {"DRAW#2026-04-30"}
    for record in records:
        [chosen] = record["draws"]
        assert chosen["drawn"] is True and f"{chosen['case_id']}-{chosen['seq']}" in found
    assert {a["case"]["id"] for a in listed(api)} == {a["case_id"] for a in found.values()}

    for day in ("2026-04-30T20:00:00+07:00", "2026-05-01T08:30:00+07:00", "2026-05-05T08:30:00+07:00"):
        assert sweep(day)["audits_month_minimum"] == 0  # settled once
    assert audits(aws) == found and len(minimum_records(aws)) == 2


def test_a_completion_after_the_last_day_sweep_is_settled_with_its_month_on_the_first(api, aws, auditing,
                                                                                      monkeypatch):
    monkeypatch.setattr(auditing, "rate", 0.0)
    sweep("2026-04-30T08:30:00+07:00")
    late = completed_case(api, "2026-04-30T09:00:00+07:00", "2026-04-30T16:00:00+07:00")["id"]

    report = sweep("2026-05-01T08:30:00+07:00")

    assert report["audits_month_minimum"] == 1
    [audit] = audits(aws).values()
    assert audit["case_id"] == late
    assert [r["sk"] for r in minimum_records(aws)] == ["DIST-1039#minimum-2026-04"]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_minimum_for_april_settled_in_may_is_drawn_from_april_completions_only(
        api, aws, auditing, monkeypatch, seed):
    monkeypatch.setattr(auditing, "rate", 0.0)
    monkeypatch.setattr(auditing, "rng", lambda: random.Random(seed))
    april = {completed_case(api, f"2026-04-2{i}T09:00:00+07:00", f"2026-04-2{i}T10:00:00+07:00")["id"]
             for i in (2, 3)}
    may = completed_case(api, "2026-05-05T09:00:00+07:00", "2026-05-06T10:00:00+07:00")["id"]

    report = sweep("2026-05-07T08:30:00+07:00")  # the first sweep after April: draws and settles April

    assert report["audits_month_minimum"] == 1
    [audit] = audits(aws).values()
    assert audit["case_id"] in april and audit["case_id"] != may
    [record] = minimum_records(aws)
    assert record["sk"] == "DIST-1039#minimum-2026-04"
    assert sweep("2026-05-08T08:30:00+07:00")["audits_month_minimum"] == 0
    assert len(audits(aws)) == 1


def test_an_agency_that_had_a_case_drawn_in_the_month_gets_no_minimum(api, aws, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 1.0)
    drawn = completed_case(api, "2026-04-16T09:00:00+07:00", "2026-04-17T10:00:00+07:00")["id"]
    assert sweep("2026-04-20T08:30:00+07:00")["audits_drawn"] == 1
    monkeypatch.setattr(auditing, "rate", 0.0)
    completed_case(api, "2026-04-21T09:00:00+07:00", "2026-04-21T10:00:00+07:00")
    report = sweep("2026-04-30T08:30:00+07:00")
    assert (report["audits_drawn"], report["audits_month_minimum"]) == (0, 0)
    assert {a["case_id"] for a in audits(aws).values()} == {drawn}


# === 8. the reminder to the auditors ===========================================================

def reminders() -> list[Any]:
    return sent_emails(AUDITORS_MAIL)


def test_an_audit_open_for_5_business_days_is_reminded_to_the_auditors_once(api, aws, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 1.0)
    first = completed_case(api, "2026-04-08T09:00:00+07:00", "2026-04-08T10:00:00+07:00")["id"]
    sweep("2026-04-09T08:30:00+07:00")  # Thu 9 April: drawn
    second = completed_case(api, "2026-04-16T09:00:00+07:00", "2026-04-16T10:00:00+07:00")["id"]
    decided = completed_case(api, "2026-04-16T09:30:00+07:00", "2026-04-16T10:30:00+07:00")["id"]
    sweep("2026-04-17T08:30:00+07:00")  # Fri 17 April: both drawn
    assert open_audits(aws) == {f"{first}-4", f"{second}-4", f"{decided}-4"}
    ok(decide(api, f"{decided}-4", "consistent", when="2026-04-20T10:00:00+07:00"))  # in time: never reminded
    # Fri 10, (Songkran 13–15,) Thu 16, Fri 17, Mon 20: four business days after the draw
    for day in ("2026-04-14", "2026-04-20"):
        assert sweep(f"{day}T08:30:00+07:00")["audits_reminded"] == 0
    assert reminders() == []

    report = sweep("2026-04-21T08:30:00+07:00")  # Tue 21 April: the fifth business day

    assert report["audits_reminded"] == 1
    [mail] = reminders()
    assert f"{first}-4" in mail.body and f"{second}-4" not in mail.body
    assert "5 วันทำการ" in mail.subject

    for day in ("2026-04-22", "2026-04-23"):
        assert sweep(f"{day}T08:30:00+07:00")["audits_reminded"] == 0
    assert len(reminders()) == 1

    # the second, drawn Fri 17 April: Mon 20, Tue 21, Wed 22, Thu 23, Fri 24
    assert sweep("2026-04-24T08:30:00+07:00")["audits_reminded"] == 1
    assert len(reminders()) == 2
    last = reminders()[-1]
    assert f"{second}-4" in last.body and f"{first}-4" not in last.body and f"{decided}-4" not in last.body
    for day in ("2026-04-27", "2026-04-28"):
        assert sweep(f"{day}T08:30:00+07:00")["audits_reminded"] == 0
    assert len(reminders()) == 2
