"""What every use case that changes a case shares: the business calendar in force, one
transaction per change (retried on a conflict where the caller asks), then the notices."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import TypeVar

from ..domain.calendar import BusinessCalendar, local_date
from ..domain.changes import Change
from ..domain.deadlines import SlaPolicy
from ..domain.errors import Conflict, UsedMeanwhile
from ..domain.model import Case
from ..domain.routing import Catalogue
from ..notices.outbox import Notices
from ..ports import AlsoWrite, CaseRepository, CatalogueSource, HolidayStore

#: How often a change is computed again when another writer changed the case first.
CONFLICT_ATTEMPTS = 3
#: A request decides at most twice: on the case it read, and once more on the case as the
#: other writer left it (so that a refusal names the state the case is in now).
REQUEST_ATTEMPTS = 2
#: The special holidays a deadline computed today can meet: none older than the
#: lookback, none further ahead than the horizon (the longest deadline, a
#: checkpoint, is about half a month ahead, plus holidays in a row).
HOLIDAY_LOOKBACK = timedelta(days=62)
HOLIDAY_HORIZON = timedelta(days=120)
C = TypeVar("C", Change, Change | None)


class Calendars:
    """The business calendar with the operators' special holidays as stored right now."""

    def __init__(self, holidays: HolidayStore):
        self.holidays = holidays

    def on(self, today: date) -> BusinessCalendar:
        found = self.holidays.special_holidays(today - HOLIDAY_LOOKBACK, today + HOLIDAY_HORIZON)
        return BusinessCalendar.with_specials(found.added, found.removed)

    def at(self, instant: datetime) -> BusinessCalendar:
        return self.on(local_date(instant))


class Workflow:
    """Cases, their notices, the calendar, the reference data and the policy: one change at a time."""

    def __init__(
        self,
        cases: CaseRepository,
        notices: Notices,
        calendars: Calendars,
        reference: CatalogueSource,
        policy: SlaPolicy,
    ):
        self.cases = cases
        self.notices = notices
        self.calendars = calendars
        self.reference = reference
        self.policy = policy

    @property
    def catalogue(self) -> Catalogue:
        """The reference data in force (read again once per invocation: ``usecases.reference``)."""
        return self.reference.catalogue

    def commit(self, change: Change, now: datetime, create: bool = False, also: Sequence[AlsoWrite] = ()) -> Case:
        """Store the change (case and events in one transaction, with ``also``), then send what its
        events owe."""
        if create:
            self.cases.create(change, also)
        else:
            self.cases.save(change, also)
        self.notices.deliver(change.case, change.events, now)
        return change.case

    def change(
        self, case_id: str, decide: Callable[[Case], Change], now: datetime, also: Sequence[AlsoWrite] = ()
    ) -> Case:
        """A request's change: read the case, decide, commit. When someone changed the case
        between our read and our write, read it once more and decide again, as if the two
        requests had come one after the other: the domain then refuses with the state the case
        is in now ("cannot acknowledge a case that is 'acknowledged'"), or the change applies
        to the new version (a second progress report). A second conflict is answered as one."""
        change = self._store(self.cases.get_case(case_id), decide, REQUEST_ATTEMPTS, also)
        self.notices.deliver(change.case, change.events, now)
        return change.case

    def apply(self, case: Case, decide: Callable[[Case], Change | None]) -> Change | None:
        """Store what ``decide`` makes of the case; when someone changed it first, read the case
        again and decide again (a few times). None when there is nothing to do. The caller
        delivers the notices."""
        try:
            return self._store(case, decide, CONFLICT_ATTEMPTS)
        except Conflict:
            raise Conflict(f"case {case.id} kept changing; try again") from None

    def _store(self, case: Case, decide: Callable[[Case], C], attempts: int, also: Sequence[AlsoWrite] = ()) -> C:
        for _ in range(attempts - 1):
            change = decide(case)
            if change is None:
                return change
            try:
                self.cases.save(change, also)
                return change
            except UsedMeanwhile:
                raise  # what the change names is gone: deciding again cannot help
            except Conflict:
                case = self.cases.get_case(case.id)
        change = decide(case)
        if change is not None:
            self.cases.save(change, also)  # a conflict again: the caller's
        return change
