"""The console's queues through the JSON API: the call centre's triage oldest first, an agency's
cases by deadline (overdue first) with the count of what is overdue and due today, and the sparse
``by_agency_due`` index key following the case (``docs/data-model.md``, patterns 31–32)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ADMIN, CALLCENTER, OFFICER, act, complaint, ok, staff, table_items
from tests.integration.completion_helpers import ANSWERED, completed_case, feedback, file, officer
from tests.integration.helpers import end_of, plain

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("auditing")]
EARLY_ON_THE_17TH = "2026-04-17T06:30:00+07:00"  # still the 16th in UTC: "today" is Bangkok's day


def listed(api, query: str, claims=CALLCENTER, when: str = EARLY_ON_THE_17TH) -> dict[str, Any]:
    return ok(api.call("GET", "/complaints", claims=claims, query=query, when=when))


def ids(doc: dict[str, Any]) -> list[str]:
    return [c["id"] for c in doc["complaints"]]


def counts(api, query: str = "", claims=OFFICER, when: str = EARLY_ON_THE_17TH):
    return api.call("GET", "/complaints/due-counts", claims=claims, query=query, when=when)


# --- the call centre's triage queue ----------------------------------------------------------------


def test_triage_oldest_first_page_after_page(api):
    filed = []
    for n, hour in enumerate([8, 9, 10, 11, 12]):
        body = complaint(category="inquiry", description=f"สอบถามเรื่องที่ {n}")
        answer = api.call("POST", "/complaints", body=body, when=f"2026-04-{10 + n % 2}T{hour:02d}:00:00+07:00")
        assert answer.status == 201, answer.body
        filed.append((answer.json["received_at"], answer.json["id"]))
    oldest_first = [case_id for _, case_id in sorted(filed)]

    seen, cursor = [], None
    for _ in range(3):
        doc = listed(api, "state=triage&order=oldest&limit=2" + (f"&cursor={cursor}" if cursor else ""))
        seen += ids(doc)
        cursor = doc["next_cursor"]
    assert seen == oldest_first and cursor is None
    assert ids(listed(api, "state=triage")) == oldest_first[::-1]  # newest first stays the default

    first = listed(api, "state=triage&order=oldest&limit=2")["next_cursor"]
    other = api.call("GET", "/complaints", claims=CALLCENTER, query=f"state=triage&order=newest&limit=2&cursor={first}")
    assert other.status == 400 and other.json["error"]["code"] == "bad_cursor"  # the order is in the binding


# --- an agency's queue ------------------------------------------------------------------------------


@pytest.fixture
def queue(api) -> dict[str, str]:
    """DIST-1039's cases, each with a deadline told apart on the 17th of April (a Friday)."""
    late = file(api, "2026-04-10T09:00:00+07:00")["id"]  # ack due Thu 16 (after Songkran): overdue
    today = file(api, "2026-04-16T09:00:00+07:00")["id"]  # ack due Fri 17: due today
    monday = file(api, "2026-04-17T06:00:00+07:00")["id"]  # ack due Mon 20
    acked = file(api, "2026-04-10T08:00:00+07:00")["id"]  # received first; first progress due Tue 21
    ok(act(api, acked, "acknowledge", "2026-04-16T09:00:00+07:00"))
    waiting = completed_case(api, "2026-04-10T07:00:00+07:00")["id"]  # the citizen's window: not a duty
    closed = completed_case(api, "2026-04-10T07:30:00+07:00")
    assert ok(feedback(api, closed, ANSWERED, fixed=True, satisfied=True))["state"] == "closed"
    file(api, "2026-04-10T09:30:00+07:00", agency="DEPT-DDS")  # another agency's
    return {"late": late, "today": today, "monday": monday, "acked": acked, "waiting": waiting, "closed": closed["id"]}


def test_the_agency_queue_puts_the_overdue_case_first_and_leaves_out_what_needs_nothing(api, queue):
    mine = listed(api, "order=deadline", claims=OFFICER)  # an officer's own agency, implicitly
    assert ids(mine) == [queue["late"], queue["today"], queue["monday"], queue["acked"]]
    assert [c["due"]["at"] for c in mine["complaints"]][:2] == [end_of("2026-04-16"), end_of("2026-04-17")]
    by_the_centre = listed(api, "agency=DIST-1039&order=deadline&limit=3")
    rest = listed(api, f"agency=DIST-1039&order=deadline&limit=3&cursor={by_the_centre['next_cursor']}")
    assert ids(by_the_centre) + ids(rest) == ids(mine) and rest["next_cursor"] is None
    assert ids(listed(api, "order=deadline&state=acknowledged", claims=OFFICER)) == [queue["acked"]]
    assert ids(listed(api, "order=deadline&overdue=true", claims=OFFICER)) == [queue["late"]]


