"""Delivering the notices that history events owe (the outbox).

An event that owes notices is written with them, in the same transaction as
the change; after the commit they are sent, and each is marked ``sent`` with a
conditional write, so a retried invocation or a second sender never sends a
notice that is already marked. A failed send is recorded on the event and the
event stays in the outbox index for the daily sweep to retry: never lost.
(Between a provider's accepted send and our mark lies the only window in which
a crash could make the retry send twice.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from aws_lambda_powertools import Logger

from .adapters.notify import Notifier
from .adapters.store import CaseStore
from .domain.links import agency_token, citizen_token
from .domain.model import Case, HistoryEvent
from .domain.routing import Catalogue
from .messages import render, sms_text, thai_date

logger = Logger(child=True)
CALL_CENTRE = "OPS-1555"

CITIZEN_SUBJECTS = {
    "routed": "เรื่อง {id} ส่งถึงหน่วยงานแล้ว / Your case was sent to the agency",
    "referred": "เรื่อง {id} อยู่ในอำนาจหน่วยงานอื่น / Your case was referred",
    "progress": "เรื่อง {id} มีความคืบหน้า / Progress on your case",
    "completed": "เรื่อง {id} แก้ไขเสร็จแล้ว / Your case was completed",
    "handed_back": "เรื่อง {id} กำลังส่งต่อ / Your case is being re-routed",
    "reopened": "เรื่อง {id} ส่งกลับไปแก้ไขอีกครั้ง / Your case was reopened",
}


@dataclass(frozen=True)
class Outcome:
    sent: int = 0
    skipped: int = 0
    failed: int = 0


class Notices:
    def __init__(self, store: CaseStore, notifier: Notifier, catalogue: Catalogue, base_url: str,
                 secret: Callable[[], bytes]):
        self.store = store
        self.notifier = notifier
        self.catalogue = catalogue
        self.base_url = base_url.rstrip("/")
        self.secret = secret

    def deliver(self, case: Case, events: Iterable[HistoryEvent], now: datetime,
                already_sent: Callable[[HistoryEvent], Sequence[str]] = lambda e: ()) -> Outcome:
        """Send what each event owes and is not yet marked sent; ``case`` is the case now."""
        sent = skipped = failed = 0
        for event in events:
            done = set(already_sent(event))
            owed = [n for n in event.notices if n not in done]
            all_ok = True
            for i, notice in enumerate(owed):
                try:
                    outcome = self._send(case, event, notice, now)
                except Exception as err:  # any provider failure is kept and retried
                    logger.warning("notice failed", extra={"case": case.id, "seq": event.seq, "notice": notice,
                                                           "error": type(err).__name__})
                    self.store.notice_failed(case.id, event.seq, notice, f"{type(err).__name__}: {err}", now)
                    all_ok = False
                    failed += 1
                    continue
                last = all_ok and i == len(owed) - 1
                if self.store.mark_notice(case.id, event.seq, notice, outcome, now, last):
                    sent += outcome == "sent"
                    skipped += outcome == "skipped"
        return Outcome(sent, skipped, failed)

    # --- one notice ---------------------------------------------------------------------

    def track_url(self, case_id: str) -> str:
        return f"{self.base_url}/track/{case_id}?token={citizen_token(self.secret(), case_id)}"

    def agency_url(self, case_id: str, agency_id: str, dispatch_seq: int, now: datetime) -> str:
        return f"{self.base_url}/a/{agency_token(self.secret(), case_id, agency_id, dispatch_seq, now)}"

    def _send(self, case: Case, event: HistoryEvent, notice: str, now: datetime) -> str:
        if notice == "agency_email":
            return self._agency_email(case, event, now)
        if notice == "callcenter_email":
            return self._callcenter_email(case, event)
        if notice in ("citizen_sms", "citizen_email"):
            return self._citizen(case, event, notice)
        raise ValueError(f"unknown notice {notice}")

    def _agency_email(self, case: Case, event: HistoryEvent, now: datetime) -> str:
        agency = self.catalogue.agency(event.data["agency_id"])
        if case.agency is None or case.agency.id != agency.id or case.dispatch_seq != event.seq:
            return "skipped"  # routed elsewhere since: this dispatch's link would not work
        if not agency.email:
            raise ValueError(f"agency {agency.id} has no e-mail address")
        context = self._agency_context(case, event, agency.id, now)
        subject = (f"[1555] {'ส่งกลับ' if context['reopened'] else 'เรื่องใหม่'} {case.id}: "
                   f"{context['category'].name_th} — ตอบรับภายใน {thai_date(context['due'])}")
        self.notifier.email(agency.email, subject, render("email_agency_dispatch.html", **context),
                            render("email_agency_dispatch.txt", **context))
        return "sent"

    def _agency_context(self, case: Case, event: HistoryEvent, agency_id: str, now: datetime) -> dict[str, Any]:
        loc = case.location
        map_url = (f"https://www.openstreetmap.org/?mlat={loc.lat}&mlon={loc.lon}#map=18/{loc.lat}/{loc.lon}"
                   if loc.lat is not None and loc.lon is not None else
                   f"https://www.openstreetmap.org/search?query={quote(loc.address)}" if loc.address else None)
        office = next((a for a in self.catalogue.agencies.values() if a.district == case.district), None)
        return {
            "case": case, "event": event, "agency": self.catalogue.agency(agency_id),
            "category": self.catalogue.category(case.category),
            "district": office.name_th.removeprefix("สำนักงานเขต") if office else None,
            "due": datetime.fromisoformat(event.data["due"]) if event.data.get("due") else case.received_at,
            "map_url": map_url, "reopened": event.type == "reopened",
            "link": self.agency_url(case.id, agency_id, event.seq, now),
        }

    def _callcenter_email(self, case: Case, event: HistoryEvent) -> str:
        centre = self.catalogue.agency(CALL_CENTRE)
        agency_id = event.data.get("agency_id")
        agency_name = self.catalogue.agencies[agency_id].name_th if agency_id in self.catalogue.agencies else "-"
        subject = f"[1555] เรื่อง {case.id} ถูกส่งคืนจาก {agency_name}"
        context = {"case": case, "event": event, "agency_name": agency_name, "subject": subject,
                   "category": self.catalogue.category(case.category)}
        self.notifier.email(centre.email or "", subject, render("email_callcenter.html", **context),
                            render("email_callcenter.txt", **context))
        return "sent"

    def _citizen(self, case: Case, event: HistoryEvent, notice: str) -> str:
        hotline = self.catalogue.agencies[case.referral.agency_id].hotline if case.referral else None
        agency_id = event.data.get("agency_id")
        agency_name = self.catalogue.agencies[agency_id].name_th if agency_id in self.catalogue.agencies else None
        text = sms_text(case, event, self.track_url(case.id), hotline, agency_name)
        if notice == "citizen_sms":
            if not case.complainant.phone:
                return "skipped"
            self.notifier.sms(case.complainant.phone, text)
            return "sent"
        if not case.complainant.email:
            return "skipped"
        subject = CITIZEN_SUBJECTS.get(event.type, "เรื่อง {id}").format(id=case.id)
        context = {"subject": subject, "text": text, "track_url": self.track_url(case.id)}
        self.notifier.email(case.complainant.email, subject, render("email_citizen.html", **context),
                            render("email_citizen.txt", **context))
        return "sent"
