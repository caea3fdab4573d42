"""The agency action page and the tracking page, driven as a browser would, from the e-mail."""

import re

import pytest

from tests.conftest import CALLCENTER, act, agency_link, complaint, sent_emails, table_items

pytestmark = pytest.mark.integration
FILED = "2026-04-10T09:12:00+07:00"


@pytest.fixture
def filed(api):
    return api.call("POST", "/complaints", body=complaint(), when=FILED).json


def link_for(case_id):
    (mail,) = [m for m in sent_emails("district-1039@agency.example") if case_id in m.subject]
    return agency_link(mail)


def state_on(page_html):
    return re.search(r'id="state">([^<]+)<', page_html).group(1)


def test_dispatch_email_is_thai_with_deadline_place_and_link(filed):
    (mail,) = sent_emails("district-1039@agency.example")
    assert filed["id"] in mail.subject and "ตอบรับภายใน 16 เม.ย. 2569" in mail.subject
    for part in (
        filed["id"],
        "ถนน",
        "ถนนเป็นหลุมลึกหน้าปากซอย",
        "ซอยสุขุมวิท 31",
        "openstreetmap.org/?mlat=13.7563",
        "https://photos.example/1.jpg",
        "16 เม.ย. 2569",
        "/a/",
    ):
        assert part in mail.body, part


def test_officer_runs_the_case_from_the_email_link(filed, pages, api):
    path = link_for(filed["id"])
    page = pages.call("GET", path, when="2026-04-16T08:00:00+07:00")
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    assert state_on(page.body) == "ส่งหน่วยงานแล้ว"
    assert 'id="form-acknowledge"' in page.body and 'id="form-progress"' not in page.body
    version = re.search(r'name="version" value="(\d+)"', page.body).group(1)

    done = pages.form(
        path, {"action": "acknowledge", "version": version, "note": "รับทราบ"}, when="2026-04-16T09:00:00+07:00"
    )
    assert done.status == 200 and 'id="flash"' in done.body and "บันทึกแล้ว" in done.body
    assert state_on(done.body) == "หน่วยงานรับทราบ"
    assert "21 เม.ย. 2569" in done.body  # first progress due
    assert 'id="form-progress"' in done.body and 'id="form-acknowledge"' not in done.body

    v = re.search(r'name="version" value="(\d+)"', done.body).group(1)
    prog = pages.form(
        path,
        {"action": "progress", "version": v, "note": "เริ่มซ่อมแล้ว", "expected_completion": "2026-04-30"},
        when="2026-04-20T10:00:00+07:00",
    )
    assert state_on(prog.body) == "กำลังดำเนินการ"
    assert "30 เม.ย. 2569" in prog.body  # next checkpoint: the 30th
    v = re.search(r'name="version" value="(\d+)"', prog.body).group(1)
    again = pages.form(path, {"action": "progress", "version": v, "note": "ใกล้เสร็จ"}, when="2026-04-30T10:00:00+07:00")
    assert "15 พ.ค. 2569" in again.body  # across the month end: the 15th of May
    v = re.search(r'name="version" value="(\d+)"', again.body).group(1)
    fin = pages.form(
        path,
        {"action": "complete", "version": v, "note": "ซ่อมเสร็จ", "evidence_url": "https://photos.example/after.jpg"},
        when="2026-04-24T10:00:00+07:00",
    )
    assert fin.status == 200 and state_on(fin.body) == "แก้ไขเสร็จแล้ว"
    assert "https://photos.example/after.jpg" in fin.body
    case = api.call("GET", f"/complaints/{filed['id']}", claims=CALLCENTER).json
    assert [h["type"] for h in case["history"]] == [
        "received",
        "routed",
        "acknowledged",
        "progress",
        "progress",
        "completed",
    ]
    assert case["history"][2]["by"] == {"role": "agency", "id": "link", "agency_id": "DIST-1039"}


