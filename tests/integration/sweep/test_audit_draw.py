"""The random audit of completed cases (rule 6) drawn by the daily sweep: at the rate, per
agency, every number recorded, each completion once; and the monthly minimum, one audit for
an agency with completions in the month and none drawn.

Draws and audits are read back from the table; the draws are seeded (the ``auditing`` fixture).
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from tests.conftest import sweep, table_items
from tests.integration.completion_helpers import (
    AGENCIES,
    audits,
    complete,
    completed_case,
    draw_records,
    file,
    listed,
    open_audits,
)

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("auditing")]


# --- the daily draw -----------------------------------------------------------------------


def complete_many(api, n: int) -> dict[str, str]:
    """``n`` cases across four agencies, filed on Thu 16 April and completed on Fri 17 April, each with
    its own evidence photo; case id → agency."""
    agencies = sorted(AGENCIES)
    cases = {}
    for i in range(n):
        agency = agencies[i % len(agencies)]
        doc = file(api, f"2026-04-16T09:{i:02d}:00+07:00", agency=agency)
        complete(api, doc["id"], f"2026-04-17T10:{i:02d}:00+07:00", agency, f"https://photos.example/done-{i}.jpg")
        cases[doc["id"]] = agency
    return cases


def test_the_sweep_draws_completed_cases_at_the_rate_and_records_every_number(api, aws, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 0.5)
    cases = complete_many(api, 20)

    report = sweep("2026-04-20T08:30:00+07:00")

    records = draw_records(aws)
    assert {r["pk"] for r in records} == {"DRAW#2026-04-20"}
    assert all(float(r["rate"]) == 0.5 and r["source"] == "seeded (tests only)" for r in records)
    draws = [d for r in records for d in r["draws"]]
    assert sorted(d["case_id"] for d in draws) == sorted(cases)  # every completion, each once
    for record in records:  # drawn per agency: a record holds one agency's completions
        agency = record["sk"].split("#", 1)[0]
        assert {cases[d["case_id"]] for d in record["draws"]} == {agency}
    assert all(0 <= d["value"] < 1 and d["drawn"] == (d["value"] < 0.5) for d in draws)
    drawn = {d["case_id"] for d in draws if d["drawn"]}
    assert 0 < len(drawn) < len(cases)  # the seed gives a real sample: some drawn, some not
    assert report["audits_drawn"] == len(drawn)
    assert open_audits(aws) == {f"{c}-4" for c in drawn}  # received, routed, acknowledged, completed (4)

    # a second sweep the same day draws nothing new
    items = [i for i in table_items(aws) if i["pk"]["S"].startswith(("DRAW#", "AUDIT#"))]
    again = sweep("2026-04-20T20:00:00+07:00")
    assert again["audits_drawn"] == 0 and again["audits_month_minimum"] == 0
    assert [i for i in table_items(aws) if i["pk"]["S"].startswith(("DRAW#", "AUDIT#"))] == items

    # the auditors see exactly the drawn cases, each with its completion evidence
    waiting = listed(api)
    assert {a["case"]["id"] for a in waiting} == drawn
    for audit in waiting:
        case = audit["case"]
        assert audit["id"] == f"{case['id']}-4" and audit["completed_seq"] == 4
        assert audit["agency_id"] == cases[case["id"]] == case["agency"]["id"]
        assert case["state"] == "completed"
        [done] = [h for h in case["history"] if h["type"] == "completed"]
        assert done["evidence_urls"][0].startswith("https://photos.example/done-")


def test_a_completion_made_after_the_draw_waits_for_the_next_one(api, aws, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 1.0)
    first = completed_case(api, "2026-04-16T09:00:00+07:00", "2026-04-17T10:00:00+07:00")
    assert sweep("2026-04-20T08:30:00+07:00")["audits_drawn"] == 1
    later = completed_case(api, "2026-04-20T09:00:00+07:00", "2026-04-20T10:00:00+07:00")
    assert sweep("2026-04-21T08:30:00+07:00")["audits_drawn"] == 1
    assert open_audits(aws) == {f"{first['id']}-4", f"{later['id']}-4"}
    assert {r["pk"] for r in draw_records(aws)} == {"DRAW#2026-04-20", "DRAW#2026-04-21"}


# --- the monthly minimum ----------------------------------------------------------------------


def minimum_records(aws) -> list[dict[str, Any]]:
    return [r for r in draw_records(aws) if r.get("month_minimum")]


def test_an_agency_with_april_completions_and_none_drawn_gets_one_audit_on_the_last_day_of_april(
    api, aws, auditing, monkeypatch
):
    monkeypatch.setattr(auditing, "rate", 0.0)
    watthana = [
        completed_case(api, f"2026-04-16T09:0{i}:00+07:00", f"2026-04-17T10:0{i}:00+07:00")["id"] for i in range(3)
    ]
    phra_nakhon = [
        completed_case(api, "2026-04-20T09:00:00+07:00", "2026-04-29T10:00:00+07:00", agency="DIST-1001")["id"]
    ]
    file(api, "2026-04-20T09:00:00+07:00", agency="DIST-1005")  # dispatched, never completed

    assert sweep("2026-04-20T08:30:00+07:00")["audits_drawn"] == 0  # rate 0: nothing drawn daily
    assert sweep("2026-04-29T08:30:00+07:00")["audits_month_minimum"] == 0  # the month is not over
    assert open_audits(aws) == set()

    report = sweep("2026-04-30T08:30:00+07:00")  # Thu 30 April, the month's last day

    assert (report["audits_drawn"], report["audits_month_minimum"]) == (0, 2)
    found = audits(aws)
    by_agency = {a["agency_id"]: a for a in found.values()}
    assert set(by_agency) == {"DIST-1039", "DIST-1001"}  # DIST-1005 completed nothing: none
    assert by_agency["DIST-1039"]["case_id"] in watthana
    assert by_agency["DIST-1001"]["case_id"] in phra_nakhon
    records = minimum_records(aws)
    assert {r["sk"] for r in records} == {"DIST-1039#minimum-2026-04", "DIST-1001#minimum-2026-04"}
    assert {r["pk"] for r in records} == {"DRAW#2026-04-30"}
    for record in records:
        [chosen] = record["draws"]
        assert chosen["drawn"] is True and f"{chosen['case_id']}-{chosen['seq']}" in found
    assert {a["case"]["id"] for a in listed(api)} == {a["case_id"] for a in found.values()}

    for day in ("2026-04-30T20:00:00+07:00", "2026-05-01T08:30:00+07:00", "2026-05-05T08:30:00+07:00"):
        assert sweep(day)["audits_month_minimum"] == 0  # settled once
    assert audits(aws) == found and len(minimum_records(aws)) == 2


def test_a_completion_after_the_last_day_sweep_is_settled_with_its_month_on_the_first(api, aws, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 0.0)
    sweep("2026-04-30T08:30:00+07:00")
    late = completed_case(api, "2026-04-30T09:00:00+07:00", "2026-04-30T16:00:00+07:00")["id"]

    report = sweep("2026-05-01T08:30:00+07:00")

    assert report["audits_month_minimum"] == 1
    [audit] = audits(aws).values()
    assert audit["case_id"] == late
    assert [r["sk"] for r in minimum_records(aws)] == ["DIST-1039#minimum-2026-04"]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_minimum_for_april_settled_in_may_is_drawn_from_april_completions_only(
    api, aws, auditing, monkeypatch, seed
):
    monkeypatch.setattr(auditing, "rate", 0.0)
    monkeypatch.setattr(auditing, "rng", lambda: random.Random(seed))
    april = {completed_case(api, f"2026-04-2{i}T09:00:00+07:00", f"2026-04-2{i}T10:00:00+07:00")["id"] for i in (2, 3)}
    may = completed_case(api, "2026-05-05T09:00:00+07:00", "2026-05-06T10:00:00+07:00")["id"]

    report = sweep("2026-05-07T08:30:00+07:00")  # the first sweep after April: draws and settles April

    assert report["audits_month_minimum"] == 1
    [audit] = audits(aws).values()
    assert audit["case_id"] in april and audit["case_id"] != may
    [record] = minimum_records(aws)
    assert record["sk"] == "DIST-1039#minimum-2026-04"
    assert sweep("2026-05-08T08:30:00+07:00")["audits_month_minimum"] == 0
    assert len(audits(aws)) == 1


def test_an_agency_that_had_a_case_drawn_in_the_month_gets_no_minimum(api, aws, auditing, monkeypatch):
    monkeypatch.setattr(auditing, "rate", 1.0)
    drawn = completed_case(api, "2026-04-16T09:00:00+07:00", "2026-04-17T10:00:00+07:00")["id"]
    assert sweep("2026-04-20T08:30:00+07:00")["audits_drawn"] == 1
    monkeypatch.setattr(auditing, "rate", 0.0)
    completed_case(api, "2026-04-21T09:00:00+07:00", "2026-04-21T10:00:00+07:00")
    report = sweep("2026-04-30T08:30:00+07:00")
    assert (report["audits_drawn"], report["audits_month_minimum"]) == (0, 0)
    assert {a["case_id"] for a in audits(aws).values()} == {drawn}
