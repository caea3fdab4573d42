"""A special holiday declared after its day (an office closed by a flood, recorded the next
morning): the running deadline it moves had already been found overdue by the sweep. SPEC §8: a
deadline counts in the month of its final instant, after any special-holiday move, and ends in
exactly one way; done before its (moved) instant, it is met."""

from __future__ import annotations

import pytest

from tests.conftest import ADMIN, act, at, complaint, ok, staff, sweep, table_items
from tests.integration.reports import recompute
from tests.integration.reports.history import History

pytestmark = pytest.mark.integration
OFFICER = staff("agency", "DIST-1039", sub="officer-DIST-1039")
EXECUTIVE = staff("executive", sub="exec-1")


@pytest.fixture
def moved_after_overdue(api, aws):
    filed = api.call("POST", "/complaints", body=complaint(), when="2026-06-08T09:00:00+07:00")  # ack due Tue 9 June
    assert filed.status == 201, filed.body
    case_id = filed.json["id"]
    sweep("2026-06-10T08:30:00+07:00")  # overdue, chased
    ok(api.call("PUT", "/holidays/2026-06-09", body={"name": "น้ำท่วมสำนักงาน"}, claims=ADMIN,
                when="2026-06-10T09:00:00+07:00"))  # fmt: skip
    ok(act(api, case_id, "acknowledge", "2026-06-10T10:00:00+07:00", {}, claims=OFFICER))  # before the moved instant
    sweep("2026-06-11T08:30:00+07:00")
    doc = ok(api.call("GET", "/reports/monthly/2026-06", claims=EXECUTIVE, when="2026-06-11T10:00:00+07:00"))
    history = History.of(table_items(aws))
    return doc, history


def test_the_history_has_the_overdue_then_the_move_then_the_acknowledgement(moved_after_overdue):
    _, history = moved_after_overdue
    kinds = [s.type for s in history.steps]
    assert kinds == ["received", "routed", "overdue", "chased", "deadline_moved", "acknowledged"]
    (ack,) = [d for d in history.deadlines if d.kind == "ack"]
    assert (ack.planned.isoformat(), ack.at.isoformat()) == (
        "2026-06-09T23:59:59.999000+07:00", "2026-06-10T23:59:59.999000+07:00",
    )  # fmt: skip
    assert ack.fate(at("2026-06-11T08:30:00+07:00")) == "met"


def test_a_deadline_moved_after_the_sweep_found_it_overdue_counts_once_by_its_final_instant(moved_after_overdue):
    doc, history = moved_after_overdue
    want = recompute.monthly(history, "2026-06", at("2026-06-11T08:30:00+07:00"))["agencies"]["DIST-1039"]
    (got,) = [r for r in doc["agencies"] if r["agency_id"] == "DIST-1039"]
    figures = ("ack_met", "ack_missed", "ack_rate")
    assert {f: want[f] for f in figures} == {"ack_met": 1, "ack_missed": 0, "ack_rate": 1.0}
    assert {f: got[f] for f in figures} == {f: want[f] for f in figures}, (
        f"DIST-1039 June: SPEC §8 gives {[want[f] for f in figures]}, the API {[got[f] for f in figures]}"
    )
