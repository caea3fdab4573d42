"""The agency works a case through the API: acknowledge → progress → complete (or hand back),
the deadlines each step starts (across Songkran, weekends and the month's end), the history
it leaves and the notices the citizen gets.

What was "sent" is read back from moto's in-process SES and SNS backends.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import act, ok, table_items
from tests.integration.helpers import BASE_URL, PHONE, emails, end_of, event_item, file, history, sms

pytestmark = pytest.mark.integration

CALL_CENTRE_MAIL = "ops-1555@agency.example"
TRACK = re.compile(re.escape(BASE_URL) + r"/t/([0-9A-Z\-]+)/([A-Za-z0-9_\-]+)")  # the short tracking link


def test_agency_acknowledges_reports_progress_and_completes_with_the_deadlines_of_the_rules(api, aws):
    case_id = file(api)["id"]

    ack = ok(act(api, case_id, "acknowledge", "2026-04-16T10:05:00+07:00", {"note": "รับเรื่องแล้ว"}))
    assert ack["state"] == "acknowledged"
    assert ack["due"] == {"kind": "first_progress", "at": end_of("2026-04-21")}  # Fri 17, Mon 20, Tue 21
    assert history(api, case_id)[-1]["type"] == "acknowledged"

    first = ok(
        act(
            api,
            case_id,
            "progress",
            "2026-04-21T14:00:00+07:00",
            {"note": "ส่งทีมสำรวจหน้างานแล้ว", "expected_completion": "2026-05-08"},
        )
    )
    assert first["state"] == "in_progress"
    assert first["due"] == {"kind": "checkpoint", "at": end_of("2026-04-30")}  # Thu 30 April, a business day

    second = ok(act(api, case_id, "progress", "2026-04-30T16:00:00+07:00", {"note": "รอวัสดุซ่อมผิวถนน"}))
    assert second["state"] == "in_progress"
    assert second["due"] == {"kind": "checkpoint", "at": end_of("2026-05-15")}  # Fri 15 May

    done = ok(
        act(
            api,
            case_id,
            "complete",
            "2026-05-04T11:00:00+07:00",
            {"note": "ซ่อมผิวถนนเรียบร้อย", "evidence_urls": ["https://photos.example/fixed.jpg"]},
        )
    )
    assert done["state"] == "completed"
    assert done["due"] == {"kind": "feedback", "at": end_of("2026-05-18")}  # the citizen's 14 days to answer
    assert done["agency"]["id"] == "DIST-1039"

    steps = history(api, case_id)
    assert [h["type"] for h in steps] == ["received", "routed", "acknowledged", "progress", "progress", "completed"]
    assert [h["state"] for h in steps] == [
        "triage",
        "dispatched",
        "acknowledged",
        "in_progress",
        "in_progress",
        "completed",
    ]
    assert {(h["by"]["role"], h["by"]["id"]) for h in steps[2:]} == {("agency", "officer-1039")}
    assert event_item(aws, case_id, 6)["data"]["evidence_urls"] == ["https://photos.example/fixed.jpg"]

    texts = sms(PHONE)
    assert len(texts) == 5, texts  # routed, acknowledged, two progress reports, completed: each once
    assert "เขตวัฒนา" in texts[0]
    assert "เขตวัฒนา รับเรื่องแล้ว" in texts[1] and "21 เม.ย." in texts[1]  # the first progress deadline
    assert texts[2] == f"1555 {case_id}: คืบหน้า: ส่งทีมสำรวจหน้างานแล้ว"
    assert texts[3] == f"1555 {case_id}: คืบหน้า: รอวัสดุซ่อมผิวถนน"
    track = TRACK.search(texts[4])
    assert track and track.group(1) == case_id, texts[4]
    assert len(emails()) == 1  # the agency's dispatch e-mail only: acting on a case e-mails nobody

    # the tracking link of the completion SMS opens the citizen's view of the case
    mine = api.call("GET", f"/complaints/{case_id}", query=f"token={track.group(2)}")
    assert mine.status == 200, mine.body
    assert mine.json["state"] == "completed"


def test_checkpoints_step_over_a_weekend_and_across_the_month_end(api):
    case_id = file(api, when="2026-02-09T09:00:00+07:00")["id"]
    ok(act(api, case_id, "acknowledge", "2026-02-10T09:00:00+07:00"))
    first = ok(act(api, case_id, "progress", "2026-02-10T15:00:00+07:00", {"note": "สำรวจแล้ว"}))
    assert first["due"] == {"kind": "checkpoint", "at": end_of("2026-02-16")}  # 15 Feb is a Sunday
    second = ok(act(api, case_id, "progress", "2026-02-16T15:00:00+07:00", {"note": "กำลังซ่อม"}))
    assert second["due"] == {"kind": "checkpoint", "at": end_of("2026-03-02")}  # Sat 28 Feb → Mon 2 March


def test_completing_a_dispatched_case_also_records_the_acknowledgement(api):
    case_id = file(api)["id"]
    body = {"note": "เติมยางมะตอยแล้ว", "evidence_urls": ["https://photos.example/after.jpg"]}
    done = ok(act(api, case_id, "complete", "2026-04-10T16:00:00+07:00", body))
    assert done["state"] == "completed"
    assert done["due"] == {"kind": "feedback", "at": end_of("2026-04-24")}  # the citizen's 14 days to answer
    steps = history(api, case_id)
    assert [(h["type"], h["state"]) for h in steps[2:]] == [
        ("acknowledged", "acknowledged"),
        ("completed", "completed"),
    ]
    assert steps[2]["by"]["role"] == steps[3]["by"]["role"] == "agency"
    assert len(sms(PHONE)) == 2 and TRACK.search(sms(PHONE)[-1])


def test_the_citizen_sees_the_expected_date_and_the_evidence_in_the_history(api):
    doc = file(api)
    ok(act(api, doc["id"], "acknowledge", "2026-04-16T10:00:00+07:00"))
    ok(
        act(
            api,
            doc["id"],
            "progress",
            "2026-04-17T10:00:00+07:00",
            {"note": "กำลังซ่อม", "expected_completion": "2026-04-30"},
        )
    )
    ok(
        act(
            api,
            doc["id"],
            "complete",
            "2026-04-20T10:00:00+07:00",
            {"note": "เสร็จ", "evidence_urls": ["https://photos.example/after.jpg"]},
        )
    )
    history = api.call("GET", f"/complaints/{doc['id']}", query=f"token={doc['tracking_token']}").json["history"]
    assert history[-2]["expected_completion"] == "2026-04-30"
    assert history[-1]["evidence_urls"] == ["https://photos.example/after.jpg"]


# --- hand back ------------------------------------------------------------------------------


@pytest.mark.parametrize("acknowledged_first", [False, True], ids=["from-dispatched", "from-acknowledged"])
def test_handback_returns_the_case_to_triage_and_tells_the_call_centre_why(api, acknowledged_first):
    case_id = file(api)["id"]
    if acknowledged_first:
        ok(act(api, case_id, "acknowledge", "2026-04-10T11:00:00+07:00"))
    reason = "ถนนเส้นนี้อยู่ในความดูแลของกรมทางหลวง ไม่ใช่ของเขต"

    back = ok(act(api, case_id, "handback", "2026-04-10T15:30:00+07:00", {"reason": reason}))
    assert back["state"] == "triage" and back["agency"] is None
    assert back["due"] == {"kind": "dispatch", "at": "2026-04-11T15:30:00.000+07:00"}  # 24 hours, not business days
    last = history(api, case_id)[-1]
    assert (last["type"], last["note"], last["by"]["role"]) == ("handed_back", reason, "agency")

    [mail] = emails(to=CALL_CENTRE_MAIL)
    assert case_id in mail.subject and "สำนักงานเขตวัฒนา" in mail.subject
    assert reason in mail.body
    assert sms(PHONE)[-1] == f"1555 {case_id}: กำลังส่งต่อให้หน่วยงานที่รับผิดชอบ"

    # the officer's agency no longer holds the case
    assert act(api, case_id, "acknowledge", "2026-04-10T16:00:00+07:00").status == 404


@pytest.mark.parametrize("body", [{"reason": ""}, {"reason": "   "}, {}], ids=["empty", "blank", "missing"])
def test_handback_without_a_reason_is_refused_and_changes_nothing(api, aws, body):
    case_id = file(api)["id"]
    before, mails, texts = table_items(aws), len(emails()), len(sms())
    ans = act(api, case_id, "handback", "2026-04-10T15:30:00+07:00", body)
    assert ans.status == 422, ans.body
    assert "reason" in ans.json["error"]["message"]
    assert table_items(aws) == before
    assert (len(emails()), len(sms())) == (mails, texts)
