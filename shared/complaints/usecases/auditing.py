"""The random audit, run every day by the sweep, and the auditors' work (rule 6).

What is drawn and why: ``domain/audit.py``; how it is stored: ``adapters/dynamo/audits.py``.
Agencies never see a draw: audits are items of their own, not part of a case,
and a case shows an ``audited`` event only once an auditor has decided.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..commands import RecordVerdict
from ..domain import audit as sampling
from ..domain import followup
from ..domain.calendar import local_date
from ..domain.errors import Conflict, InvalidInput
from ..domain.events import EventType, HistoryEvent
from ..domain.model import Case, State
from ..messages import render
from ..ports import Audit, AuditRepository, CloseAudit, Notifier
from .base import Workflow

#: An audit left open this long is reminded to the auditors (rule 6's follow-up; not a deployment choice).
REMIND_AFTER_BUSINESS_DAYS = 5


@dataclass(frozen=True)
class Waiting:
    """An audit waiting for a verdict, with its case (evidence included)."""

    audit: Audit
    case: Case
    history: list[HistoryEvent]

    @property
    def flags(self) -> list[str]:
        """What the checks of the audited completion's "after" photos raised (``domain.evidence``)."""
        done = next((e for e in self.history if e.seq == self.audit.seq), None)
        return [str(f) for f in getattr(done.data, "flags", [])] if done else []


@dataclass(frozen=True)
class VerdictRecorded:
    id: str
    verdict: str
    case_id: str
    case_state: State
    reopen_count: int


class Auditing:
    def __init__(
        self,
        workflow: Workflow,
        audits: AuditRepository,
        notifier: Notifier,
        base_url: str,
        rate: float,
        auditors: str,
        rng: Callable[[], random.Random] = sampling.system_random,
    ):
        if not 0 <= rate <= 1:
            raise ValueError("the audit rate is a fraction between 0 and 1")
        self.w = workflow
        self.audits = audits
        self.notifier = notifier
        self.base_url = base_url.rstrip("/")
        self.rate = rate
        self.auditors = auditors
        self.rng = rng

    @property
    def source(self) -> str:
        return "secrets.SystemRandom" if self.rng is sampling.system_random else "seeded (tests only)"

    # --- every day ---------------------------------------------------------------------------

    def daily(self, now: datetime) -> dict[str, int]:
        return {
            "audits_drawn": self.draw(now),
            "audits_month_minimum": self.settle(now),
            "audits_reminded": self.remind(now),
        }

    def draw(self, now: datetime) -> int:
        """Sample the completions since the last draw, per agency, at the rate."""
        by_agency: dict[str, list[sampling.Candidate]] = defaultdict(list)
        for candidate in self.audits.candidates(now):
            by_agency[candidate.agency_id].append(candidate)
        rng = self.rng()
        day = local_date(now).isoformat()
        opened = 0
        for agency, candidates in sorted(by_agency.items()):
            draws = sampling.draw(sorted(candidates, key=lambda c: (c.case_id, c.seq)), self.rate, rng)
            opened += len(self.audits.record(day, agency, draws, self.rate, self.source, now))
        return opened

    def settle(self, now: datetime) -> int:
        """The monthly minimum: last month (every day, until done) and, on its last day, this month."""
        today = local_date(now)
        months = [(today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")]
        if (today + timedelta(days=1)).month != today.month:
            months.append(today.strftime("%Y-%m"))
        rng = self.rng()
        settled = 0
        for month in months:
            for tally in self.audits.months(month):
                pool = sorted(tally.pool)
                if tally.drawn or not pool:
                    continue
                index = sampling.month_minimum(pool, rng)
                case_id, seq = pool[index].split("#")
                chosen = sampling.Candidate(case_id, int(seq), tally.agency_id, month)
                settled += self.audits.settle(month, tally.agency_id, chosen, pool, index, self.source, now)
        return settled

    def remind(self, now: datetime) -> int:
        """An audit left open for 5 business days is reminded to the auditors, once."""
        calendar = self.w.calendars.at(now)
        waiting = [
            a
            for a in self.audits.open_audits()
            if a.reminded_at is None
            and calendar.business_days_between(local_date(datetime.fromisoformat(a.drawn_at)), local_date(now))
            >= REMIND_AFTER_BUSINESS_DAYS
        ]
        if not waiting or not self.auditors:
            return 0
        reminded = [a for a in waiting if self.audits.mark_reminded(a.id, now)]
        if not reminded:
            return 0
        subject = f"[1555] {len(reminded)} การตรวจสอบรอเกิน 5 วันทำการ / audits waiting over 5 business days"
        context = {"subject": subject, "audits": reminded, "base_url": self.base_url}
        try:
            self.notifier.email(
                self.auditors,
                subject,
                render("email_auditors.html", **context),
                render("email_auditors.txt", **context),
            )
        except Exception:
            for a in reminded:  # not sent: the next run tries again
                self.audits.unmark_reminded(a.id)
            raise
        return len(reminded)

    # --- the auditors --------------------------------------------------------------------------

    def waiting(self) -> list[Waiting]:
        """The audits waiting for a verdict, each with its case as staff see it (evidence included)."""
        out = []
        for audit in self.audits.open_audits():
            case, history = self.w.cases.get(audit.case_id)
            out.append(Waiting(audit, case, history))
        return out

    def decide(self, cmd: RecordVerdict) -> VerdictRecorded:
        """Record a verdict; ``inconsistent`` reopens the case (one transaction with the audit)."""
        audit = self.audits.get(cmd.audit_id)
        if audit.status != "open":
            raise Conflict(f"audit {cmd.audit_id} was already decided: {audit.status}")
        if cmd.verdict == "inconsistent" and not cmd.note:
            raise InvalidInput("an inconsistent verdict needs a note saying what does not match")
        case, history = self.w.cases.get(audit.case_id)
        last_completion = max((e.seq for e in history if e.type is EventType.COMPLETED), default=None)
        change = followup.audited(
            case,
            cmd.actor,
            cmd.at,
            cmd.audit_id,
            cmd.verdict,
            cmd.note,
            self.w.calendars.at(cmd.at),
            audit.agency_id,
            current=last_completion == audit.seq,
        )
        self.w.cases.save(
            change, also=[CloseAudit(cmd.audit_id, cmd.verdict, cmd.note, cmd.actor.id or "auditor", cmd.at)]
        )
        self.w.notices.deliver(change.case, change.events, cmd.at)
        return VerdictRecorded(cmd.audit_id, cmd.verdict, case.id, change.case.state, change.case.reopen_count)
