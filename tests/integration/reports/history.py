"""The raw history of the table, walked case by case: the business-day calendar of SPEC §2 (with
the special holidays stored), every duty deadline each case ran and how it ended, and each event
with the case around it (its state and agency before and after). Decoded with the codec, and
nothing else of the product: not the events' ``ended`` / ``context`` (the facts the product writes
for its report), not ``complaints.domain.kpi``, not ``complaints.domain.calendar``.

A duty deadline starts when a case enters triage (24 hours from then), is sent to an agency
(``ack``: the ``due`` of ``routed`` / ``reopened``), is acknowledged (``first_progress``: the ``due``
of ``acknowledged``) or reports progress (``checkpoint``: the ``due`` of ``progress``);
``deadline_moved`` moves it; the next event that does the duty or takes the case away ends it. Its
fate follows SPEC §8: met when the duty was done at or before its instant, missed when the instant
passed first (whatever happened later), void when the case left first — or, still running, from
"now".
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from typing import Any

import holidays

from complaints.adapters.dynamo.codec import from_item, to_case, to_event
from complaints.domain.events import HistoryEvent
from complaints.domain.model import Case
from local import infra

BANGKOK = timezone(timedelta(hours=7))
TRIAGE_WINDOW = timedelta(hours=24)
END_OF_DAY = time(23, 59, 59, 999000)
OPEN = frozenset({"dispatched", "acknowledged", "in_progress"})


def local_date(instant: datetime) -> date:
    return instant.astimezone(BANGKOK).date()


def month_of(instant: datetime) -> str:
    return local_date(instant).strftime("%Y-%m")


@cache
def _official(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("TH", years=year, categories=("public", "government")))


@dataclass(frozen=True)
class Calendar:
    """SPEC §2's business days: Monday–Friday, not a Thai public or government holiday, with the
    operators' special holidays (added, or official ones removed) on top."""

    added: frozenset[date] = frozenset()
    removed: frozenset[date] = frozenset()

    def is_business_day(self, day: date) -> bool:
        holiday = day in self.added or (day in _official(day.year) and day not in self.removed)
        return day.weekday() < 5 and not holiday

    def business_days(self, after: date, until: date) -> int:
        """Business days d with after < d ≤ until."""
        return sum(self.is_business_day(after + timedelta(days=n)) for n in range(1, (until - after).days + 1))

    def nth_business_day_after(self, day: date, n: int) -> date:
        while n:
            day += timedelta(days=1)
            n -= self.is_business_day(day)
        return day

    def due(self, kind: str, basis: datetime) -> datetime:
        """SPEC §2: the deadline of ``kind`` for a clock started at ``basis``."""
        if kind == "dispatch":
            return basis + TRIAGE_WINDOW
        day = local_date(basis)
        if kind == "ack":
            day = self.nth_business_day_after(day, 1)
        elif kind == "first_progress":
            day = self.nth_business_day_after(day, 3)
        else:  # the first 15th or 30th (month end without a 30th) strictly after, on or after it a business day
            day = next_checkpoint(day)
            if not self.is_business_day(day):
                day = self.nth_business_day_after(day, 1)
        return datetime.combine(day, END_OF_DAY, BANGKOK)


def next_checkpoint(day: date) -> date:
    """The first nominal checkpoint (the 15th, the 30th or the month's last day) strictly after ``day``."""
    while True:
        day += timedelta(days=1)
        month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if day.day in (15, min(30, month_end.day)):
            return day


@dataclass
class Deadline:
    kind: str  # dispatch | ack | first_progress | checkpoint
    owner: str | None  # the agency the case was with; None: the call centre (dispatch)
    at: datetime  # the final instant (after any move)
    case_id: str
    started: datetime  # the instant of the event that started it (the clock's basis)
    planned: datetime  # its instant when it started (before any move)
    moved: datetime | None = None  # when it was last moved
    ended_at: datetime | None = None
    done: bool = False  # the ending event did the duty

    def fate(self, now: datetime) -> str | None:
        """met / missed / void as the history says at ``now``; None while still undecided."""
        if self.ended_at is not None and self.ended_at <= now:
            if self.ended_at > self.at:
                return "missed"  # the instant passed first, whatever happened later
            return "met" if self.done else "void"
        return "missed" if self.at < now else None


@dataclass(frozen=True)
class Step:
    """One history event, with the case around it: its state and agency before and after."""

    case: Case
    event: HistoryEvent
    state_before: str | None
    agency_before: str | None
    agency_after: str | None
    business_days: int | None = None  # a completion's
    audited_agency: str | None = None  # an audit verdict's: the agency that made the audited completion

    @property
    def type(self) -> str:
        return str(self.event.type)

    @property
    def at(self) -> datetime:
        return self.event.at

    @property
    def role(self) -> str:
        return str(self.event.by.role)

    @property
    def data(self) -> Any:
        return self.event.data


