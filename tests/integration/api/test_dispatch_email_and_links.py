"""The agency's dispatch e-mail and the signed link in it: what the e-mail says (in Thai, markup
shown as text), what a link grants and for how long, and when it stops working (tampered,
expired, superseded by a new dispatch or a hand-back).

What was "sent" is read back from moto's in-process SES backend.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from complaints import wiring
from complaints.domain.links import (
    AgencyGrant,
    LinkRefused,
    agency_token,
    check_current,
    read_agency_token,
)
from tests.conftest import CALLCENTER, act, at, ok
from tests.integration.helpers import AGENCY_MAIL, BASE_URL, FILED_AT, emails, file

pytestmark = pytest.mark.integration

LINK = re.compile(re.escape(BASE_URL) + r"/a/([A-Za-z0-9_.\-]+)")


@pytest.fixture
def send_email_requests(api) -> list[dict[str, Any]]:
    """The SendEmail requests as they left the service's SES client (both the HTML and the text part:
    moto keeps only one of them)."""
    seen: list[dict[str, Any]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        seen.append(params)

    wiring.ports().notifier.ses.meta.events.register("provide-client-params.ses.SendEmail", record)
    return seen


# --- the e-mail to the agency -------------------------------------------------------------


def test_filing_emails_the_agency_in_thai_with_the_deadline_and_its_action_link(api, send_email_requests):
    doc = file(api)

    [mail] = emails(to=AGENCY_MAIL)
    assert doc["id"] in mail.subject
    assert "เรื่องใหม่" in mail.subject  # Thai: "new case"
    assert "16 เม.ย. 2569" in mail.subject
    [request] = [r for r in send_email_requests if r["Destination"]["ToAddresses"] == [AGENCY_MAIL]]
    html = request["Message"]["Body"]["Html"]["Data"]
    text = request["Message"]["Body"]["Text"]["Data"]
    assert mail.body == html
    assert html.lstrip().lower().startswith("<!doctype html") and "<" not in text
    for body in (html, text):
        assert doc["id"] in body
        assert "16 เม.ย. 2569" in body  # the acknowledgement deadline, Buddhist era
        assert "ซอยสุขุมวิท 31" in body and "ถนนเป็นหลุมลึก" in body
    token = LINK.search(text).group(1)
    assert f"{BASE_URL}/a/{token}" in html

    grant = read_agency_token(wiring.link_secret(), token, at(FILED_AT))
    assert (grant.case_id, grant.agency_id, grant.dispatch_seq) == (doc["id"], "DIST-1039", 2)


def test_markup_in_a_complaint_is_shown_as_text_in_the_agency_email(api, send_email_requests):
    file(api, description="<script>alert(1)</script> หลุม & <b>ด่วน</b>")
    [request] = send_email_requests
    html = request["Message"]["Body"]["Html"]["Data"]
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; หลุม &amp; &lt;b&gt;ด่วน&lt;/b&gt;" in html
    assert "<script>alert(1)</script> หลุม & <b>ด่วน</b>" in request["Message"]["Body"]["Text"]["Data"]


# --- signed agency links ---------------------------------------------------------------------

SECRET = b"a test key, not the stack's"
ISSUED = at("2026-04-10T09:12:00+07:00")
CASE = "2604-7KQ4XM"


def _token() -> str:
    return agency_token(SECRET, CASE, "DIST-1039", 2, ISSUED)


def _flip(char: str) -> str:
    return "A" if char != "A" else "B"


def test_a_link_grants_its_case_agency_and_dispatch_for_30_days():
    grant = read_agency_token(SECRET, _token(), ISSUED + timedelta(days=30) - timedelta(seconds=1))
    assert grant == AgencyGrant(CASE, "DIST-1039", 2, ISSUED + timedelta(days=30))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + _flip(t[-1]),  # one character of the signature
        lambda t: t[:20] + _flip(t[20]) + t[21:],  # ... in the middle of it
        lambda t: t.replace("DIST-1039", "DIST-1001"),  # another agency
        lambda t: t.replace(CASE, "2604-7KQ4XN"),  # another case
        lambda t: t.replace(".2.", ".3.", 1),  # another dispatch
        lambda t: ".".join(
            [*t.split(".")[:3], str(int(t.split(".")[3]) + 86400 * 365), t.split(".")[4]]
        ),  # longer life
        lambda t: t.rsplit(".", 1)[0],  # no signature
        lambda t: "not-a-token",
    ],
    ids=["sig-last", "sig-middle", "agency", "case", "dispatch", "expiry", "unsigned", "garbage"],
)
def test_a_tampered_link_is_refused(tamper):
    token = _token()
    forged = tamper(token)
    assert forged != token
    with pytest.raises(LinkRefused) as refused:
        read_agency_token(SECRET, forged, ISSUED + timedelta(hours=1))
    assert refused.value.reason == "tampered"


def test_a_link_signed_with_another_key_is_refused():
    with pytest.raises(LinkRefused) as refused:
        read_agency_token(b"another key", _token(), ISSUED + timedelta(hours=1))
    assert refused.value.reason == "tampered"


def test_a_link_older_than_30_days_has_expired():
    with pytest.raises(LinkRefused) as refused:
        read_agency_token(SECRET, _token(), ISSUED + timedelta(days=30, seconds=1))
    assert refused.value.reason == "expired"


def test_a_link_stops_working_once_the_case_is_routed_elsewhere(api):
    case_id = file(api)["id"]
    secret = wiring.link_secret()
    [first_mail] = emails(to=AGENCY_MAIL)
    old = read_agency_token(secret, LINK.search(first_mail.body).group(1), at("2026-04-10T10:00:00+07:00"))
    case, _ = wiring.ports().cases.get(case_id)
    check_current(old, case)  # current while the case is with this dispatch

    moved = api.call(
        "POST",
        f"/complaints/{case_id}/route",
        claims=CALLCENTER,
        body={"agency_id": "DIST-1001", "note": "อยู่ในเขตพระนคร"},
        when="2026-04-10T11:00:00+07:00",
    )
    assert moved.status == 200, moved.body
    case, _ = wiring.ports().cases.get(case_id)
    with pytest.raises(LinkRefused) as refused:
        check_current(old, case)
    assert refused.value.reason == "superseded"

    # the new agency's link is current, and so is the old agency's after the case comes back to it
    [new_mail] = emails(to="district-1001@agency.example")
    new = read_agency_token(secret, LINK.search(new_mail.body).group(1), at("2026-04-10T11:00:00+07:00"))
    check_current(new, case)
    back = api.call(
        "POST",
        f"/complaints/{case_id}/route",
        claims=CALLCENTER,
        body={"agency_id": "DIST-1039", "note": "กลับเขตวัฒนา"},
        when="2026-04-10T12:00:00+07:00",
    )
    assert back.status == 200, back.body
    case, _ = wiring.ports().cases.get(case_id)
    for superseded in (old, new):  # a new dispatch: neither earlier link works
        with pytest.raises(LinkRefused) as refused:
            check_current(superseded, case)
        assert refused.value.reason == "superseded"
    latest = read_agency_token(
        secret, LINK.search(emails(to=AGENCY_MAIL)[-1].body).group(1), at("2026-04-10T12:00:00+07:00")
    )
    check_current(latest, case)


def test_a_link_stops_working_once_the_case_is_handed_back(api):
    case_id = file(api)["id"]
    [mail] = emails(to=AGENCY_MAIL)
    grant = read_agency_token(wiring.link_secret(), LINK.search(mail.body).group(1), at(FILED_AT))
    ok(act(api, case_id, "handback", "2026-04-10T15:30:00+07:00", {"reason": "ไม่ใช่ของเขต"}))
    case, _ = wiring.ports().cases.get(case_id)
    with pytest.raises(LinkRefused) as refused:
        check_current(grant, case)
    assert refused.value.reason == "superseded"
