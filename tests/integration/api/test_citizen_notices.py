"""The citizen's notices as a case moves: by SMS in one segment (two parts for the tracking
link), by e-mail without a mobile, nothing when not asked; a landline cannot take notices.

What was "sent" is read back from moto's in-process SES and SNS backends.
"""

from __future__ import annotations

import pytest

from tests.conftest import act, complaint, ok, table_items
from tests.integration.helpers import AGENCY_MAIL, BASE_URL, PHONE, emails, file, history, sms

pytestmark = pytest.mark.integration

SMS_SEGMENT = 70  # UCS-2: one segment
SMS_PART = 67  # UCS-2: each part of a concatenated message


def test_filing_texts_the_citizen_once_and_nobody_else(api):
    doc = file(api)
    assert sms() == sms(PHONE)
    [text] = sms(PHONE)
    assert text.startswith(f"1555 {doc['id']}: ") and "สำนักงานเขตวัฒนา" in text
    assert emails(to="somchai@example.com") == []  # told by SMS, not twice
    assert len(emails()) == 1


def test_routed_sms_fits_one_segment(api):
    case_id = file(api)["id"]
    [text] = sms(PHONE)
    assert text == f"1555 {case_id}: ส่งถึงสำนักงานเขตวัฒนา แล้ว"
    assert len(text) <= SMS_SEGMENT


def test_referred_sms_tells_whom_to_call_in_one_segment(api):
    case_id = file(api, category="water_main")["id"]
    [text] = sms(PHONE)
    assert text.startswith(f"1555 {case_id}: ") and "โปรดโทร 1125" in text
    assert len(text) <= SMS_SEGMENT


def test_a_long_progress_note_is_cut_to_fit_one_segment(api):
    case_id = file(api)["id"]
    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    note = "ทีมช่างเขตวัฒนาลงพื้นที่ตรวจสอบผิวจราจรแล้ว พบความเสียหายเป็นบริเวณกว้าง " * 5
    ok(act(api, case_id, "progress", "2026-04-17T10:00:00+07:00", {"note": note}))
    text = sms(PHONE)[-1]
    assert text.startswith(f"1555 {case_id}: คืบหน้า: ทีมช่างเขตวัฒนา")
    assert text.endswith("…") and len(text) <= SMS_SEGMENT
    assert history(api, case_id)[-1]["note"] == note.strip()  # the note itself is kept whole


def test_handed_back_sms_fits_one_segment(api):
    case_id = file(api)["id"]
    ok(act(api, case_id, "handback", "2026-04-10T15:30:00+07:00", {"reason": "ไม่ใช่ของเขต"}))
    text = sms(PHONE)[-1]
    assert text.startswith(f"1555 {case_id}: ") and len(text) <= SMS_SEGMENT


def test_completion_sms_carries_the_tracking_link_in_at_most_two_parts(api):
    case_id = file(api)["id"]
    ok(
        act(
            api,
            case_id,
            "complete",
            "2026-04-13T10:00:00+07:00",
            {"note": "เสร็จแล้ว", "evidence_urls": ["https://photos.example/after.jpg"]},
        )
    )
    text = sms(PHONE)[-1]
    assert f"{BASE_URL}/track/{case_id}?token=" in text
    assert len(text) <= 2 * SMS_PART


@pytest.mark.parametrize(
    "complainant",
    [
        {"name": "สมหญิง", "email": "somying@example.com"},
        {"name": "สมหญิง", "phone": "022345678", "email": "somying@example.com"},  # a landline takes no SMS
    ],
    ids=["email-only", "landline"],
)
def test_a_citizen_without_a_mobile_is_told_by_email(api, complainant):
    case_id = file(api, complainant=complainant)["id"]
    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    ok(act(api, case_id, "progress", "2026-04-17T10:00:00+07:00", {"note": "กำลังซ่อม"}))

    assert sms() == []
    mails = emails(to="somying@example.com")
    assert len(mails) == 2  # routed, progress: not the acknowledgement
    assert all(case_id in m.subject for m in mails)
    assert "กำลังซ่อม" in mails[1].body
    assert f"{BASE_URL}/track/{case_id}?token=" in mails[1].body


def test_a_citizen_who_did_not_ask_to_be_told_gets_nothing(api):
    case_id = file(api, notify=False)["id"]
    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    ok(act(api, case_id, "progress", "2026-04-17T10:00:00+07:00", {"note": "กำลังซ่อม"}))
    ok(
        act(
            api,
            case_id,
            "complete",
            "2026-04-20T10:00:00+07:00",
            {"note": "เสร็จ", "evidence_urls": ["https://photos.example/after.jpg"]},
        )
    )
    assert sms() == []
    assert [m.destinations["ToAddresses"] for m in emails()] == [[AGENCY_MAIL]]


def test_notify_with_only_a_landline_is_refused(api, aws):
    before = table_items(aws)
    ans = api.call("POST", "/complaints", body=complaint(complainant={"phone": "021234567"}, notify=True))
    assert ans.status == 422 and "landline" in ans.json["error"]["message"]
    assert table_items(aws) == before