def test_the_same_form_posted_twice_acts_once(filed, pages, aws):
    path = link_for(filed["id"])
    page = pages.call("GET", path, when="2026-04-16T08:00:00+07:00")
    version = re.search(r'name="version" value="(\d+)"', page.body).group(1)
    first = pages.form(path, {"action": "acknowledge", "version": version}, when="2026-04-16T09:00:00+07:00")
    before = table_items(aws)
    again = pages.form(path, {"action": "acknowledge", "version": version}, when="2026-04-16T09:00:05+07:00")
    assert first.status == 200 and again.status == 409
    assert "ส่งไปแล้ว" in again.body and state_on(again.body) == "หน่วยงานรับทราบ"
    assert table_items(aws) == before


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda p: p[:-3] + ("AAA" if not p.endswith("AAA") else "BBB"), "ลิงก์ไม่ถูกต้อง"),
        (lambda p: p.replace("DIST-1039", "DIST-1001"), "ลิงก์ไม่ถูกต้อง"),
        (lambda p: "/a/garbage", "ลิงก์ไม่ถูกต้อง"),
    ],
)
def test_tampered_link_gets_a_403_page_and_changes_nothing(filed, pages, aws, mangle, reason):
    path = mangle(link_for(filed["id"]))
    before = table_items(aws)
    for answer in (
        pages.call("GET", path, when="2026-04-16T08:00:00+07:00"),
        pages.form(path, {"action": "acknowledge"}, when="2026-04-16T08:00:00+07:00"),
    ):
        assert answer.status == 403
        assert reason in answer.body and "This link cannot be used" in answer.body
    assert table_items(aws) == before


def test_expired_link_gets_a_403_page(filed, pages):
    answer = pages.call("GET", link_for(filed["id"]), when="2026-05-11T09:13:00+07:00")
    assert answer.status == 403 and "หมดอายุ" in answer.body and "expired" in answer.body


def test_link_stops_working_when_the_case_is_routed_elsewhere(filed, pages, api, aws):
    path = link_for(filed["id"])
    api.call(
        "POST",
        f"/complaints/{filed['id']}/route",
        claims=CALLCENTER,
        body={"agency_id": "DIST-1004"},
        when="2026-04-10T10:00:00+07:00",
    )
    before = table_items(aws)
    answer = pages.form(path, {"action": "acknowledge"}, when="2026-04-10T11:00:00+07:00")
    assert answer.status == 403 and "หน่วยงานอื่น" in answer.body
    assert table_items(aws) == before
    (new_mail,) = sent_emails("district-1004@agency.example")
    assert pages.call("GET", agency_link(new_mail), when="2026-04-10T11:00:00+07:00").status == 200


def test_handback_from_the_page_leaves_no_forms(filed, pages):
    path = link_for(filed["id"])
    page = pages.call("GET", path, when="2026-04-10T10:00:00+07:00")
    version = re.search(r'name="version" value="(\d+)"', page.body).group(1)
    answer = pages.form(
        path,
        {"action": "handback", "version": version, "note": "เป็นถนนของกรมทางหลวง"},
        when="2026-04-10T11:00:00+07:00",
    )
    assert answer.status == 200 and state_on(answer.body) == "รอคัดแยก"
    assert "<form" not in answer.body
    (mail,) = sent_emails("ops-1555@agency.example")
    assert "เป็นถนนของกรมทางหลวง" in mail.body


def test_progress_without_a_note_is_refused_on_the_page(filed, pages, aws):
    path = link_for(filed["id"])
    pages.form(path, {"action": "acknowledge"}, when="2026-04-16T09:00:00+07:00")
    before = table_items(aws)
    answer = pages.form(path, {"action": "progress", "note": ""}, when="2026-04-16T10:00:00+07:00")
    assert answer.status == 422 and "ข้อมูลไม่ครบ" in answer.body
    assert table_items(aws) == before


