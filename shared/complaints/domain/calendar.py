"""The Thai business-day calendar and the deadlines of the handling rules (SPEC §2).

Pure: no I/O, no clock. Every function takes the instants and dates it needs.

A business day is Monday–Friday that is neither a Thai public or government
holiday (the ``holidays`` package, country TH) nor a special holiday added by an
operator; an operator can also remove a holiday (e.g. a cancelled bridge day).
A deadline is the *end* of a local calendar day, 23:59:59.999 Asia/Bangkok.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")
END_OF_DAY = time(23, 59, 59, 999000)
#: Business days of the week: Monday (0) to Friday (4).
WORKDAYS = frozenset(range(5))
#: How long the call centre has to route a case waiting in triage (rule 1).
TRIAGE_WINDOW = timedelta(hours=24)


@lru_cache(maxsize=64)
def _official_holidays(year: int) -> Mapping[date, str]:
    """Thai public and government holidays of one year, as the package knows them."""
    import holidays  # imported on first use: request paths that compute no deadline do not pay for it

    return dict(holidays.country_holidays("TH", years=year, categories=("public", "government")))


def local_date(instant: datetime) -> date:
    """The calendar date in Bangkok of an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(BANGKOK).date()


def local_month(instant: datetime) -> str:
    """The calendar month in Bangkok of an aware instant, ``YYYY-MM`` (reports count local months)."""
    return local_date(instant).strftime("%Y-%m")


def end_of_day(day: date) -> datetime:
    """The deadline instant of a calendar day: 23:59:59.999 in Bangkok."""
    return datetime.combine(day, END_OF_DAY, tzinfo=BANGKOK)


@dataclass(frozen=True)
class BusinessCalendar:
    """Thai business days, with the operators' special holidays on top.

    ``added`` maps extra non-working dates to their names (cabinet-announced
    days); ``removed`` lists official holidays that are working days after all.
    """

    added: Mapping[date, str] = field(default_factory=dict)
    removed: frozenset[date] = frozenset()

    @classmethod
    def with_specials(cls, added: Mapping[date, str] | None = None, removed: Iterable[date] = ()) -> BusinessCalendar:
        return cls(added=dict(added or {}), removed=frozenset(removed))

    def holiday_name(self, day: date) -> str | None:
        """The holiday on ``day`` (special or official), or None."""
        if day in self.added:
            return self.added[day]
        if day in self.removed:
            return None
        return _official_holidays(day.year).get(day)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() in WORKDAYS and self.holiday_name(day) is None

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after ``day``."""
        return self.add_business_days(day, 1)

    def on_or_next_business_day(self, day: date) -> date:
        """``day`` itself when it is a business day, else the next one."""
        return day if self.is_business_day(day) else self.next_business_day(day)

    def add_business_days(self, day: date, count: int) -> date:
        """The ``count``-th business day strictly after ``day`` (count ≥ 1)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        current = day
        while count:
            current += timedelta(days=1)
            if self.is_business_day(current):
                count -= 1
        return current

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in (start, end]: how many business days ``end`` is after ``start``."""
        if end <= start:
            return 0
        return sum(1 for n in range(1, (end - start).days + 1) if self.is_business_day(start + timedelta(days=n)))

    # --- the deadlines of SPEC §2 -------------------------------------------------

    def ack_due(self, dispatched_at: datetime) -> datetime:
        """End of the 1st business day strictly after the dispatch date."""
        return end_of_day(self.add_business_days(local_date(dispatched_at), 1))

    def first_progress_due(self, acknowledged_at: datetime) -> datetime:
        """End of the 3rd business day strictly after the (actual) acknowledgement date."""
        return end_of_day(self.add_business_days(local_date(acknowledged_at), 3))

    def checkpoint_due(self, reported_on: date) -> datetime:
        """After a progress report on ``reported_on``: the next checkpoint's deadline.

        The nominal checkpoint is the first 15th or 30th (month end where there is
        no 30th) strictly after the report date; when it is not a business day
        the deadline moves to the end of the next business day.
        """
        return end_of_day(self.on_or_next_business_day(next_nominal_checkpoint(reported_on)))


def nominal_checkpoints(year: int, month: int) -> tuple[date, date]:
    """The two nominal checkpoints of a month: the 15th and the 30th (or month end)."""
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    month_end = first_of_next - timedelta(days=1)
    return date(year, month, 15), date(year, month, min(30, month_end.day))


def next_nominal_checkpoint(day: date) -> date:
    """The first nominal checkpoint strictly after ``day``."""
    mid, end = nominal_checkpoints(day.year, day.month)
    for candidate in (mid, end):
        if candidate > day:
            return candidate
    # After the 30th (the 31st): the 15th of next month.
    nxt = end + timedelta(days=2)
    return nominal_checkpoints(nxt.year, nxt.month)[0]


def dispatch_due(received_at: datetime) -> datetime:
    """A case in triage must be routed within 24 hours of receipt (rule 1)."""
    return received_at.astimezone(BANGKOK) + TRIAGE_WINDOW
