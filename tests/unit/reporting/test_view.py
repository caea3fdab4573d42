"""The on-time rate, the ten lowest and the changes from the previous month (SPEC §8)."""

import pytest

from complaints.reporting import lowest_on_time, names_from, on_time_rate
from complaints.reporting.view import change, fmt, headline

from .helpers import CATALOGUE, document

pytestmark = pytest.mark.unit

#: agency → (met, missed), spread over the three duty deadlines
RATES = {"DIST-1001": (9, 1), "DIST-1002": (1, 3), "DIST-1003": (1, 1), "DIST-1004": (2, 2), "DIST-1006": (0, 4),
         "DIST-1007": (3, 1), "DIST-1008": (1, 2), "DIST-1009": (4, 1), "DIST-1010": (7, 3), "DIST-1011": (6, 4),
         "DIST-1012": (19, 1), "DIST-1013": (1, 0)}  # fmt: skip


def spread(met: int, missed: int) -> dict[str, int]:
    """``met`` and ``missed`` spread over ack, first progress and checkpoint."""
    return {
        "dispatched": 1,
        "ack_met": met // 2,
        "first_progress_met": met - met // 2 - met // 3,
        "checkpoint_met": met // 3,
        "ack_missed": missed - missed // 2,
        "checkpoint_missed": missed // 2,
    }


def many() -> dict:
    counts = {f"agency:{a}": spread(*mm) for a, mm in RATES.items()}
    counts["agency:DIST-1005"] = {"dispatched": 3, "completed": 1}  # nothing fell due
    return document(counts)


def test_the_on_time_rate_is_over_the_three_duty_deadlines_together():
    row = {"ack_met": 3, "ack_missed": 1, "first_progress_met": 2, "first_progress_missed": 0,
           "checkpoint_met": 0, "checkpoint_missed": 2}  # fmt: skip
    assert on_time_rate(row) == 0.625
    assert on_time_rate(dict.fromkeys(row, 0)) is None
    assert on_time_rate({"ack_met": 1, "ack_missed": 2}) == 0.3333


def test_each_agency_row_gets_its_on_time_rate():
    doc = many()
    rates = {r["agency_id"]: on_time_rate(r) for r in doc["agencies"]}
    assert rates == {a: round(met / (met + missed), 4) for a, (met, missed) in RATES.items()} | {"DIST-1005": None}


def test_the_ten_lowest_are_lowest_first_ties_by_agency_id_and_leave_out_no_rate():
    lowest = [r["agency_id"] for r in lowest_on_time(many()["agencies"])]
    assert lowest == ["DIST-1006", "DIST-1002", "DIST-1008", "DIST-1003", "DIST-1004",
                      "DIST-1011", "DIST-1010", "DIST-1007", "DIST-1009", "DIST-1001"]  # fmt: skip


def test_an_agency_with_nothing_due_is_never_among_the_lowest():
    doc = document()  # DIST-1001 has figures but no deadline fell due
    assert "DIST-1001" in {r["agency_id"] for r in doc["agencies"]}
    assert [r["agency_id"] for r in lowest_on_time(doc["agencies"])] == ["DEPT-PWD", "DIST-1039"]


def test_the_changes_from_the_previous_month():
    rows = {h["key"]: h for h in headline(document())}
    assert (rows["dispatched"]["value"], rows["dispatched"]["previous"], rows["dispatched"]["delta"]) == (7, 4, 3)
    assert (rows["dispatched"]["arrow"], rows["dispatched"]["delta_shown"]) == ("▲", "+3")
    assert rows["ack_rate"]["delta"] == 30.0 and rows["ack_rate"]["delta_shown"] == "+30.0 pp"
    assert rows["ack_rate"]["tone"] == "good"
    assert rows["checkpoint_rate"]["delta"] == -50.0 and rows["checkpoint_rate"]["tone"] == "bad"
    assert rows["on_time"]["value"] == 0.6 and rows["on_time"]["previous"] == 0.5 and rows["on_time"]["delta"] == 10.0
    assert rows["median_business_days_to_complete"]["delta"] == -0.5
    assert rows["median_business_days_to_complete"]["tone"] == "good"
    assert (rows["reopened"]["delta"], rows["reopened"]["arrow"], rows["reopened"]["tone"]) == (0, "=", "same")
    assert (rows["escalations"]["delta"], rows["escalations"]["tone"]) == (1, "bad")
    assert (rows["open_at_month_end"]["delta"], rows["open_at_month_end"]["arrow"]) == (-2, "▼")
    # a rate that was null the month before: no change, no arrow
    assert rows["first_progress_rate"]["previous"] is None
    assert (rows["first_progress_rate"]["delta"], rows["first_progress_rate"]["arrow"]) == (None, "")


def test_no_previous_month_gives_no_changes():
    rows = headline(document(previous=None))
    assert all(h["delta"] is None and h["delta_shown"] == "—" and h["was"] == "—" for h in rows)


def test_figures_as_people_read_them():
    assert [fmt("ack_rate", 0.8333), fmt("dispatched", 1234), fmt("median_business_days_to_complete", 2.5)] == [
        "83.3%",
        "1,234",
        "2.5",
    ]
    assert fmt("ack_rate", None) == "—"
    assert change("dispatched", 3, 3)["delta_shown"] == "±0"
    assert change("ack_rate", 0.5, 0.75, 1)["delta_shown"] == "-25.0 pp"


def test_names_of_categories_and_districts():
    names = names_from(CATALOGUE)
    assert names["road"].startswith("ถนน")
    assert names["1001"].startswith("เขตพระนคร")
