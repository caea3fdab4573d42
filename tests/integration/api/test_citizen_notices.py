"""The citizen's notices as a case moves: by SMS (one segment without a link, at most two parts
with the short tracking link), by e-mail without a mobile, nothing when not asked; a landline
cannot take notices. The short link of the first SMS opens the tracking page.

What was "sent" is read back from moto's in-process SES and SNS backends.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import act, complaint, ok, table_items
from tests.integration.helpers import AGENCY_MAIL, BASE_URL, PHONE, emails, file, history, sms

pytestmark = pytest.mark.integration

SMS_SEGMENT = 70  # UCS-2: one segment
SMS_PART = 67  # UCS-2: each part of a concatenated message
AFTER = "https://photos.example/after.jpg"  # a road case is completed with a photo of the result
SHORT_LINK = re.compile(re.escape(BASE_URL) + r"(/t/([0-9A-Z\-]+)/[A-Za-z0-9_\-]+)$")


def test_filing_texts_the_citizen_once_and_nobody_else(api):
    doc = file(api)
    assert sms() == sms(PHONE)
    [text] = sms(PHONE)
    assert text.startswith(f"1555 {doc['id']}: ") and "เขตวัฒนา" in text
    assert emails(to="somchai@example.com") == []  # told by SMS, not twice
    assert len(emails()) == 1


def test_the_routed_sms_has_the_deadline_and_a_short_link_that_opens_the_tracking_page(api, pages):
    case_id = file(api)["id"]  # Fri 10 April 2026: acknowledgement due Thu 16 April (Songkran between)
    [text] = sms(PHONE)
    assert text.startswith(f"1555 {case_id}: ส่งถึงเขตวัฒนาแล้ว ต้องตอบรับภายใน 16 เม.ย. 69 ติดตาม {BASE_URL}/t/")
    assert len(text) <= 2 * SMS_PART
    link = SHORT_LINK.search(text)
    assert link and link.group(2) == case_id, text

    hop = pages.call("GET", link.group(1), when="2026-04-10T10:00:00+07:00")
    assert hop.status == 302 and hop.headers["Cache-Control"] == "no-store"
    assert hop.headers["Referrer-Policy"] == "no-referrer"
    target = urlsplit(urljoin(BASE_URL + link.group(1), hop.headers["Location"]))
    assert target.path == f"/track/{case_id}"
    page = pages.call("GET", target.path, query=target.query, when="2026-04-10T10:00:00+07:00")
    assert page.status == 200 and case_id in page.body
    assert "เขตวัฒนา ต้องตอบรับภายในวันพฤหัสบดีที่ 16 เมษายน 2569" in page.body  # what happens next

    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    ack = sms(PHONE)[-1]  # first progress due Tue 21 April
    assert ack.startswith(f"1555 {case_id}: เขตวัฒนา รับเรื่องแล้ว") and "21 เม.ย." in ack
    assert ack.endswith(link.group(1)) and len(ack) <= 2 * SMS_PART


def test_a_wrong_token_in_a_short_link_ends_at_the_tracking_pages_404(api, pages):
    case_id = file(api)["id"]
    hop = pages.call("GET", f"/t/{case_id}/not-the-token", when="2026-04-10T10:00:00+07:00")
    assert hop.status == 302
    target = urlsplit(urljoin(f"{BASE_URL}/t/{case_id}/not-the-token", hop.headers["Location"]))
    assert pages.call("GET", target.path, query=target.query, when="2026-04-10T10:00:00+07:00").status == 404
    for bad in (f"/t/{case_id}/to%0d%0aken", f"/t/{case_id}/" + "A" * 65, "/t/not-an-id/token"):
        assert pages.call("GET", bad).status == 404, bad  # never a redirect to something else


def test_referred_sms_tells_whom_to_call_with_the_link(api):
    case_id = file(api, category="water_main")["id"]
    [text] = sms(PHONE)
    assert text.startswith(f"1555 {case_id}: โปรดโทร 1125 การประปานครหลวง")
    assert SHORT_LINK.search(text) and len(text) <= 2 * SMS_PART


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
    ok(act(api, case_id, "complete", "2026-04-13T10:00:00+07:00", {"note": "เสร็จแล้ว", "evidence_urls": [AFTER]}))
    text = sms(PHONE)[-1]
    assert "ภายใน 27 เม.ย." in text  # the citizen's 14 days to answer
    assert SHORT_LINK.search(text).group(2) == case_id
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
    assert len(mails) == 3  # routed, acknowledged, progress
    assert all(case_id in m.subject for m in mails)
    assert "หน่วยงานต้องตอบรับภายในวันพฤหัสบดีที่ 16 เมษายน 2569" in mails[0].body
    assert "must acknowledge it by Thursday 16 April 2026" in mails[0].body
    assert "รายงานความคืบหน้าครั้งแรกภายในวันอังคารที่ 21 เมษายน 2569" in mails[1].body
    assert "กำลังซ่อม" in mails[2].body
    assert f"{BASE_URL}/track/{case_id}?token=" in mails[2].body


def test_a_citizen_who_did_not_ask_to_be_told_gets_nothing(api):
    case_id = file(api, notify=False)["id"]
    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    ok(act(api, case_id, "progress", "2026-04-17T10:00:00+07:00", {"note": "กำลังซ่อม"}))
    ok(act(api, case_id, "complete", "2026-04-20T10:00:00+07:00", {"note": "เสร็จ", "evidence_urls": [AFTER]}))
    assert sms() == []
    assert [m.destinations["ToAddresses"] for m in emails()] == [[AGENCY_MAIL]]


def test_notify_with_only_a_landline_is_refused(api, aws):
    before = table_items(aws)
    ans = api.call("POST", "/complaints", body=complaint(complainant={"phone": "021234567"}, notify=True))
    assert ans.status == 422 and "landline" in ans.json["error"]["message"]
    assert table_items(aws) == before
