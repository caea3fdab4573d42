"""The monthly report as CSV (the same rows as the JSON), and the fiscal-year evaluation (SPEC §8):
per agency the sums of its months (April and May frozen, June running), rates recomputed from the
sums, the score by SPEC §8's formula and the ranking — recomputed from the raw history."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import at
from tests.integration.reports import recompute
from tests.integration.reports.conftest import FISCAL_YEAR_AS_OF
from tests.integration.reports.recompute import AGENCY_FIELDS, COUNTS, RATED

pytestmark = pytest.mark.integration
TEXT = ("agency_id", "name_th", "name_en")
FY_FIGURES = ("name_th", "name_en", *COUNTS, *(f"{kind}_rate" for kind in RATED), "score", "rank")


@pytest.fixture(scope="module")
def fiscal(month):
    return recompute.fiscal_year(month.history, 2026, at(FISCAL_YEAR_AS_OF))


# --- CSV ----------------------------------------------------------------------------------------


def test_the_csv_is_utf8_with_a_bom_headed_by_the_spec_fields(month):
    answer = month.reads["may_csv"]
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/csv")
    assert answer.body.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(answer.body.lstrip("\ufeff")))) == list(AGENCY_FIELDS)


def test_the_csv_rows_are_the_json_rows(month):
    rows = list(csv.DictReader(io.StringIO(month.reads["may_csv"].body.lstrip("\ufeff"))))
    parsed = [{f: v if f in TEXT else (json.loads(v) if v != "" else None) for f, v in row.items()} for row in rows]
    assert parsed == month.reads["may_frozen"]["agencies"]


# --- the fiscal year ----------------------------------------------------------------------------


def test_the_fiscal_year_is_2569_from_october_to_the_running_june(month, fiscal):
    doc = month.reads["fiscal_year"]
    assert {k: doc[k] for k in ("fiscal_year", "fiscal_year_be", "from", "to", "months")} == {
        k: fiscal[k] for k in ("fiscal_year", "fiscal_year_be", "from", "to", "months")
    }


def test_the_weights_are_the_spec_defaults(month):
    assert list(month.reads["fiscal_year"]["weights"].values()) == list(recompute.WEIGHTS.values())


def test_the_agencies_are_those_of_the_months(month, fiscal):
    assert sorted(a["agency_id"] for a in month.reads["fiscal_year"]["agencies"]) == sorted(fiscal["agencies"])


@pytest.mark.parametrize("figure", FY_FIGURES)
def test_every_fiscal_year_figure(month, fiscal, figure):
    got = {a["agency_id"]: a.get(figure, "(absent)") for a in month.reads["fiscal_year"]["agencies"]}
    want = {agency: row[figure] for agency, row in fiscal["agencies"].items()}
    diffs = [f"fiscal year 2026 {a} {figure}: SPEC §8 gives {want.get(a)!r}, the API {got.get(a)!r}"
             for a in sorted(set(want) | set(got)) if want.get(a) != got.get(a)]  # fmt: skip
    assert not diffs, "\n" + "\n".join(diffs)


def test_the_agencies_come_in_rank_order(month, fiscal):
    assert [a["agency_id"] for a in month.reads["fiscal_year"]["agencies"]] == list(fiscal["agencies"])


@pytest.mark.parametrize("figure", [f for f in COUNTS if f != "open_at_month_end"])
def test_each_count_is_the_sum_of_the_months_reports(month, figure):
    """April and May (frozen) and June (running) as the API serves them, summed per agency."""
    months = [month.reads[r]["agencies"] for r in ("april_frozen", "may_frozen", "june_live")]
    sums: dict[str, int] = {}
    for rows in months:
        for row in rows:
            sums[row["agency_id"]] = sums.get(row["agency_id"], 0) + row[figure]
    assert {a["agency_id"]: a[figure] for a in month.reads["fiscal_year"]["agencies"]} == sums


def test_the_score_follows_the_formula_from_the_served_figures(month):
    for row in month.reads["fiscal_year"]["agencies"]:
        assert row["score"] == recompute.score(row), row["agency_id"]
