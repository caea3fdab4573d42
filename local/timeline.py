"""Demo traffic played in time order against a stack: the engine of the seed (``local.seed``).

A *step* happens at an instant:

- a client's request, through ``Stack.api`` and stamped with the step's
  instant (API Gateway's ``requestTimeEpoch``: the handlers' "now");
- the daily SLA sweep at 08:30 and the monthly report at 09:00 on the 1st,
  each invoked with the event its schedule in ``template.yaml`` delivers at
  that instant (``local.events.scheduled_event``);
- the auditors' round at 14:00: ``GET /audits``, then a verdict
  (``POST /audits/{id}``) on each audit drawn on an earlier day; an agency whose
  completion was found inconsistent does the work again (``Auditors.redo``).

``Timeline.play`` runs the steps oldest first (a step may add later ones), so
that every function sees the table as it was at its instant, and stamps what
each step sent with that instant (``Outbox.stamp``). What the scheduled runs and the auditors did is
summed in ``Timeline.tally``; the report runs' results are kept in ``reports``.
"""

from __future__ import annotations

import contextlib
import heapq
import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from complaints.domain.calendar import BANGKOK, local_date
from local.events import claims_for, scheduled_event
from local.stack import Stack

SWEEP, REPORT = "SlaCheckFunction", "ReportFunction"
SWEEP_AT, REPORT_AT, AUDITS_AT = time(8, 30), time(9, 0), time(14, 0)
CALLCENTER = claims_for("callcenter", user="local-seed")
AUDITOR = claims_for("auditor", user="local-seed-auditor")


class Refused(RuntimeError):
    """A step the API refused with ``409``: the case was no longer where its story expected it."""


@dataclass(order=True)
class Step:
    at: datetime
    seq: int
    run: Callable[[datetime], None] = field(compare=False)


@dataclass
class Auditors:
    """When the auditors work (weekdays, 0 is Monday, until a last day) and how they decide."""

    weekdays: set[int]
    last_day: date
    verdicts: Mapping[str, dict[str, Any]]  # "verdict:consistent" / "verdict:inconsistent" → body
    inconsistent_every: int = 3
    redo: list[tuple[str, float, dict[str, Any]]] = field(default_factory=list)  # (action, hours after, body)


class Timeline:
    def __init__(self, stack: Stack, now: datetime) -> None:
        self.stack = stack
        self.now = now
        self.steps: list[Step] = []  # a heap
        self.seq = 0
        self.tally: Counter[str] = Counter()
        self.reports: list[dict[str, Any]] = []

    def add(self, at: datetime, run: Callable[[datetime], None]) -> None:
        self.seq += 1
        heapq.heappush(self.steps, Step(at, self.seq, run))

    def play(self) -> None:
        while self.steps:
            step = heapq.heappop(self.steps)
            step.run(step.at)
            self.stack.outbox.stamp(step.at)

    # ------------------------------------------------------------ requests

    def post(
        self, path: str, at: datetime, body: Mapping[str, Any], claims: Mapping[str, Any] | None, query: str = ""
    ) -> dict[str, Any]:
        """One POST as a client makes it; the answer's JSON (``Refused`` on a 409)."""
        answer = self.stack.api(
            "POST",
            path,
            query=query,
            headers={"Content-Type": "application/json"},
            at=at,
            body=json.dumps(body, ensure_ascii=False),
            claims=dict(claims) if claims else None,
        )
        if answer is not None and answer.status == 409:
            raise Refused(f"POST {path}: {answer.body.decode('utf-8', 'replace')}")
        if answer is None or answer.status not in (200, 201):
            detail = answer and answer.body.decode("utf-8", "replace")
            raise RuntimeError(f"seeding: POST {path} failed: {answer and answer.status} {detail}")
        return answer.json

    def get(self, path: str, at: datetime, claims: Mapping[str, Any], query: str = "") -> dict[str, Any]:
        answer = self.stack.api("GET", path, query=query, at=at, claims=dict(claims))
        if answer is None or answer.status != 200:
            detail = answer and answer.body.decode("utf-8", "replace")
            raise RuntimeError(f"seeding: GET {path} failed: {answer and answer.status} {detail}")
        return answer.json

    # ------------------------------------------------------------ the schedules and the auditors

    def schedules(self, first: date) -> None:
        """The sweep every morning from ``first`` to the 1st of this month, and the monthly report
        on every 1st after ``first`` (on the 1st of this month: at 09:00, or now if that is still to come)."""
        day, last = first, local_date(self.now).replace(day=1)
        while day <= last:
            sweep = datetime.combine(day, SWEEP_AT, BANGKOK)
            if sweep <= self.now:
                self.add(sweep, self._sweep)
            if day.day == 1 and day > first:
                self.add(min(datetime.combine(day, REPORT_AT, BANGKOK), self.now), self._report)
            day += timedelta(days=1)

    def audit_rounds(self, first: date, auditors: Auditors) -> None:
        day = first
        while day <= auditors.last_day:
            at = datetime.combine(day, AUDITS_AT, BANGKOK)
            if day.weekday() in auditors.weekdays and at <= self.now:
                self.add(at, lambda at, a=auditors: self._audits(at, a))
            day += timedelta(days=1)

    def _sweep(self, at: datetime) -> None:
        result = self.stack.invoke(SWEEP, scheduled_event(SWEEP, at))
        self.tally["sweeps"] += 1
        for key, value in result.items():
            if isinstance(value, dict):
                self.tally[key] += sum(v for v in value.values() if isinstance(v, int))
            elif isinstance(value, int) and not isinstance(value, bool):
                self.tally[key] += value

    def _report(self, at: datetime) -> None:
        self.reports.append(self.stack.invoke(REPORT, scheduled_event(REPORT, at)))

    def _audits(self, at: datetime, auditors: Auditors) -> None:
        """Decide every audit drawn before today; every ``inconsistent_every``-th verdict is inconsistent."""
        for audit in self.get("/audits", at, AUDITOR)["audits"]:
            if local_date(datetime.fromisoformat(audit["drawn_at"])) >= local_date(at):
                continue
            self.tally["audits_decided"] += 1
            bad = self.tally["audits_decided"] % auditors.inconsistent_every == 0
            verdict = auditors.verdicts["verdict:inconsistent" if bad else "verdict:consistent"]
            try:
                self.post(f"/audits/{audit['id']}", at, verdict, AUDITOR)
            except Refused:
                self.tally["audits_decided"] -= 1
                continue
            if bad:
                self.tally["audits_inconsistent"] += 1
                self._redo(audit["case"]["id"], audit["agency_id"], at, auditors)

    def _redo(self, case_id: str, agency_id: str, at: datetime, auditors: Auditors) -> None:
        """The agency whose completion an audit found inconsistent takes the case up again."""
        officer = claims_for("agency", agency_id=agency_id, user="local-seed")
        for action, hours, body in auditors.redo:
            when = at + timedelta(hours=hours)
            if when <= self.now - timedelta(minutes=1):
                path = f"/complaints/{case_id}/{action}"
                self.add(when, lambda at, p=path, b=body: self._quietly(p, at, b, officer))

    def _quietly(self, path: str, at: datetime, body: Mapping[str, Any], claims: Mapping[str, Any]) -> None:
        with contextlib.suppress(Refused):
            self.post(path, at, body, claims)
