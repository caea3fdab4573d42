"""``DELETE /complaints/{id}/complainant``: an admin erases the complainant's data with a reason; the
case stays, anonymous, and the report's figures do not move."""

from __future__ import annotations

import pytest

from complaints import wiring
from tests.conftest import ADMIN, CALLCENTER, OFFICER, act, at, ok, staff, sweep, table_items
from tests.integration.helpers import FILED_AT, PHONE, file, history, sms
from tests.integration.privacy.helpers import REASON, erase, leaks

pytestmark = pytest.mark.integration
ERASED_AT = "2026-04-20T10:00:00+07:00"
EXECUTIVE = staff("executive", sub="exec-1")


def test_an_admin_erases_the_complainant_and_the_case_stays(api, aws):
    doc = file(api)
    answer = erase(api, doc["id"], ERASED_AT)
    assert answer.status == 200, answer.body
    assert answer.json == {
        "id": doc["id"],
        "erased": True,
        "fields": ["name", "phone", "email", "notify", "tracking_token"],
        "anonymised_at": "2026-04-20T10:00:00+07:00",
    }
    case = ok(api.call("GET", f"/complaints/{doc['id']}", claims=CALLCENTER, when=ERASED_AT))
    assert case["complainant"] == {"name": None, "phone": None, "email": None} and case["notify"] is False
    assert (case["state"], case["agency"]["id"], case["category"]) == ("dispatched", "DIST-1039", "road")
    erased = case["history"][-1]
    assert (erased["type"], erased["at"], erased["by"], erased["note"]) == (
        "anonymised",
        "2026-04-20T10:00:00+07:00",
        {"role": "admin", "id": ADMIN["sub"]},
        REASON,
    )
    items = [i for i in table_items(aws) if i["pk"]["S"] == f"CASE#{doc['id']}"]
    assert leaks(str(items), doc["tracking_token"]) == []  # not in the case, not in any event


def test_the_citizens_tracking_link_stops_working(api, pages):
    doc = file(api)
    token = doc["tracking_token"]
    assert api.call("GET", f"/complaints/{doc['id']}", query=f"token={token}").status == 200
    ok(erase(api, doc["id"], ERASED_AT))
    assert api.call("GET", f"/complaints/{doc['id']}", query=f"token={token}", when=ERASED_AT).status == 404
    assert pages.call("GET", f"/track/{doc['id']}", query=f"token={token}", when=ERASED_AT).status == 404


def test_erasing_twice_answers_200_with_nothing_more_to_erase(api):
    doc = file(api)
    ok(erase(api, doc["id"], ERASED_AT))
    before = history(api, doc["id"])
    again = ok(erase(api, doc["id"], "2026-04-21T10:00:00+07:00"))
    assert (again["erased"], again["fields"], again["anonymised_at"]) == (False, [], "2026-04-20T10:00:00+07:00")
    assert history(api, doc["id"]) == before


@pytest.mark.parametrize(("claims", "status"), [(CALLCENTER, 403), (OFFICER, 403), (EXECUTIVE, 403), (None, 401)])
def test_only_an_admin_may_erase(api, claims, status):
    doc = file(api)
    assert erase(api, doc["id"], ERASED_AT, claims=claims).status == status
    case = ok(api.call("GET", f"/complaints/{doc['id']}", claims=CALLCENTER, when=ERASED_AT))
    assert case["complainant"]["phone"] == PHONE


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reason_is_required(api, reason):
    doc = file(api)
    answer = erase(api, doc["id"], ERASED_AT, reason=reason)
    assert answer.status == 422, answer.body
    assert [h["type"] for h in history(api, doc["id"])] == ["received", "routed"]


def test_an_unknown_case_is_404(api):
    assert erase(api, "2604-ZZZZZZ", ERASED_AT).status == 404


def test_no_notice_reaches_the_person_after_erasure(api):
    doc = file(api)
    assert len(sms(PHONE)) == 1  # routed
    ok(erase(api, doc["id"], ERASED_AT))
    ok(act(api, doc["id"], "acknowledge", "2026-04-21T10:00:00+07:00"))
    ok(act(api, doc["id"], "progress", "2026-04-21T11:00:00+07:00", {"note": "กำลังซ่อม"}))
    ok(
        act(
            api,
            doc["id"],
            "complete",
            "2026-04-22T11:00:00+07:00",
            {"note": "ซ่อมแล้ว", "evidence_urls": ["https://photos.example/after.jpg"]},
        )
    )
    assert len(sms(PHONE)) == 1


def test_the_report_figures_are_the_same_before_and_after_erasure(api):
    cases = [file(api, when=FILED_AT) for _ in range(3)]
    ok(act(api, cases[0]["id"], "acknowledge", "2026-04-16T10:00:00+07:00"))
    ok(
        act(
            api,
            cases[0]["id"],
            "complete",
            "2026-04-17T10:00:00+07:00",
            {"note": "ซ่อมแล้ว", "evidence_urls": ["https://photos.example/after.jpg"]},
        )
    )
    for day in ("2026-04-17", "2026-04-18", "2026-04-20"):
        sweep(f"{day}T08:30:00+07:00")  # the third's ack deadline (16 April) missed; the roll-ups
    month = "/reports/monthly/2026-04"
    before = ok(api.call("GET", month, claims=EXECUTIVE, when="2026-04-20T12:00:00+07:00"))
    for case in cases:
        ok(erase(api, case["id"], "2026-04-20T13:00:00+07:00"))
    rolled = wiring.usecases().rollup.run(at("2026-04-20T23:00:00+07:00"))  # the 20th again, with its erasures
    assert rolled.days == ["2026-04-20"] and rolled.events >= 3
    after = ok(api.call("GET", month, claims=EXECUTIVE, when="2026-04-20T12:00:00+07:00"))
    assert after == before
    assert before["call_centre"]["received"] == 3
