"""The month's traffic does what the comparisons rely on: the situations SPEC §8's figures must
handle are all in the history (so that a report that ignores one of them cannot pass by luck), the
jobs ran as planned, and the deadline instants that ``recompute`` reads from the events' payloads
are SPEC §2's (recomputed with the business-day calendar and the special holidays known then)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from tests.integration.reports.history import Calendar, local_date, month_of

pytestmark = pytest.mark.integration


def labelled(month):
    return {case_id: label for label, case_id in month.traffic.ids.items()}


def steps(month, kind):
    return [s for s in month.history.steps if s.type == kind]


def fates(month, now="2026-06-02T08:30:00+07:00"):
    from tests.conftest import at

    label = labelled(month)
    return [(label[d.case_id], d.kind, local_date(d.at), d.fate(at(now))) for d in month.history.deadlines]


# --- the jobs -----------------------------------------------------------------------------------


def test_the_sweep_skipped_20_may_and_the_next_morning_rolled_it_up(month):
    swept = month.traffic.swept
    assert "2026-05-20T08:30:00+07:00" not in swept
    (next_day,) = swept["2026-05-21T08:30:00+07:00"]
    assert next_day["rolled_up"] == ["2026-05-19", "2026-05-20", "2026-05-21"]  # the 19th had been rolled up in part


def test_the_sweep_ran_twice_on_12_may_and_the_retry_did_nothing_new(month):
    first, retry = month.traffic.swept["2026-05-12T08:30:00+07:00"]
    assert first["chased"] == 1 and (retry["chased"], retry["overdue"], retry["escalated"]) == (0, {}, 0)
    assert retry["rolled_up"] == ["2026-05-12"]
    assert "2026-05-26T18:00:00+07:00" in month.traffic.swept  # and once more on the evening of 26 May


def test_the_report_runs_froze_april_and_may(month):
    runs = month.traffic.reports
    assert [runs[k]["month"] for k in ("2026-05-01T09:00:00+07:00", "2026-06-01T09:00:00+07:00")] == [
        "2026-04",
        "2026-05",
    ]


# --- the situations -----------------------------------------------------------------------------


def test_deadlines_fall_on_the_months_first_and_last_days_met_and_missed(month):
    seen = {(kind == "dispatch", day, fate) for _, kind, day, fate in fates(month)}
    for day in (date(2026, 5, 1), date(2026, 5, 31)):  # both holidays: only the 24-hour dispatch clock
        assert {(True, day, "met"), (True, day, "missed")} <= seen, day
    for day in (date(2026, 5, 5), date(2026, 5, 29)):  # the first and last business days
        assert {(False, day, "met"), (False, day, "missed")} & seen, day
    assert (False, date(2026, 5, 29), "missed") in seen and (False, date(2026, 5, 29), "met") in seen


def test_special_holidays_moved_deadlines_from_april_into_may_and_within_may(month):
    moved = [(month_of(d.planned), month_of(d.at), d.planned.day, d.at.day) for d in month.history.deadlines if d.moved]
    assert ("2026-04", "2026-05", 30, 5) in moved and ("2026-05", "2026-05", 22, 25) in moved
    assert set(month.traffic.holidays) == {date(2026, 4, 30), date(2026, 5, 22)}


def test_deadlines_end_met_missed_and_void_of_every_kind(month):
    seen = Counter((kind, fate) for _, kind, _, fate in fates(month))
    for kind in ("dispatch", "ack", "first_progress", "checkpoint"):
        assert seen[(kind, "met")] and seen[(kind, "missed")], kind
    assert seen[("ack", "void")] >= 2 and seen[("first_progress", "void")] >= 2


def test_cases_leave_their_agency_before_and_after_the_deadline(month):
    label = labelled(month)
    rerouted = [label[s.case.id] for s in steps(month, "routed") if s.state_before == "dispatched"]
    handed = [label[s.case.id] for s in steps(month, "handed_back")]
    assert sorted(rerouted) == ["L", "M"] and sorted(handed) == ["E", "E", "N", "Z"]


def test_completions_straight_from_dispatched(month):
    label = labelled(month)
    assert sorted(label[s.case.id] for s in steps(month, "acknowledged") if s.data.with_completion) == ["C", "X", "Y"]


def test_reopens_by_the_citizen_the_call_centre_and_an_audit(month):
    assert Counter(s.role for s in steps(month, "reopened")) == {"citizen": 3, "callcenter": 2, "auditor": 2}
    verdicts = Counter(s.data.verdict for s in steps(month, "audited"))
    assert verdicts == {"consistent": 5, "inconsistent": 3}  # one inconsistent without a reopen (F moved on)


def test_referrals_by_hotline_and_letter_at_filing_and_by_hand_one_returned_one_closed(month):
    assert Counter((s.data.channel, s.role) for s in steps(month, "referred")) == {
        ("hotline", "system"): 1, ("letter", "system"): 1, ("hotline", "callcenter"): 1, ("letter", "callcenter"): 1,
    }  # fmt: skip
    assert len(steps(month, "returned_to_triage")) == 2
    closed = Counter(s.state_before for s in steps(month, "closed"))
    assert closed["triage"] == 2 and closed["referred"] == 1 and closed["completed"] >= 3


def test_late_duties_both_found_by_the_sweep_and_done_before_any_sweep_saw_them(month):
    label, late = labelled(month), []
    overdue = {(s.case.id, s.data.kind, s.data.due) for s in steps(month, "overdue")}
    for d in month.history.deadlines:
        if d.ended_at is not None and d.ended_at > d.at and d.kind != "dispatch":
            late.append((label[d.case_id], d.kind, (d.case_id, d.kind, d.at) in overdue))
    assert ("F", "ack", False) in late and ("F", "first_progress", False) in late and ("N", "ack", False) in late
    assert ("B", "ack", True) in late and ("L", "ack", True) in late and ("A", "checkpoint", True) in late


def test_chases_escalations_and_many_agencies_categories_districts_and_channels(month):
    h = month.history
    agencies = {s.agency_after for s in steps(month, "routed")}
    assert (
        len({a for a in agencies if a.startswith("DIST-")}) >= 3
        and len({a for a in agencies if a.startswith("DEPT-")}) >= 4
    )
    assert len(steps(month, "chased")) >= 20 and len(steps(month, "escalated")) >= 1
    assert len({c.category for c in h.cases.values()}) >= 12 and len({c.district for c in h.cases.values()}) == 4
    assert {c.channel for c in h.cases.values()} == {"web", "mobile", "line", "phone"}


def test_complaints_filed_in_the_small_hours_at_the_months_edges(month):
    """Bangkok is UTC+7: these instants are in the previous UTC day (and month)."""
    received = {month.traffic.ids[label]: label for label in ("E", "T", "U", "V")}
    when = {received[s.case.id]: s.at.isoformat() for s in steps(month, "received") if s.case.id in received}
    assert when == {"E": "2026-04-30T03:00:00+07:00", "T": "2026-05-31T23:30:00+07:00",
                    "U": "2026-06-01T01:00:00+07:00", "V": "2026-05-31T02:00:00+07:00"}  # fmt: skip


# --- the deadline instants the payloads carry are SPEC §2's -------------------------------------


def test_every_deadline_instant_is_spec_2s_with_the_special_holidays_known_then(month):
    declared = month.traffic.holidays
    wrong = []
    for d in month.history.deadlines:
        then = Calendar(frozenset(day for day, when in declared.items() if when <= d.started))
        if d.planned != then.due(d.kind, d.started):
            wrong.append(f"{d.case_id} {d.kind} from {d.started}: {d.planned} ≠ {then.due(d.kind, d.started)}")
        if d.moved is not None:
            later = Calendar(frozenset(day for day, when in declared.items() if when <= d.moved))
            if d.at != later.due(d.kind, d.started):
                wrong.append(f"{d.case_id} {d.kind} moved: {d.at} ≠ {later.due(d.kind, d.started)}")
    assert not wrong, "\n".join(wrong)
