"""The feedback window and the daily sweep: a completed case without an answer in 14 days is
closed (once), can still be reopened within the dispute window, and a reopened case gets new
deadlines and, once completed again, a new feedback window.
"""

from __future__ import annotations

import pytest

from tests.conftest import CALLCENTER, act, ok, sweep
from tests.integration.completion_helpers import complete, completed_case, feedback, staff_case, track
from tests.integration.helpers import end_of, history

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("auditing")]


def test_no_answer_within_14_days_and_the_sweep_closes_the_case(api):
    doc = completed_case(api)  # completed Fri 10 April: the citizen may answer until the end of Fri 24 April
    assert staff_case(api, doc["id"])["due"] == {"kind": "feedback", "at": end_of("2026-04-24")}

    for day in ("2026-04-17", "2026-04-24"):
        report = sweep(f"{day}T08:30:00+07:00")
        assert report["closed_without_feedback"] == 0
        assert staff_case(api, doc["id"])["state"] == "completed"

    report = sweep("2026-04-25T08:30:00+07:00")
    assert report["closed_without_feedback"] == 1
    case = staff_case(api, doc["id"])
    assert (case["state"], case["due"]) == ("closed", None)
    closed = case["history"][-1]
    assert (closed["type"], closed["by"]["role"]) == ("closed", "system")
    assert "no answer within 14 days" in closed["note"]

    again = sweep("2026-04-26T08:30:00+07:00")  # nothing twice
    assert again["closed_without_feedback"] == 0
    assert [h["type"] for h in history(api, doc["id"])].count("closed") == 1


def test_a_case_the_sweep_closed_can_still_be_reopened_by_the_citizen_within_the_dispute_window(api, pages):
    doc = completed_case(api)
    sweep("2026-04-25T08:30:00+07:00")
    assert staff_case(api, doc["id"])["state"] == "closed"
    assert 'id="form-dispute"' in track(pages, doc, "2026-05-06T10:00:00+07:00").body

    mine = ok(feedback(api, doc, "2026-05-06T10:00:00+07:00", fixed=False, satisfied=False))
    assert (mine["state"], mine["reopen_count"]) == ("dispatched", 1)
    assert mine["due"] == {"kind": "ack", "at": end_of("2026-05-07")}


def test_a_reopened_case_gets_new_deadlines_and_after_completing_again_a_new_feedback_window(api):
    doc = completed_case(api)  # first completion Fri 10 April: its dispute window ended Sun 10 May
    mine = ok(feedback(api, doc, "2026-04-20T10:00:00+07:00", fixed=False, satisfied=False))
    assert mine["due"] == {"kind": "ack", "at": end_of("2026-04-21")}  # Mon 20 → Tue 21

    ack = ok(act(api, doc["id"], "acknowledge", "2026-04-21T09:00:00+07:00"))
    assert ack["due"] == {"kind": "first_progress", "at": end_of("2026-04-24")}
    again = complete(api, doc["id"], "2026-04-27T10:00:00+07:00")
    assert again["state"] == "completed"
    assert again["due"] == {"kind": "feedback", "at": end_of("2026-05-11")}  # 14 days from the new completion

    assert sweep("2026-05-11T08:30:00+07:00")["closed_without_feedback"] == 0
    assert staff_case(api, doc["id"])["state"] == "completed"
    assert sweep("2026-05-12T08:30:00+07:00")["closed_without_feedback"] == 1
    assert staff_case(api, doc["id"])["state"] == "closed"

    # the dispute window runs from the last completion (to 27 May), not the first
    second = ok(
        api.call(
            "POST",
            f"/complaints/{doc['id']}/reopen",
            claims=CALLCENTER,
            when="2026-05-20T10:00:00+07:00",
            body={"reason": "ผู้ร้องแจ้งว่าหลุมกลับมาอีก"},
        )
    )
    assert (second["state"], second["reopen_count"]) == ("dispatched", 2)
    assert second["due"] == {"kind": "ack", "at": end_of("2026-05-21")}