class Walk:
    """One case's history, event by event: the deadlines it ran and each event in context."""

    def __init__(self, case: Case, calendar: Calendar):
        self.case, self.calendar = case, calendar
        self.state: str | None = None
        self.agency: str | None = None
        self.sent_at: datetime | None = None  # the event that last sent the case to its agency
        self.running: Deadline | None = None
        self.deadlines: list[Deadline] = []
        self.steps: list[Step] = []
        self.completions: dict[int, str | None] = {}  # seq of a completion → the agency that made it

    def run(self, events: Iterable[HistoryEvent]) -> Walk:
        for e in sorted(events, key=lambda e: e.seq):
            before, agency_before = self.state, self.agency
            extra = getattr(self, f"_{e.type}", lambda e: {})(e) or {}
            self.state = str(e.state)
            self.steps.append(Step(self.case, e, before, agency_before, self.agency, **extra))
        return self

    # --- deadlines -------------------------------------------------------------------------------

    def _start(self, kind: str, e: HistoryEvent, at: datetime | None) -> None:
        assert at is not None, f"{self.case.id}: a {kind} deadline without an instant"
        owner = None if kind == "dispatch" else self.agency
        self.running = Deadline(kind, owner, at, self.case.id, started=e.at, planned=at)
        self.deadlines.append(self.running)

    def _end(self, e: HistoryEvent, done: bool) -> None:
        if self.running is not None:
            self.running.ended_at, self.running.done = e.at, done
            self.running = None

    def _to_triage(self, e: HistoryEvent) -> None:
        self.agency = None
        self._start("dispatch", e, e.at + TRIAGE_WINDOW)

    # --- one method per event type that matters --------------------------------------------------

    def _received(self, e: HistoryEvent) -> None:
        self._start("dispatch", e, e.at + TRIAGE_WINDOW)

    def _routed(self, e: HistoryEvent) -> None:
        self._end(e, done=self.state == "triage")  # a re-route leaves the old agency's ack undone
        self.agency, self.sent_at = e.data.agency_id, e.at
        self._start("ack", e, e.data.due)

    def _referred(self, e: HistoryEvent) -> None:
        self._end(e, done=True)
        self.agency = None

    def _acknowledged(self, e: HistoryEvent) -> None:
        self._end(e, done=True)
        if e.data.due is not None:  # none when recorded with a completion
            self._start("first_progress", e, e.data.due)

    def _progress(self, e: HistoryEvent) -> None:
        self._end(e, done=True)
        self._start("checkpoint", e, e.data.due)

    def _completed(self, e: HistoryEvent) -> dict[str, Any]:
        self._end(e, done=True)
        self.completions[e.seq] = self.agency
        assert self.sent_at is not None, f"{self.case.id}: completed, never sent"
        return {"business_days": self.calendar.business_days(local_date(self.sent_at), local_date(e.at))}

    def _handed_back(self, e: HistoryEvent) -> None:
        self._end(e, done=False)
        self._to_triage(e)

    def _returned_to_triage(self, e: HistoryEvent) -> None:
        self._to_triage(e)

    def _reopened(self, e: HistoryEvent) -> None:
        if self.agency is None:
            self._to_triage(e)
        else:
            self.sent_at = e.at
            self._start("ack", e, e.data.due)

    def _closed(self, e: HistoryEvent) -> None:
        if self.state == "triage":
            self._end(e, done=True)

    def _deadline_moved(self, e: HistoryEvent) -> None:
        assert self.running is not None and self.running.kind == str(e.data.kind), f"{self.case.id}: moved what?"
        self.running.at, self.running.moved = e.data.to, e.at

    def _audited(self, e: HistoryEvent) -> dict[str, Any]:
        seq = int(e.data.audit_id.rsplit("-", 1)[1])
        return {"audited_agency": self.completions[seq]}


def reference_agencies() -> dict[str, dict[str, str]]:
    path = infra.ROOT / "shared" / "complaints" / "data" / "agencies.csv"
    with path.open(encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


@dataclass
class History:
    """Every case's walk, from the table's items."""

    cases: dict[str, Case]
    steps: list[Step]
    deadlines: list[Deadline]
    calendar: Calendar
    names: dict[str, dict[str, str]] = field(default_factory=reference_agencies)

    @classmethod
    def of(cls, items: list[dict[str, Any]]) -> History:
        added, removed, cases, events = set(), set(), {}, defaultdict(list)
        for item in items:
            pk, sk = item["pk"]["S"], item["sk"]["S"]
            if pk == "CONFIG" and sk.startswith("HOLIDAY#"):
                day = date.fromisoformat(sk.removeprefix("HOLIDAY#"))
                (removed if from_item(item).get("removed") else added).add(day)
            elif pk.startswith("CASE#") and sk == "META":
                cases[pk.removeprefix("CASE#")] = to_case(item)
            elif pk.startswith("CASE#") and sk.startswith("EVT#"):
                events[pk.removeprefix("CASE#")].append(to_event(item))
        calendar = Calendar(frozenset(added), frozenset(removed))
        walks = [Walk(case, calendar).run(events[case_id]) for case_id, case in sorted(cases.items())]
        return cls(
            cases,
            sorted((s for w in walks for s in w.steps), key=lambda s: (s.at, s.case.id, s.event.seq)),
            [d for w in walks for d in w.deadlines],
            calendar,
        )

    # --- what the history says at an instant -----------------------------------------------------

    def steps_of(self, month: str, now: datetime) -> list[Step]:
        return [s for s in self.steps if s.at <= now and month_of(s.at) == month]

    def deadlines_of(self, month: str, now: datetime) -> list[tuple[Deadline, str]]:
        """The month's deadlines (by their final instant) that were met or missed by ``now``."""
        out = []
        for d in self.deadlines:
            fate = d.fate(now)
            if month_of(d.at) == month and fate in ("met", "missed"):
                out.append((d, fate))
        return out

    def open_at(self, instant: datetime) -> list[Step]:
        """Each case's last step up to ``instant`` when it left the case open with an agency."""
        last: dict[str, Step] = {}
        for s in self.steps:
            if s.at <= instant:
                last[s.case.id] = s
        return [s for s in last.values() if str(s.event.state) in OPEN and s.agency_after]
