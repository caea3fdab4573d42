"""No Open311 answer, of any endpoint in either format, ever holds a complainant's name, phone or
e-mail: neither of the filings made through Open311 nor of those made through the JSON API."""

import pytest

from tests.conftest import CALLCENTER, act, complaint, ok
from tests.integration.open311.conftest import form

pytestmark = pytest.mark.integration

FIRST, LAST, PHONE, EMAIL = "ประเสริฐ", "มั่งมีศรีสุข", "0861234567", "prasert.m@example.org"
#: Every way each could be written out: as typed, stored (E.164), and the parts of it.
TRACES = (FIRST, LAST, PHONE, "+66861234567", "861234567", EMAIL, "prasert", "example.org")


def everything(open311, case_ids):
    """Every document of every endpoint, both formats."""
    for fmt in ("json", "xml"):
        yield open311.get(f"discovery.{fmt}")
        yield open311.get(f"services.{fmt}")
        yield open311.get(f"services/road.{fmt}")
        yield open311.get(f"requests.{fmt}", when="2026-04-20T12:00:00+07:00")
        yield open311.get(f"requests.{fmt}", service_request_id=",".join(case_ids))
        for case_id in case_ids:
            yield open311.get(f"requests/{case_id}.{fmt}", when="2026-04-20T12:00:00+07:00")
            yield open311.get(f"tokens/{case_id}.{fmt}")


def test_no_answer_names_or_reaches_the_complainant(api, open311, api_key):
    person = {"first_name": FIRST, "last_name": LAST, "phone": PHONE, "email": EMAIL}
    answers = [open311.post(form(api_key=api_key, **person), fmt=fmt) for fmt in ("json", "xml")]
    answers.append(open311.post(form(api_key=api_key, service_code="water_main", **person)))
    case_ids = [answers[0].json[0]["service_request_id"], answers[2].json[0]["service_request_id"]]
    body = complaint(complainant={"name": f"{FIRST} {LAST}", "phone": PHONE, "email": EMAIL}, notify=True)
    case_ids.append(api.call("POST", "/complaints", body=body).json["id"])
    ok(act(api, case_ids[-1], "acknowledge", "2026-04-16T10:00:00+07:00"))
    # the case holds them (the call centre sees them) ...
    stored = ok(api.call("GET", f"/complaints/{case_ids[0]}", claims=CALLCENTER))["complainant"]
    assert stored == {"name": f"{FIRST} {LAST}", "phone": "+66861234567", "email": EMAIL}
    # ... and no Open311 answer does
    answers += list(everything(open311, case_ids))
    assert all(a.status == 200 for a in answers), [a.body for a in answers if a.status != 200]
    assert len(answers) == 3 + 2 * (5 + 2 * len(case_ids))
    leaks = [(trace, a.body[:200]) for a in answers for trace in TRACES if trace.casefold() in a.body.casefold()]
    assert leaks == []


def test_refusals_echo_no_personal_value(open311, api_key):
    bad = {"first_name": FIRST, "last_name": LAST, "phone": "086-CALL-ME", "email": "prasert at example.org"}
    refused = open311.post(form(api_key=api_key, **bad), fmt="xml")
    assert refused.status == 400
    assert all(trace.casefold() not in refused.body.casefold() for trace in (*TRACES, "CALL-ME", "prasert at"))


def test_contact_details_typed_into_the_description_or_a_note_are_hidden(api, open311, api_key):
    """A citizen writes their number, e-mail and name into the text; an officer names them in a note."""
    typed = f"ถนนเป็นหลุมลึก ติดต่อ{FIRST} {LAST} โทร 086-123-4567 หรือ {EMAIL}"
    person = {"first_name": FIRST, "last_name": LAST, "phone": PHONE, "email": EMAIL}
    filed = open311.post(form(api_key=api_key, description=typed, **person))
    case_id = filed.json[0]["service_request_id"]
    ok(act(api, case_id, "acknowledge", "2026-04-16T10:00:00+07:00"))
    note = {"note": f"โทรหาคุณ{FIRST}ที่ 0861234567 แล้ว นัดซ่อมพรุ่งนี้"}
    ok(act(api, case_id, "progress", "2026-04-16T11:00:00+07:00", body=note))
    for fmt in ("json", "xml"):
        shown = open311.get(f"requests/{case_id}.{fmt}", when="2026-04-20T12:00:00+07:00")
        assert shown.status == 200
        assert "ถนนเป็นหลุมลึก" in shown.body and "นัดซ่อมพรุ่งนี้" in shown.body  # the problem stays
        assert [t for t in TRACES if t.casefold() in shown.body.casefold()] == []
        assert "086-123-4567" not in shown.body
