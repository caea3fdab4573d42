"""The random audit, run every day by the sweep, and the auditors' work (rule 6).

What is drawn and why: ``domain/audit.py``; how it is stored: ``adapters/audits.py``.
Agencies never see a draw: audits are items of their own, not part of a case,
and a case shows an ``audited`` event only once an auditor has decided.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger

from .adapters.audits import AuditStore
from .domain import audit as sampling
from .domain import lifecycle
from .domain.calendar import local_date
from .domain.errors import Conflict, InvalidInput
from .domain.model import Actor
from .messages import render
from .service import ComplaintService
from .views import staff_view

logger = Logger(child=True)
REMIND_AFTER_BUSINESS_DAYS = 5


class Auditing:
    def __init__(self, service: ComplaintService, audits: AuditStore, rate: float = sampling.DEFAULT_RATE,
                 auditors: str = "", rng: Callable[[], random.Random] = sampling.system_random):
        if not 0 <= rate <= 1:
            raise ValueError("the audit rate is a fraction between 0 and 1")
        self.service = service
        self.audits = audits
        self.rate = rate
        self.auditors = auditors
        self.rng = rng

    @property
    def source(self) -> str:
        return "secrets.SystemRandom" if self.rng is sampling.system_random else "seeded (tests only)"

    # --- every day ---------------------------------------------------------------------------

    def daily(self, now: datetime) -> dict[str, int]:
        return {"audits_drawn": self.draw(now), "audits_month_minimum": self.settle(now),
                "audits_reminded": self.remind(now)}

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
                pool = sorted(tally.get("pool") or [])
                if tally.get("drawn", 0) or not pool:
                    continue
                index = sampling.month_minimum(pool, rng)
                case_id, seq = pool[index].split("#")
                chosen = sampling.Candidate(case_id, int(seq), tally["sk"], month)
                settled += self.audits.settle(month, tally["sk"], chosen, pool, index, self.source, now)
        return settled

    def remind(self, now: datetime) -> int:
        """An audit left open for 5 business days is reminded to the auditors, once."""
        calendar = self.service.calendar(local_date(now))
        waiting = [a for a in self.audits.open_audits() if "reminded_at" not in a and calendar.business_days_between(
            local_date(datetime.fromisoformat(a["drawn_at"])), local_date(now)) >= REMIND_AFTER_BUSINESS_DAYS]
        if not waiting or not self.auditors:
            return 0
        reminded = [a for a in waiting if self.audits.mark_reminded(a["id"], now)]
        if not reminded:
            return 0
        subject = f"[1555] {len(reminded)} การตรวจสอบรอเกิน 5 วันทำการ / audits waiting over 5 business days"
        context = {"subject": subject, "audits": reminded, "base_url": self.service.notices.base_url}
        try:
            self.service.notices.notifier.email(self.auditors, subject, render("email_auditors.html", **context),
                                                render("email_auditors.txt", **context))
        except Exception:
            for a in reminded:  # not sent: the next run tries again
                self.audits.unmark_reminded(a["id"])
            raise
        return len(reminded)

    # --- the auditors --------------------------------------------------------------------------

    def waiting(self) -> list[dict[str, Any]]:
        """The audits waiting for a verdict, each with its case as staff see it (evidence included)."""
        out = []
        for a in self.audits.open_audits():
            case, history = self.service.store.get(a["case_id"])
            out.append({"id": a["id"], "drawn_at": a["drawn_at"], "agency_id": a["agency_id"],
                        "completed_seq": a["seq"], "case": staff_view(case, history)})
        return out

    def decide(self, audit_id: str, verdict: str, note: str | None, actor: Actor, now: datetime) -> dict[str, Any]:
        """Record a verdict; ``inconsistent`` reopens the case (one transaction with the audit)."""
        audit = self.audits.get(audit_id)
        if audit["status"] != "open":
            raise Conflict(f"audit {audit_id} was already decided: {audit['status']}")
        if verdict == "inconsistent" and not note:
            raise InvalidInput("an inconsistent verdict needs a note saying what does not match")
        case, history = self.service.store.get(audit["case_id"])
        last_completion = max((e.seq for e in history if e.type == "completed"), default=None)
        change = lifecycle.audited(case, actor, now, audit_id, verdict, note,
                                   self.service.calendar(local_date(now)), audit["agency_id"],
                                   current=last_completion == int(audit["seq"]))
        self.service.store.save(change, also=[self.audits.verdict_item(audit_id, verdict, note,
                                                                       actor.id or "auditor", now)])
        self.service.notices.deliver(change.case, change.events, now)
        return {"id": audit_id, "verdict": verdict, "case_id": case.id, "case_state": change.case.state,
                "reopen_count": change.case.reopen_count}
