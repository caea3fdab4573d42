"""Rule 7: the report's aggregates kept as the days pass, the monthly report and the fiscal year.

The daily roll-up reads one local day's history events (the month index), turns each
into increments (``domain.kpi.facts``) and rewrites that day's counters per scope and
month: a re-run, a retry or a partial day later completed never counts twice, and a
missed day is caught up. Serving a month or a fiscal year reads those aggregates (or
the frozen document), never cases or events. ``docs/kpi.md`` explains every figure.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger

from ..domain.calendar import local_date, local_month
from ..domain.errors import NotFound
from ..domain.kpi import figures
from ..domain.kpi.facts import increments
from ..domain.routing import Catalogue
from ..ports import CatalogueSource, Notifier, ReportStore

logger = Logger(child=True)
#: With no day rolled up yet, how far back the first roll-up starts.
FIRST_ROLLUP_DAYS = 62
#: How many months back an unfrozen previous month is computed from its aggregates.
MONTHS_BACK = 24
#: A claim to send the month's e-mail older than this is from a run that died: claimed again.
STALE_EMAIL = timedelta(minutes=15)


def previous(month: str) -> str:
    year, mm = (int(p) for p in month.split("-"))
    return f"{year - 1}-12" if mm == 1 else f"{year}-{mm - 1:02d}"


@dataclass(frozen=True)
class RolledUp:
    days: list[str]
    events: int


class Rollup:
    def __init__(self, store: ReportStore):
        self.store = store

    def run(self, now: datetime) -> RolledUp:
        """Every day since the last complete one, today so far included."""
        today = local_date(now)
        last = self.store.complete_through() or today - timedelta(days=FIRST_ROLLUP_DAYS)
        days, events = [], 0
        day = last + timedelta(days=1)
        while day <= today:
            events += self.day(day, complete=day < today, now=now)
            days.append(day.isoformat())
            day += timedelta(days=1)
        return RolledUp(days, events)

    def day(self, day: date, complete: bool, now: datetime) -> int:
        """Recompute one day's counters from its events and replace what the day held."""
        sums: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        n = 0
        for event in self.store.events_of_day(day):
            n += 1
            for inc in increments(event):
                sums[(inc.month, inc.scope)][inc.counter] += inc.n
        for (month, scope), counters in sorted(sums.items()):
            self.store.put_day(month, scope, day, counters)
        self.store.rolled_up(day, complete, now)
        return n


class Reports:
    def __init__(self, store: ReportStore, rollup: Rollup, reference: CatalogueSource, weights: Mapping[str, float]):
        self.store = store
        self.rollup = rollup
        self.reference = reference
        self.weights = dict(weights)

    @property
    def catalogue(self) -> Catalogue:
        return self.reference.catalogue

    def monthly(self, month: str, now: datetime) -> dict[str, Any]:
        """The month's report: the frozen one, or the figures so far (``final: false``)."""
        if month > local_month(now):
            raise NotFound(f"the month {month} has not begun")
        return self.store.frozen(month) or self._compute(month, now, final=False)

    def freeze(self, month: str, now: datetime) -> dict[str, Any]:
        """Roll up what happened until now (the morning's sweep included), then keep the month's report."""
        kept = self.store.frozen(month)
        if kept is not None:
            return kept
        self.rollup.run(now)
        return self.store.freeze(month, self._compute(month, now, final=True))

    def fiscal_year(self, year: int, now: datetime) -> dict[str, Any]:
        """The Thai fiscal year ending in September of ``year``, the months so far."""
        months = figures.fiscal_months(year, local_date(now))
        if not months:
            raise NotFound(f"fiscal year {year} has not begun")
        computed: dict[str, dict[str, Any]] = {}  # each unfrozen month computed once in this request
        rows = []
        for m in months:  # oldest first: each month's opening balance is the month before, just computed
            doc = self.store.frozen(m) or self._compute(m, now, final=False, computed=computed)
            rows.append(doc["agencies"])
        return figures.fiscal_year(year, months, rows, self.weights)

    def _compute(
        self, month: str, now: datetime, final: bool, depth: int = 0, computed: dict | None = None
    ) -> dict[str, Any]:
        if computed is not None and month in computed:
            return computed[month]
        counters = self.store.month(month)
        before = self._before(previous(month), now, depth, computed)
        opening = _open_balances(before) if before else {}
        closing = dict(opening)
        for scope, c in counters.items():
            if "open" in c:
                closing[scope] = closing.get(scope, 0) + c["open"]
        previous_totals = before["totals"] if before else None
        doc = figures.monthly(month, counters, closing, self.catalogue, previous_totals, now.isoformat(), final)
        if computed is not None:
            computed[month] = doc
        return doc

    def _before(self, month: str, now: datetime, depth: int, computed: dict | None) -> dict[str, Any] | None:
        kept = self.store.frozen(month)
        if kept is not None or depth >= MONTHS_BACK:
            return kept
        return self._compute(month, now, final=False, depth=depth + 1, computed=computed)


def _open_balances(doc: Mapping[str, Any]) -> dict[str, int]:
    """The open cases at the end of a month, per agency and district, from its report."""
    out = {f"agency:{r['agency_id']}": r["open_at_month_end"] for r in doc["agencies"]}
    out |= {f"district:{r['district']}": r["open_at_month_end"] for r in doc["by_district"]}
    return out


@dataclass(frozen=True)
class MonthlyRun:
    month: str
    emailed: bool
    agencies: int


class MonthlyReport:
    """The 09:00 run on the 1st: freeze last month's report and e-mail it to the executives, once."""

    def __init__(self, reports: Reports, store: ReportStore, notifier: Notifier, compose: Callable[[dict], bytes],
                 executives: list[str]):  # fmt: skip
        self.reports = reports
        self.store = store
        self.notifier = notifier
        self.compose = compose
        self.executives = executives

    def run(self, now: datetime) -> MonthlyRun:
        month = previous(local_month(now))
        doc = self.reports.freeze(month, now)
        emailed = False
        if self.executives and self.store.claim_email(month, now, now - STALE_EMAIL):
            try:
                self.notifier.raw_email(self.executives, self.compose(doc))
            except Exception:
                self.store.email_done(month, now, sent=False)  # released: a retry sends it
                raise
            self._record_sent(month, now)
            emailed = True
        return MonthlyRun(month, emailed, len(doc["agencies"]))

    def _record_sent(self, month: str, now: datetime) -> None:
        """The e-mail went out: record it, a second time if the first write fails. Never a failed
        run for it: the claim already keeps a retry from sending it again."""
        for attempt in (1, 2):
            try:
                self.store.email_done(month, now, sent=True)
                return
            except Exception as err:
                logger.error(
                    "report e-mail sent but not recorded", extra={"attempt": attempt, "error": type(err).__name__}
                )
