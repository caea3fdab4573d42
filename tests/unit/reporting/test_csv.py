"""The agencies table as CSV (SPEC §8): UTF-8 with a BOM, the fields in order, the JSON's values."""

import pytest

from complaints.domain.kpi.figures import AGENCY_FIELDS
from complaints.reporting import csv_bytes

from .helpers import document, parse_csv

pytestmark = pytest.mark.unit


def test_the_csv_starts_with_a_bom_and_has_the_fields_in_order():
    data = csv_bytes(document())
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(AGENCY_FIELDS)
    assert text.endswith("\r\n")


def test_its_rows_are_the_json_rows():
    doc = document()
    rows = parse_csv(csv_bytes(doc))
    assert rows == doc["agencies"]
    assert len(rows) == 3
    by_id = {r["agency_id"]: r for r in rows}
    assert by_id["DIST-1039"]["median_business_days_to_complete"] == 2.5  # a float as in the JSON
    assert by_id["DIST-1001"]["ack_rate"] is None  # null: an empty cell


def test_null_is_an_empty_cell_and_floats_are_as_in_the_json():
    line = csv_bytes(document()).decode("utf-8-sig").splitlines()[1].split(",")
    row = dict(zip(AGENCY_FIELDS, line, strict=True))
    assert row["agency_id"] == "DEPT-PWD"
    assert (row["ack_rate"], row["first_progress_rate"], row["checkpoint_rate"]) == ("1.0", "0.0", "")
    assert row["median_business_days_to_complete"] == ""


def test_thai_text_and_commas_survive():
    doc = document()
    doc["agencies"][0]["name_th"] = 'สำนักการโยธา, "ฝ่าย" ๑'
    assert parse_csv(csv_bytes(doc))[0]["name_th"] == 'สำนักการโยธา, "ฝ่าย" ๑'


def test_an_empty_month_is_the_header_alone():
    doc = document({"centre": {"received": 1}})
    assert doc["agencies"] == []
    assert csv_bytes(doc).decode("utf-8-sig") == ",".join(AGENCY_FIELDS) + "\r\n"
