"""Special holidays (operators): the SLA engine uses them from the moment they are stored, and
the deadlines already running that a changed day can move are recomputed at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..commands import DeleteHoliday, PutHoliday
from ..domain import lifecycle
from ..domain.calendar import BANGKOK, BusinessCalendar
from ..domain.errors import InvalidInput, NotFound
from ..ports import HolidayStore
from .base import Workflow

#: The years the calendar serves (as ``GET /holidays``): a day outside them is refused before anything is written.
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: How far after a changed holiday a running deadline can lie and still depend on it.
DEADLINE_REACH = timedelta(days=35)


@dataclass(frozen=True)
class HolidayEntry:
    date: date
    name: str
    source: str  # official | special
    removed: bool = False  # an official holiday cancelled: a working day


@dataclass(frozen=True)
class HolidayChanged:
    date: date
    name: str | None
    source: str
    removed: bool
    deadlines_moved: int


@dataclass(frozen=True)
class HolidayDeleted:
    deleted: date
    deadlines_moved: int


def _within_calendar(day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(f"{day} is outside the calendar: holidays are kept for the years {FIRST_YEAR}–{LAST_YEAR}")


class Holidays:
    def __init__(self, workflow: Workflow, holidays: HolidayStore):
        self.w = workflow
        self.holidays = holidays

    def year(self, year: int) -> list[HolidayEntry]:
        """The year's non-working holidays as the SLA engine sees them, with their source."""
        found = self.holidays.special_holidays(date(year, 1, 1), date(year, 12, 31))
        official = BusinessCalendar.with_specials()
        out = []
        day = date(year, 1, 1)
        while day.year == year:
            name = official.holiday_name(day)
            if day in found.added:
                out.append(HolidayEntry(day, found.added[day], "special"))
            elif name:
                out.append(HolidayEntry(day, name, "official", removed=day in found.removed))
            day += timedelta(days=1)
        return out

    def put(self, cmd: PutHoliday) -> HolidayChanged:
        _within_calendar(cmd.day)
        official = BusinessCalendar.with_specials().holiday_name(cmd.day)
        if cmd.removed and not official:
            raise InvalidInput(f"{cmd.day} is not an official holiday, so there is nothing to remove")
        self.holidays.put(cmd.day, cmd.name, cmd.removed, cmd.actor.id or cmd.actor.role)
        what = f"{'cancelled' if cmd.removed else 'special'} holiday {cmd.day}: {cmd.name or official}"
        return HolidayChanged(
            cmd.day,
            cmd.name or official,
            "official" if cmd.removed else "special",
            cmd.removed,
            self._move_deadlines(cmd.day, cmd.at, what),
        )

    def delete(self, cmd: DeleteHoliday) -> HolidayDeleted:
        _within_calendar(cmd.day)
        if not self.holidays.delete(cmd.day):
            raise NotFound(f"no special holiday on {cmd.day}")
        return HolidayDeleted(cmd.day, self._move_deadlines(cmd.day, cmd.at, f"{cmd.day}: back to normal"))

    def _move_deadlines(self, day: date, now: datetime, note: str) -> int:
        """Running deadlines that a change of ``day`` can move: those from that day to a month
        after (no clock counts more than a few business days past a holiday). Each moved
        deadline is a ``deadline_moved`` event."""
        calendar = self.w.calendars.at(now)
        start = datetime.combine(day, time.min, tzinfo=BANGKOK)
        moved = 0
        for indexed in self.w.cases.due_between(start, start + DEADLINE_REACH):
            # the index may lag: act on the case itself
            change = self.w.apply(
                self.w.cases.get_case(indexed.id), lambda case: lifecycle.recompute_due(case, calendar, now, note)
            )
            moved += change is not None
        return moved