def test_the_deadline_order_needs_an_agency(api, queue):
    answer = api.call("GET", "/complaints", claims=CALLCENTER, query="order=deadline", when=EARLY_ON_THE_17TH)
    assert answer.status == 400 and "agency" in answer.json["error"]["message"]


def test_an_unknown_order_is_refused_by_validation(api):
    answer = api.call("GET", "/complaints", claims=CALLCENTER, query="order=sideways")
    assert answer.status == 422 and answer.json["error"]["code"] == "validation_error"
    assert "order" in answer.json["error"]["message"]


# --- the due counts ---------------------------------------------------------------------------------


def test_due_counts_at_the_request_time(api, queue):
    mine = ok(counts(api))
    assert mine == {"agency": "DIST-1039", "overdue": 1, "due_today": 1, "as_of": "2026-04-17T06:30:00.000+07:00"}
    assert ok(counts(api, "agency=DIST-1039", claims=ADMIN)) == mine
    # on Monday night: Thursday's, Friday's and Monday's acknowledgements are late, Tuesday's is tomorrow's
    monday_night = ok(counts(api, "agency=DIST-1039", claims=CALLCENTER, when="2026-04-20T23:59:59+07:00"))
    assert (monday_night["overdue"], monday_night["due_today"]) == (2, 1)
    ok(act(api, queue["late"], "acknowledge", "2026-04-17T08:00:00+07:00"))  # first progress due Wed 22
    assert (ok(counts(api, when="2026-04-17T09:00:00+07:00"))["overdue"]) == 0
    assert ok(counts(api, "agency=DEPT-DDS", claims=staff("executive", sub="exec-1")))["overdue"] == 1


@pytest.mark.parametrize(
    ("query", "claims", "status"),
    [
        ("agency=DEPT-DDS", OFFICER, 403),  # an officer counts their own agency's only
        ("agency=DIST-1039", staff("auditor", sub="aud-1"), 403),
        ("agency=DIST-1039", None, 401),
        ("", CALLCENTER, 400),  # whose?
        ("agency=DIST-9999", CALLCENTER, 422),
    ],
)
def test_who_may_count_which_queue(api, query, claims, status):
    assert counts(api, query, claims=claims).status == status


# --- the index key follows the case ----------------------------------------------------------------


def agency_due_key(aws, case_id: str) -> str | None:
    [item] = [plain(i) for i in table_items(aws) if i["pk"]["S"] == f"CASE#{case_id}" and i["sk"]["S"] == "META"]
    return item.get("gsi_agency_due_pk")


def test_the_queue_key_moves_with_the_agency_and_leaves_with_the_duty(api, aws):
    when = "2026-04-10T10:00:00+07:00"
    case_id = api.call("POST", "/complaints", body=complaint(category="inquiry"), when=when).json["id"]
    assert agency_due_key(aws, case_id) is None  # triage: nobody's queue
    route = {"claims": CALLCENTER, "when": when}
    ok(api.call("POST", f"/complaints/{case_id}/route", body={"agency_id": "DIST-1039"}, **route))
    assert agency_due_key(aws, case_id) == "AGENCYDUE#DIST-1039"
    ok(api.call("POST", f"/complaints/{case_id}/route", body={"agency_id": "DIST-1004"}, **route))  # re-routed
    assert agency_due_key(aws, case_id) == "AGENCYDUE#DIST-1004"
    assert case_id not in ids(listed(api, "agency=DIST-1039&order=deadline"))
    assert ids(listed(api, "agency=DIST-1004&order=deadline")) == [case_id]

    ok(act(api, case_id, "handback", when, {"reason": "ไม่ใช่เขตเรา"}, claims=officer("DIST-1004")))
    assert agency_due_key(aws, case_id) is None  # back in triage
    ok(api.call("POST", f"/complaints/{case_id}/route", body={"agency_id": "DIST-1039"}, **route))
    done = {"note": "เรียบร้อย", "evidence_urls": ["https://photos.example/fixed.jpg"]}
    ok(act(api, case_id, "complete", when, done))
    assert agency_due_key(aws, case_id) is None  # completed: the duty is done
    later = ok(counts(api, when="2026-05-30T12:00:00+07:00"))
    assert (later["overdue"], later["due_today"]) == (0, 0)


def test_a_referred_case_is_in_no_agency_queue(api, aws):
    case_id = api.call("POST", "/complaints", body=complaint(category="inquiry")).json["id"]
    external = {"external": {"agency_id": "EXT-MWA", "channel": "hotline", "reference": "MWA-1"}}
    assert ok(api.call("POST", f"/complaints/{case_id}/route", body=external, claims=CALLCENTER))["state"] == "referred"
    assert agency_due_key(aws, case_id) is None
