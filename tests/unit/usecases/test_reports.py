"""The report's aggregates kept as the days pass, the month and the fiscal year, the monthly run."""

import pytest

from complaints.domain.errors import NotFound
from complaints.usecases.reports import MONTHS_BACK

from .helpers import OFFICER, acknowledge, at, complete, file

pytestmark = pytest.mark.unit


def agency_row(doc, agency_id="DIST-1039"):
    return next(r for r in doc["agencies"] if r["agency_id"] == agency_id)


def test_a_day_rolled_up_twice_counts_once_and_a_missed_day_is_caught_up(app):
    reports = app.usecases.reports
    file(app, "2026-04-01T09:00")  # ack due Thu 2 April
    app.usecases.rollup.run(at("2026-04-02T08:30"))
    app.usecases.rollup.run(at("2026-04-02T08:30"))  # a retried sweep
    file(app, "2026-04-02T10:00")
    file(app, "2026-04-03T10:00")
    app.usecases.rollup.run(at("2026-04-06T08:30"))  # 4 and 5 April were never rolled up: caught up
    doc = reports.monthly("2026-04", at("2026-04-06T09:00"))
    assert doc["call_centre"]["received"] == 3
    assert agency_row(doc)["dispatched"] == 3
    assert doc["final"] is False


def test_met_and_missed_acknowledgements_count_in_the_month_of_their_deadline(app):
    on_time = file(app, "2026-04-27T09:00").case  # ack due Tue 28 April
    late = file(app, "2026-04-29T09:00").case  # ack due Thu 30 April
    acknowledge(app, on_time.id, "2026-04-28T10:00")
    app.sweep.run(at("2026-05-01T08:30"))  # the sweep records the missed one overdue
    acknowledge(app, late.id, "2026-05-01T10:00")  # late: the overdue event already counted it
    app.usecases.rollup.run(at("2026-05-01T09:00"))
    app.usecases.rollup.run(at("2026-05-02T09:00"))
    row = agency_row(app.usecases.reports.monthly("2026-04", at("2026-05-02T09:00")))
    assert (row["ack_met"], row["ack_missed"], row["ack_rate"]) == (1, 1, 0.5)
    assert row["acknowledged"] == 1  # acknowledgements recorded in April (the late one is May's)
    assert row["chases"] == 0  # the chase was in May


def test_open_cases_at_month_end_carry_over_from_the_frozen_month(app):
    first = file(app, "2026-04-20T09:00").case
    file(app, "2026-04-21T09:00")
    app.usecases.monthly_report.run(at("2026-05-01T09:00"))  # rolls up, freezes April
    complete(app, first.id, "2026-05-04T10:00")
    app.usecases.rollup.run(at("2026-05-05T08:30"))
    april = app.usecases.reports.monthly("2026-04", at("2026-05-05T09:00"))
    may = app.usecases.reports.monthly("2026-05", at("2026-05-05T09:00"))
    assert april["final"] is True and agency_row(april)["open_at_month_end"] == 2
    assert agency_row(may)["open_at_month_end"] == 1 and agency_row(may)["completed"] == 1
    assert may["previous_month"] == april["totals"]


def test_the_monthly_run_freezes_once_and_emails_the_executives_once(app):
    file(app, "2026-04-20T09:00")
    first = app.usecases.monthly_report.run(at("2026-05-01T09:00"))
    again = app.usecases.monthly_report.run(at("2026-05-01T09:00"))  # the Scheduler retried
    raw = [m for m in app.notifier.sent if m.channel == "raw"]
    assert (first.month, first.emailed, again.emailed) == ("2026-04", True, False)
    assert len(raw) == 1 and "governor@1555.test" in raw[0].to


def test_a_failed_email_is_sent_by_the_retry(app):
    file(app, "2026-04-20T09:00")
    app.notifier.fail_next()
    with pytest.raises(Exception, match="refused"):
        app.usecases.monthly_report.run(at("2026-05-01T09:00"))
    assert app.usecases.monthly_report.run(at("2026-05-01T09:05")).emailed is True


def test_a_month_not_begun_is_not_found_and_the_fiscal_year_sums_its_months(app):
    with pytest.raises(NotFound):
        app.usecases.reports.monthly("2026-06", at("2026-05-20T09:00"))
    october = file(app, "2025-10-15T09:00").case
    acknowledge(app, october.id, "2025-10-16T09:00")  # in time: an ack rate of 1
    file(app, "2026-04-20T09:00")
    app.usecases.rollup.run(at("2025-10-16T08:30"))
    app.usecases.monthly_report.run(at("2025-11-01T09:00"))
    app.usecases.rollup.run(at("2026-04-21T08:30"))
    year = app.usecases.reports.fiscal_year(2026, at("2026-04-21T09:00"))
    assert (year["fiscal_year"], year["fiscal_year_be"], year["months"][0], year["months"][-1]) == (
        2026,
        2569,
        "2025-10",
        "2026-04",
    )
    (row,) = year["agencies"]
    assert OFFICER.agency_id == row["agency_id"]
    assert (row["dispatched"], row["ack_met"], row["ack_rate"], row["score"], row["rank"]) == (2, 1, 1.0, 100.0, 1)


def test_a_fiscal_year_with_no_month_frozen_reads_each_month_once(app):
    """Before, each of the 12 months looked back up to 24 unfrozen months on its own: about 300
    month reads for one request, which any executive could repeat."""
    file(app, "2025-10-15T09:00")
    app.usecases.rollup.run(at("2025-10-16T08:30"))
    app.usecases.rollup.run(at("2026-09-21T08:30"))  # every day since, and never a month frozen
    reads: list[str] = []
    store = app.fakes.reports
    month = store.month
    store.month = lambda m: reads.append(m) or month(m)

    year = app.usecases.reports.fiscal_year(2026, at("2026-09-21T09:00"))

    assert len(year["months"]) == 12
    assert len(reads) == len(set(reads)) <= 12 + MONTHS_BACK
    (row,) = year["agencies"]
    assert row["dispatched"] == 1
