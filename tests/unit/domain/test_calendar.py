"""The business-day calendar and the deadlines of SPEC §2."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints.domain.calendar import (
    BANGKOK,
    BusinessCalendar,
    dispatch_due,
    end_of_day,
    next_nominal_checkpoint,
)

pytestmark = pytest.mark.unit
CAL = BusinessCalendar.with_specials()


def noon(day: str) -> datetime:
    return datetime.fromisoformat(day + "T12:00:00+07:00")


# --- the worked examples of SPEC §2 -------------------------------------------------


def test_dispatched_before_songkran_is_due_after_it():
    assert CAL.ack_due(noon("2026-04-10")) == datetime.fromisoformat("2026-04-16T23:59:59.999+07:00")


def test_first_progress_is_three_business_days_after_acknowledgement():
    assert CAL.first_progress_due(noon("2026-04-16")) == end_of_day(date(2026, 4, 21))


def test_new_year_holidays_push_the_ack_into_january():
    assert CAL.ack_due(noon("2026-12-30")) == end_of_day(date(2027, 1, 4))


def test_checkpoint_on_a_sunday_moves_to_monday():
    assert CAL.checkpoint_due(date(2026, 2, 10)) == end_of_day(date(2026, 2, 16))


def test_month_end_checkpoint_on_a_saturday_moves_to_monday():
    assert CAL.checkpoint_due(date(2026, 2, 16)) == end_of_day(date(2026, 3, 2))


# --- more edge cases ------------------------------------------------------------------


def test_deadline_is_end_of_local_day_with_offset():
    due = CAL.ack_due(noon("2026-06-01"))
    assert due.isoformat(timespec="milliseconds") == "2026-06-02T23:59:59.999+07:00"


def test_dispatch_late_at_night_utc_counts_by_bangkok_date():
    # 18:30 UTC on Thursday is 01:30 Friday in Bangkok: the dispatch date is Friday.
    late = datetime.fromisoformat("2026-06-04T18:30:00+00:00")
    assert CAL.ack_due(late) == end_of_day(date(2026, 6, 8))


def test_acknowledgement_on_a_holiday_counts_from_that_date():
    # Acknowledged (late) on Songkran Monday: 3 business days after are 16, 17, 20 April.
    assert CAL.first_progress_due(noon("2026-04-13")) == end_of_day(date(2026, 4, 20))


@pytest.mark.parametrize(
    ("reported", "nominal"),
    [
        ("2026-01-14", "2026-01-15"),
        ("2026-01-15", "2026-01-30"),  # strictly after: a report on the 15th is due on the 30th
        ("2026-01-30", "2026-02-15"),
        ("2026-01-31", "2026-02-15"),
        ("2026-02-15", "2026-02-28"),  # no 30th in February: month end
        ("2028-02-16", "2028-02-29"),  # leap year
        ("2026-12-30", "2027-01-15"),  # across the year end
        ("2026-04-30", "2026-05-15"),  # April has 30 days
    ],
)
def test_next_nominal_checkpoint(reported, nominal):
    assert next_nominal_checkpoint(date.fromisoformat(reported)) == date.fromisoformat(nominal)


def test_checkpoint_on_a_holiday_moves_to_next_business_day():
    # 2026-12-05 (Sat) and its substitute Monday 7th: a 15th-checkpoint is unaffected, but
    # a report on 2026-11-30 is due 15 Dec (Tue), a business day.
    assert CAL.checkpoint_due(date(2026, 11, 30)) == end_of_day(date(2026, 12, 15))
    # Report on 2026-12-15: the 30th is a Wednesday; due then.
    assert CAL.checkpoint_due(date(2026, 12, 15)) == end_of_day(date(2026, 12, 30))


def test_triage_must_be_routed_within_24_hours():
    received = datetime.fromisoformat("2026-04-10T09:12:00+07:00")
    assert dispatch_due(received) == datetime.fromisoformat("2026-04-11T09:12:00+07:00")


def test_special_holiday_added_moves_the_deadline():
    special = BusinessCalendar.with_specials({date(2026, 6, 23): "Cabinet special holiday"})
    assert CAL.ack_due(noon("2026-06-22")) == end_of_day(date(2026, 6, 23))
    assert special.ack_due(noon("2026-06-22")) == end_of_day(date(2026, 6, 24))
    assert special.holiday_name(date(2026, 6, 23)) == "Cabinet special holiday"


def test_removed_official_holiday_is_a_business_day_again():
    # 2026-01-02 is an official bridge holiday; cancel it and it counts.
    cancelled = BusinessCalendar.with_specials(removed=[date(2026, 1, 2)])
    assert not CAL.is_business_day(date(2026, 1, 2))
    assert cancelled.is_business_day(date(2026, 1, 2))
    assert cancelled.ack_due(noon("2025-12-30")) == end_of_day(date(2026, 1, 2))


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        CAL.ack_due(datetime(2026, 4, 10, 12, 0))


def test_business_days_between():
    assert CAL.business_days_between(date(2026, 4, 10), date(2026, 4, 16)) == 1
    assert CAL.business_days_between(date(2026, 4, 16), date(2026, 4, 16)) == 0


# --- properties -------------------------------------------------------------------------

instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda d: d.replace(tzinfo=BANGKOK)
)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31))
specials = st.dictionaries(days, st.just("special"), max_size=10)


@given(instants)
def test_ack_due_is_a_business_day_strictly_after_dispatch(dispatched):
    due = CAL.ack_due(dispatched)
    assert due.date() > dispatched.date()
    assert CAL.is_business_day(due.date())
    assert due.time() == end_of_day(due.date()).time()
    # and no business day lies in between
    assert CAL.business_days_between(dispatched.date(), due.date()) == 1


@given(instants, st.integers(min_value=0, max_value=30 * 24 * 60))
def test_deadlines_never_move_earlier_when_the_event_moves_later(first, minutes):
    later = first + timedelta(minutes=minutes)
    assert CAL.ack_due(later) >= CAL.ack_due(first)
    assert CAL.first_progress_due(later) >= CAL.first_progress_due(first)
    assert CAL.checkpoint_due(later.date()) >= CAL.checkpoint_due(first.date())


@given(instants, specials)
def test_adding_special_holidays_never_makes_a_deadline_earlier(at, extra):
    with_specials = BusinessCalendar.with_specials(extra)
    assert with_specials.ack_due(at) >= CAL.ack_due(at)
    assert with_specials.first_progress_due(at) >= CAL.first_progress_due(at)
    assert with_specials.checkpoint_due(at.date()) >= CAL.checkpoint_due(at.date())


@given(days)
def test_checkpoint_is_a_business_day_after_the_report_and_within_a_month(reported):
    due = CAL.checkpoint_due(reported).date()
    nominal = next_nominal_checkpoint(reported)
    assert nominal > reported
    assert nominal.day in (15, 28, 29, 30, 31)
    assert due >= nominal and CAL.is_business_day(due)
    assert (nominal - reported).days <= 16
