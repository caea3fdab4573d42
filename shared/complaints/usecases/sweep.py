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

from ..domain import followup
from ..domain.calendar import BusinessCalendar
from ..domain.errors import Conflict, NotFound
from ..domain.events import EventType, Late, Notice
from ..domain.model import DUTY_KINDS, Case
from ..ports import OutboxStore
from .auditing import Auditing
from .base import Workflow

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
        return {
            "late": dict(self.late),
            "overdue": dict(self.overdue),
            "chased": self.chased,
            "escalated": self.escalated,
            "supervisors_alerted": self.supervisors_alerted,
            "notices_sent": self.notices_sent,
            "notices_failed": self.notices_failed,
            "notices_retried": self.notices_retried,
            "closed_without_feedback": self.closed_without_feedback,
            **self.audits,
        }


class Sweep:
    def __init__(self, workflow: Workflow, outbox: OutboxStore, auditing: Auditing | None = None):
        self.w = workflow
        self.outbox = outbox
        self.auditing = auditing

    def run(self, now: datetime) -> SweepReport:
        """Late cases first (and completed ones whose feedback window passed), then owed notices,
        then the day's audit draw."""
        report = SweepReport()
        calendar = self.w.calendars.at(now)
        for indexed in self.w.cases.due_before(now):
            kind = indexed.due.kind if indexed.due else "none"
            if kind in DUTY_KINDS:
                report.late[kind] += 1
            self._follow_up(indexed, now, calendar, report)
        self._retry_owed(now, report)
        if self.auditing is not None:
            report.audits = self.auditing.daily(now)
        return report

    def _follow_up(self, case: Case, now: datetime, calendar: BusinessCalendar, report: SweepReport) -> None:
        """One late case: the index's copy first (no extra read); on a conflict, the case itself."""
        try:
            change = self.w.apply(case, lambda c: followup.follow_up(c, now, calendar, self.w.policy))
        except Conflict:
            logger.warning("case kept changing during the sweep", extra={"case": case.id})
            return
        if change is None:
            return
        for event in change.events:
            report.closed_without_feedback += event.type is EventType.CLOSED
            if event.type is EventType.OVERDUE and isinstance(event.data, Late):
                report.overdue[event.data.kind] += 1
                report.supervisors_alerted += Notice.SUPERVISORS_EMAIL in event.notices
            report.chased += event.type is EventType.CHASED
            report.escalated += event.type is EventType.ESCALATED
        outcome = self.w.notices.deliver(change.case, change.events, now)
        report.notices_sent += outcome.sent
        report.notices_failed += outcome.failed

    def _retry_owed(self, now: datetime, report: SweepReport) -> None:
        """Notices that failed earlier (or whose sender died): the outbox index, sent once."""
        for case_id, seq in list(self.outbox.owed()):
            try:
                case = self.w.cases.get_case(case_id)
                event = self.w.cases.get_event(case_id, seq)
            except NotFound:
                continue
            outcome = self.w.notices.deliver(case, [event], now)
            report.notices_retried += outcome.sent + outcome.skipped
            report.notices_failed += outcome.failed