def test_page_escapes_what_the_citizen_wrote(api, pages):
    doc = api.call(
        "POST", "/complaints", when=FILED, body=complaint(description='<script>alert("x")</script> หลุม')
    ).json
    page = pages.call("GET", link_for(doc["id"]), when=FILED)
    assert "<script>alert" not in page.body and "&lt;script&gt;" in page.body


def test_pages_do_not_leak_the_token_or_the_complainant(filed, pages):
    page = pages.call("GET", link_for(filed["id"]), when=FILED)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "0812345678" not in page.body and "+66812345678" not in page.body and "somchai" not in page.body


# --- tracking page ------------------------------------------------------------------------


def test_citizen_tracks_the_case_with_the_token(filed, pages):
    page = pages.call("GET", f"/track/{filed['id']}", query=f"token={filed['tracking_token']}", when=FILED)
    assert page.status == 200
    assert state_on(page.body) == "ส่งหน่วยงานแล้ว" and "Watthana District Office" in page.body
    assert "16 เม.ย. 2569" in page.body
    assert "road → district office" not in page.body  # internal routing note


def next_step_on(page_html):
    """The tracking page's "what happens next" box: its Thai and its English sentence."""
    box = re.search(r'id="next-step"[^>]*>.*?<br>\s*(.*?)<br><span class="en">(.*?)</span></p>', page_html, re.S)
    return box.groups() if box else None


def test_the_tracking_page_says_who_must_act_by_when_and_when_the_case_closes_by_itself(filed, pages, api):
    page = pages.call("GET", f"/track/{filed['id']}", query=f"token={filed['tracking_token']}", when=FILED)
    assert next_step_on(page.body) == (
        "เขตวัฒนา ต้องตอบรับภายในวันพฤหัสบดีที่ 16 เมษายน 2569",
        "Watthana District Office must acknowledge the case by Thursday 16 April 2026.",
    )
    done = {"note": "ซ่อมแล้ว", "evidence_urls": ["https://photos.example/after.jpg"]}
    assert act(api, filed["id"], "complete", "2026-04-10T11:00:00+07:00", done).status == 200
    page = pages.call("GET", f"/track/{filed['id']}", query=f"token={filed['tracking_token']}", when=FILED)
    th, en = next_step_on(page.body)
    assert th.endswith("หากไม่ได้รับคำตอบภายในวันศุกร์ที่ 24 เมษายน 2569 เรื่องจะปิดเอง")  # 14 days after completion
    assert en.endswith("without an answer by Friday 24 April 2026, the case closes by itself.")
    assert 'id="form-feedback"' in page.body


@pytest.mark.parametrize("query", ["", "token=nope"])
def test_tracking_without_the_right_token_is_not_found(filed, pages, query):
    assert pages.call("GET", f"/track/{filed['id']}", query=query, when=FILED).status == 404


def test_tracking_link_in_notices_opens_the_page(api, pages):
    doc = api.call(
        "POST", "/complaints", when=FILED, body=complaint(complainant={"email": "citizen@example.com"}, notify=True)
    ).json
    (mail,) = sent_emails("citizen@example.com")
    path, query = re.search(r"https?://[^/\s]+(/track/[^?\s\"]+)\?([^\s\"<]+)", mail.body).groups()
    assert path == f"/track/{doc['id']}"
    assert pages.call("GET", path, query=query.replace("&amp;", "&"), when=FILED).status == 200


def test_dispatch_email_of_a_case_without_district_names_no_district(api):
    doc = api.call("POST", "/complaints", body=complaint(location={"address": "หน้าโรงเรียน"}), when=FILED).json
    api.call("POST", f"/complaints/{doc['id']}/route", claims=CALLCENTER, body={"agency_id": "DIST-1039"}, when=FILED)
    (mail,) = sent_emails("district-1039@agency.example")
    assert "เขตสำนัก" not in mail.body and "หน้าโรงเรียน" in mail.body
