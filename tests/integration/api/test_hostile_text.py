"""What people type, end to end: refused with a clear 422 and no trace when it cannot be kept
(issue #10, defects 8 and 9; control characters, header injection), and shown as text, never
as markup, in every page and e-mail."""

import re

import pytest

from tests.conftest import CALLCENTER, OFFICER, act, agency_link, complaint, ok, sent_emails, sweep, table_items
from tests.integration.api.hostile import refused
from tests.integration.helpers import history, plain

pytestmark = pytest.mark.integration
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"description": ZERO_WIDTH}, "description: String should have at least 1 character"),
        ({"description": "\u200e\u202e \u200b"}, "description: String should have at least 1 character"),
        ({"description": "\u0e48\u0e49\u0e4a"}, "description: has no visible character"),
        ({"description": "ถนน\x00พัง"}, "description: contains a control character"),
        ({"description": "ถนน\x1b[2Jพัง"}, "description: contains a control character"),
        ({"category": "road\u0000"}, "category: contains a control character"),
        ({"complainant": {"name": "สมชาย\r\nBcc: all@example.com", "phone": "0812345678"}}, "complainant.name"),
        ({"complainant": {"email": "a@example.com\r\nBcc: all@example.com"}}, "complainant.email"),
        ({"complainant": {"email": "a@example.com\nX-Header: 1"}}, "complainant.email"),
        ({"complainant": {"phone": "08๑๒๓๔๕๖๗x"}}, "complainant.phone: not a Thai phone number"),
        ({"location": {"address": "ซอย 1\nซอย 2"}}, "location.address: contains a control character"),
        ({"description": 42}, "description: Input should be a valid string"),
        ({"description": ["x"]}, "description: Input should be a valid string"),
        ({"notify": "maybe"}, "notify"),
        ({"location": {"lat": "13.7", "lon": {"x": 1}}}, "location.lon"),
        ({"photos": "https://photos.example/1.jpg"}, "photos"),
        ({"urgent": None}, "urgent"),
    ],
)
def test_what_cannot_be_kept_is_refused_with_what_to_fix_and_no_trace(api, aws, overrides, says):
    error = refused(api, aws, "POST", "/complaints", body=complaint(**overrides), status=422, code="validation_error")
    assert says in error["message"], error


def test_a_whole_body_of_the_wrong_type_is_refused(api, aws):
    for raw in ("null", "42", '"x"', "true", "[]"):
        refused(api, aws, "POST", "/complaints", raw=raw, status=422, code="validation_error")


@pytest.mark.parametrize(
    ("path", "claims", "body", "field"),
    [
        ("/complaints/{id}/acknowledge", OFFICER, {"note": "ok\x00"}, "note"),
        ("/complaints/{id}/progress", OFFICER, {"note": "\u200b\u200b"}, "note"),
        ("/complaints/{id}/handback", OFFICER, {"reason": "\ufeff"}, "reason"),
        ("/complaints/{id}/route", CALLCENTER, {"agency_id": "DEPT-PWD\r\n"}, "agency_id"),
        ("/complaints/{id}/route", CALLCENTER, {"agency_id": "DEPT-PWD", "note": "\x07"}, "note"),
    ],
)
def test_every_route_applies_the_same_text_rules(api, aws, path, claims, body, field):
    case_id = api.call("POST", "/complaints", body=complaint(category="inquiry" if "route" in path else "road")).json
    error = refused(api, aws, "POST", path.format(id=case_id["id"]), claims=claims, body=body, status=422)
    assert error["details"][0]["field"] == field


def test_thai_and_full_width_phone_digits_are_stored_in_ascii_e164(api, aws):
    for phone in ("08๑๒๓๔๕๖๗๘", "０８１２３４５６７８"):
        case_id = api.call("POST", "/complaints", body=complaint(complainant={"phone": phone})).json["id"]
        staff_view = api.call("GET", f"/complaints/{case_id}", claims=CALLCENTER).json
        assert staff_view["complainant"]["phone"] == "+66812345678"
        stored = [plain(i) for i in table_items(aws) if i["pk"]["S"] == f"CASE#{case_id}" and i["sk"]["S"] == "META"]
        assert "+66812345678" in repr(stored) and "๑" not in repr(stored) and "８" not in repr(stored)


