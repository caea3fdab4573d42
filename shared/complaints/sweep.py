"""The daily SLA sweep (rule 4): find every late case, follow it up, retry owed notices.

Reads only what is due: the sparse due index up to "now" (every case it reads
is late), then the sparse outbox index (events with a notice still owed). Each
case's follow-up is one versioned transaction, its notices claimed before they
are sent, so running the sweep twice for one instant, or again after a run
that died half-way, does nothing twice and leaves nothing out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from aws_lambda_powertools import Logger

from .auditing import Auditing
from .domain import lifecycle
from .domain.calendar import local_date
from .domain.errors import Conflict, NotFound
from .domain.model import DUTY_KINDS, Case
from .service import ComplaintService

logger = Logger(child=True)


@dataclass
class SweepReport:
    late: Counter[str] = field(default_factory=Counter)  # late cases seen, by deadline kind
    overdue: Counter[str] = field(default_factory=Counter)  # deadlines newly found missed, by kind
    chased: int = 0
    escalated: int = 0
    supervisors_alerted: int = 0
    notices_sent: int = 0
    notices_failed: int = 0
    notices_retried: int = 0
    closed_without_feedback: int = 0
    audits: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"late": dict(self.late), "overdue": dict(self.overdue), "chased": self.chased,
                "escalated": self.escalated, "supervisors_alerted": self.supervisors_alerted,
                "notices_sent": self.notices_sent, "notices_failed": self.notices_failed,
                "notices_retried": self.notices_retried, "closed_without_feedback": self.closed_without_feedback,
                **self.audits}


class Sweep:
    def __init__(self, service: ComplaintService, auditing: Auditing | None = None):
        self.service = service
        self.store = service.store
        self.policy = service.policy
        self.auditing = auditing

    def run(self, now: datetime) -> SweepReport:
        """Late cases first (and completed ones whose feedback window passed), then owed notices,
        then the day's audit draw."""
        report = SweepReport()
        calendar = self.service.calendar(local_date(now))
        for indexed in self.store.cases_due_before(now):
            kind = indexed.due.kind if indexed.due else "none"
            if kind in DUTY_KINDS:
                report.late[kind] += 1
            self._follow_up(indexed, now, calendar, report)
        self._retry_owed(now, report)
        if self.auditing is not None:
            report.audits = self.auditing.daily(now)
        return report

    def _follow_up(self, case: Case, now: datetime, calendar: lifecycle.BusinessCalendar,
                   report: SweepReport) -> None:
        """One late case: the index's copy first (no extra read); on a conflict, the case itself."""
        try:
            change = self.service.apply(case, lambda c: lifecycle.follow_up(c, now, calendar, self.policy))
        except Conflict:
            logger.warning("case kept changing during the sweep", extra={"case": case.id})
            return
        if change is None:
            return
        for event in change.events:
            report.closed_without_feedback += event.type == "closed"
            if event.type == "overdue":
                report.overdue[event.data["kind"]] += 1
                report.supervisors_alerted += "supervisors_email" in event.notices
            report.chased += event.type == "chased"
            report.escalated += event.type == "escalated"
        outcome = self.service.notices.deliver(change.case, change.events, now)
        report.notices_sent += outcome.sent
        report.notices_failed += outcome.failed

    def _retry_owed(self, now: datetime, report: SweepReport) -> None:
        """Notices that failed earlier (or whose sender died): the outbox index, sent once."""
        for case_id, seq in list(self.store.owed_events()):
            try:
                case = self.store.get_case(case_id)
                event = self.store.get_event(case_id, seq)
            except (NotFound, KeyError):
                continue
            outcome = self.service.notices.deliver(case, [event], now)
            report.notices_retried += outcome.sent + outcome.skipped
            report.notices_failed += outcome.failed
