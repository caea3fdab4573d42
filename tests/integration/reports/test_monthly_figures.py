"""Every figure of the monthly report (SPEC §8), as the API serves it, against the same figure
recomputed from the raw history (``recompute``): May 2026 while it runs (read on 1 June after the
sweep) and frozen (after the report run of 1 June), April as frozen on 1 May, June while it runs.
One test per report and figure, so that a failure names the figure."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.reports.conftest import READS
from tests.integration.reports.recompute import AGENCY_FIELDS, CENTRE_FIELDS, FIGURES

pytestmark = pytest.mark.integration


def mismatches(read: str, what: str, want: dict[str, Any], got: dict[str, Any]) -> str:
    """``may_frozen DIST-1001 ack_missed: SPEC §8 gives 3, the API 2`` — one line per difference."""
    month = READS[read][0]
    lines = [
        f"{month} ({read}) {what} {key}: SPEC §8 gives {want.get(key, '(absent)')!r}, "
        f"the API {got.get(key, '(absent)')!r}"
        for key in sorted(set(want) | set(got))
        if want.get(key, "(absent)") != got.get(key, "(absent)")
    ]
    return "\n".join(lines)


def compare(read: str, what: str, want: dict[str, Any], got: dict[str, Any]) -> None:
    assert got == want, "\n" + mismatches(read, what, want, got)


def nonzero(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Breakdown rows with a figure that is not zero (SPEC §8 does not say whether empty rows show)."""
    return {
        key: row for key, row in rows.items() if any(v for f, v in row.items() if f not in ("category", "district"))
    }


# --- the document -------------------------------------------------------------------------------


@pytest.mark.parametrize("read", READS)
def test_the_report_is_the_month_asked_final_once_frozen(month, expected, read):
    doc = month.reads[read]
    thai = {"2026-04": "เมษายน 2569", "2026-05": "พฤษภาคม 2569", "2026-06": "มิถุนายน 2569"}
    assert (doc["month"], doc["month_th"]) == (READS[read][0], thai[READS[read][0]])
    assert doc["final"] is expected[read]["final"], f"{read}: final should be {expected[read]['final']}"
    assert {"generated_at", "totals", "previous_month", "call_centre", "agencies", "by_category", "by_district"} <= set(
        doc
    )


@pytest.mark.parametrize("read", READS)
def test_the_agencies_listed_are_those_with_a_nonzero_figure_each_row_the_spec_fields(month, expected, read):
    rows = month.reads[read]["agencies"]
    assert sorted(r["agency_id"] for r in rows) == sorted(expected[read]["agencies"]), read
    for row in rows:
        assert tuple(row) == AGENCY_FIELDS, f"{read} {row['agency_id']}: fields {tuple(row)}"


# --- per agency ---------------------------------------------------------------------------------


@pytest.mark.parametrize("figure", ("name_th", "name_en", *FIGURES))
@pytest.mark.parametrize("read", READS)
def test_every_agency_figure(month, expected, read, figure):
    got = {f"{r['agency_id']} {figure}": r[figure] for r in month.reads[read]["agencies"]}
    want = {f"{agency} {figure}": row[figure] for agency, row in expected[read]["agencies"].items()}
    compare(read, "agency", want, got)


# --- the call centre, the breakdowns, the totals ------------------------------------------------


@pytest.mark.parametrize("figure", CENTRE_FIELDS)
@pytest.mark.parametrize("read", READS)
def test_every_call_centre_figure(month, expected, read, figure):
    got, want = month.reads[read]["call_centre"], expected[read]["call_centre"]
    compare(read, "call_centre", {figure: want[figure]}, {figure: got.get(figure, "(absent)")})


@pytest.mark.parametrize("read", READS)
def test_the_call_centre_has_exactly_the_spec_fields(month, read):
    assert set(month.reads[read]["call_centre"]) == set(CENTRE_FIELDS)


@pytest.mark.parametrize(("breakdown", "key"), [("by_category", "category"), ("by_district", "district")])
@pytest.mark.parametrize("read", READS)
def test_every_breakdown_row(month, expected, read, breakdown, key):
    got = nonzero({row[key]: row for row in month.reads[read][breakdown]})
    want = nonzero(expected[read][breakdown])
    flat_got = {f"{code} {f}": v for code, row in got.items() for f, v in row.items()}
    flat_want = {f"{code} {f}": v for code, row in want.items() for f, v in row.items()}
    compare(read, breakdown, flat_want, flat_got)


@pytest.mark.parametrize("figure", FIGURES)
@pytest.mark.parametrize("read", READS)
def test_every_total(month, expected, read, figure):
    compare(read, "totals", {figure: expected[read]["totals"][figure]}, {figure: month.reads[read]["totals"][figure]})


@pytest.mark.parametrize("read", READS)
def test_the_totals_have_exactly_the_agency_figures(month, read):
    assert set(month.reads[read]["totals"]) == set(FIGURES)


@pytest.mark.parametrize("read", READS)
def test_previous_month_is_the_previous_reports_totals(month, expected, read):
    compare(read, "previous_month", expected[read]["previous_month"], month.reads[read]["previous_month"] or {})


def test_previous_month_of_may_is_aprils_frozen_totals_as_served(month):
    assert month.reads["may_frozen"]["previous_month"] == month.reads["april_frozen"]["totals"]
    assert month.reads["june_live"]["previous_month"] == month.reads["may_frozen"]["totals"]


def test_the_running_may_and_the_frozen_may_agree_but_for_final_and_generated_at(month):
    live, frozen = month.reads["may_live"], month.reads["may_frozen"]
    drop = ("final", "generated_at")
    assert {k: v for k, v in live.items() if k not in drop} == {k: v for k, v in frozen.items() if k not in drop}