def test_emoji_thai_marks_and_other_scripts_are_kept_and_invisible_characters_removed(api):
    typed = "น้ำท่วม 🌊🚧 ซอย ๓ \u200bشارع\u202e"
    case_id = api.call("POST", "/complaints", body=complaint(description=typed)).json["id"]
    kept = api.call("GET", f"/complaints/{case_id}", claims=CALLCENTER).json["description"]
    assert kept == "น้ำท่วม 🌊🚧 ซอย ๓ شارع"


# --- HTML and script: text, never markup -------------------------------------------------------

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def shown_as_text(html: str, where: str) -> None:
    """The payload is text; the only script a page loads is its own file (``src=`` our static path)."""
    scripts = re.findall(r"<script[^>]*>", html, flags=re.IGNORECASE)
    assert all(re.fullmatch(r'<script src="\.\./static/[a-z-]+\.js" defer>', s) for s in scripts), (where, scripts)
    assert "<script>alert" not in html.lower() and "<img src=x" not in html, where
    assert "&lt;script&gt;" in html, where


def test_html_in_every_free_text_field_is_escaped_in_pages_and_emails(api, pages):
    body = complaint(
        description="หลุม " + XSS,
        location={"district": "1039", "address": "ซอย " + XSS},
        complainant={"name": "ชื่อ " + XSS, "phone": "0812345678", "email": "citizen@example.com"},
    )
    filed = api.call("POST", "/complaints", body=body, when="2026-04-10T09:12:00+07:00").json
    case_id, token = filed["id"], filed["tracking_token"]
    ok(act(api, case_id, "acknowledge", "2026-04-10T10:00:00+07:00", {"note": "รับ " + XSS}))
    ok(act(api, case_id, "progress", "2026-04-10T11:00:00+07:00", {"note": "ซ่อม " + XSS}))
    evidence = {"note": "เสร็จ " + XSS, "evidence_urls": ["https://photos.example/a.jpg?<script>"]}
    ok(act(api, case_id, "complete", "2026-04-10T12:00:00+07:00", evidence))
    feedback = {"fixed": False, "satisfied": False, "comment": "ยังไม่เสร็จ " + XSS}
    assert api.call("POST", f"/complaints/{case_id}/feedback", query=f"token={token}", body=feedback).status == 200

    track = pages.call("GET", f"/track/{case_id}", query=f"token={token}", when="2026-04-10T13:00:00+07:00")
    assert track.status == 200
    shown_as_text(track.body, "tracking page")
    *_, dispatch = [m for m in sent_emails("district-1039@agency.example") if case_id in m.subject]  # reopened
    page = pages.call("GET", agency_link(dispatch), when="2026-04-10T13:00:00+07:00")
    assert page.status == 200 and "หลุม &lt;script&gt;" in page.body and "ซอย &lt;script&gt;" in page.body
    shown_as_text(page.body, "agency page")
    other = api.call("POST", "/complaints", body=complaint(), when="2026-04-10T14:00:00+07:00").json["id"]
    ok(act(api, other, "handback", "2026-04-10T14:10:00+07:00", {"reason": "ไม่ใช่ของเรา " + XSS}))
    mails = [m for m in sent_emails() if {case_id, other} & set(re.findall(r"\d{4}-[0-9A-Z]{6}", m.subject + m.body))]
    assert len(mails) >= 4  # two dispatches, a re-dispatch after the citizen's no, the hand-back to the call centre
    for mail in mails:
        html = mail.body
        if re.search(r"<!doctype html", html, re.I):
            assert "<script" not in html.lower() and "<img src=x" not in html, mail.subject
    assert any("&lt;script&gt;" in m.body for m in mails)  # the description and notes as text
    notes = [h["note"] for h in history(api, case_id) if h.get("note")]
    assert any(XSS in n for n in notes)  # stored as typed


def test_html_in_a_description_is_escaped_in_the_sweeps_emails(api):
    late = api.call("POST", "/complaints", body=complaint(description="หลุม " + XSS), when="2026-04-10T09:12:00+07:00")
    triage = api.call("POST", "/complaints", body=complaint(category="inquiry", description="ถาม " + XSS))
    for day in ("2026-04-13", "2026-04-17", "2026-04-20", "2026-04-21"):
        sweep(f"{day}T08:30:00+07:00")
    supervisors = [m for m in sent_emails("supervisors@1555.local") if triage.json["id"] in m.subject]
    head = [m for m in sent_emails() if late.json["id"] in m.subject and "3 วันทำการ" in m.subject]
    assert supervisors and head
    for mail in supervisors + head:
        assert "<script" not in mail.body.lower() and "&lt;script&gt;" in mail.body, mail.subject
