"""Delivering the notices that history events owe (the outbox).

An event that owes notices is written with them, in the same transaction as
the change. After the commit the sender *claims* them with one conditional
write (``sent.<notice> = sending``), sends, and records the outcome with a
second write (``sent`` or ``skipped``; a failure releases the claim and is
kept under ``failures``). A retried invocation or a second sender finds the
claim or the mark and sends nothing. An event with anything still owed stays
in the sparse outbox index, which the daily sweep reads to retry: never lost.
A claim older than 15 minutes belongs to a sender that died between claim and
record; it is claimed again, so the only duplicate possible is a crash between
the provider accepting a message and our record of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from aws_lambda_powertools import Logger

from .adapters.notify import Notifier
from .adapters.store import CaseStore
from .domain.links import agency_token, citizen_token
from .domain.model import Case, HistoryEvent
from .domain.routing import Catalogue
from .messages import LABELS, render, sms_text, thai_date

logger = Logger(child=True)
CALL_CENTRE = "OPS-1555"
#: A claim older than this is from a sender that died before it could record the outcome.
STALE_CLAIM = timedelta(minutes=15)

CITIZEN_SUBJECTS = {
    "routed": "เรื่อง {id} ส่งถึงหน่วยงานแล้ว / Your case was sent to the agency",
    "referred": "เรื่อง {id} อยู่ในอำนาจหน่วยงานอื่น / Your case was referred",
    "progress": "เรื่อง {id} มีความคืบหน้า / Progress on your case",
    "completed": "เรื่อง {id} แก้ไขเสร็จแล้ว / Your case was completed",
    "handed_back": "เรื่อง {id} กำลังส่งต่อ / Your case is being re-routed",
    "reopened": "เรื่อง {id} ส่งกลับไปแก้ไขอีกครั้ง / Your case was reopened",
    "chased": "เรื่อง {id}: ศูนย์ 1555 ติดตามหน่วยงานแล้ว / We chased the agency",
}


def _reopen_reason(event: HistoryEvent) -> str:
    """Why a case came back, as the agency's e-mail says it (Thai)."""
    data = event.data
    if data.get("audit_id"):
        return "ผลการสุ่มตรวจสอบพบว่าการแก้ไขไม่ตรงกับข้อเท็จจริง"
    if data.get("by_request_of"):
        return "ศูนย์ 1555 เปิดเรื่องใหม่ตามที่ผู้ร้องแจ้งทางโทรศัพท์"
    if data.get("fixed") is False:
        return "ผู้ร้องแจ้งว่ายังไม่ได้รับการแก้ไข"
    return "ผู้ร้องไม่พอใจผลการแก้ไข"


def _still_late(case: Case, event: HistoryEvent) -> bool:
    """The deadline a reminder is about still runs, unmet."""
    return case.due is not None and case.due.at.isoformat() == event.data.get("due")


@dataclass(frozen=True)
class Outcome:
    sent: int = 0
    skipped: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Recipients:
    """Where the centre's own notices go (template parameters)."""

    supervisors: str = ""  # call-centre supervisors: triage cases waiting over 24 hours
    operators_topic: str = ""  # SNS topic of the operators: escalations


class Notices:
    def __init__(self, store: CaseStore, notifier: Notifier, catalogue: Catalogue, base_url: str,
                 secret: Callable[[], bytes], recipients: Recipients = Recipients()):
        self.store = store
        self.notifier = notifier
        self.catalogue = catalogue
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.recipients = recipients

    def deliver(self, case: Case, events: Iterable[HistoryEvent], now: datetime) -> Outcome:
        """Send what each event owes and nobody has sent; ``case`` is the case now.

        Safe to call again for the same events (a retried invocation, the sweep):
        each notice is claimed with a conditional write before it is sent.
        """
        sent = skipped = failed = 0
        for event in events:
            if not event.notices:
                continue
            claimed, done = self.store.claim_notices(case.id, event.seq, event.notices, now, now - STALE_CLAIM)
            if not claimed:
                continue
            outcomes: dict[str, str] = {}
            failures: dict[str, str] = {}
            for notice in claimed:
                try:
                    outcomes[notice] = self._send(case, event, notice, now)
                except Exception as err:  # any provider failure is kept and retried
                    logger.warning("notice failed", extra={"case": case.id, "seq": event.seq, "notice": notice,
                                                           "error": type(err).__name__})
                    failures[notice] = f"{type(err).__name__}: {err}"
            finished = set(done) | set(outcomes)
            self.store.finish_notices(case.id, event.seq, outcomes, failures, now,
                                      done=finished >= set(event.notices))
            sent += sum(o == "sent" for o in outcomes.values())
            skipped += sum(o == "skipped" for o in outcomes.values())
            failed += len(failures)
        return Outcome(sent, skipped, failed)

    # --- one notice ---------------------------------------------------------------------

    def track_url(self, case_id: str) -> str:
        return f"{self.base_url}/track/{case_id}?token={citizen_token(self.secret(), case_id)}"

    def agency_url(self, case_id: str, agency_id: str, dispatch_seq: int, now: datetime) -> str:
        return f"{self.base_url}/a/{agency_token(self.secret(), case_id, agency_id, dispatch_seq, now)}"

    def _send(self, case: Case, event: HistoryEvent, notice: str, now: datetime) -> str:
        if event.type in ("chased", "escalated") and not _still_late(case, event):
            return "skipped"  # the agency acted before this reminder went out
        if notice == "agency_email":
            return self._agency_email(case, event, now)
        if notice == "callcenter_email":
            return self._callcenter_email(case, event)
        if notice in ("citizen_sms", "citizen_email"):
            return self._citizen(case, event, notice)
        if notice == "supervisors_email":
            return self._supervisors_email(case, event)
        if notice == "head_email":
            return self._head_email(case, event)
        if notice == "operators_sns":
            return self._operators(case, event)
        raise ValueError(f"unknown notice {notice}")

    def _agency_email(self, case: Case, event: HistoryEvent, now: datetime) -> str:
        agency = self.catalogue.agency(event.data["agency_id"])
        dispatch = event.data.get("dispatch_seq", event.seq)
        if case.agency is None or case.agency.id != agency.id or case.dispatch_seq != dispatch:
            return "skipped"  # routed elsewhere since: this dispatch's link would not work
        if not agency.email:
            raise ValueError(f"agency {agency.id} has no e-mail address")
        context = self._agency_context(case, event, agency.id, now)
        if context["chased"]:
            subject = (f"[1555] ติดตาม {case.id}: เกินกำหนด{context['due_label']} "
                       f"({thai_date(context['due'])})")
        else:
            subject = (f"[1555] {'ส่งกลับ' if context['reopened'] else 'เรื่องใหม่'} {case.id}: "
                       f"{context['category'].name_th} — {context['due_label']}ภายใน {thai_date(context['due'])}")
        self.notifier.email(agency.email, subject, render("email_agency_dispatch.html", **context),
                            render("email_agency_dispatch.txt", **context))
        return "sent"

    def _agency_context(self, case: Case, event: HistoryEvent, agency_id: str, now: datetime) -> dict[str, Any]:
        loc = case.location
        map_url = (f"https://www.openstreetmap.org/?mlat={loc.lat}&mlon={loc.lon}#map=18/{loc.lat}/{loc.lon}"
                   if loc.lat is not None and loc.lon is not None else
                   f"https://www.openstreetmap.org/search?query={quote(loc.address)}" if loc.address else None)
        return {
            "case": case, "event": event, "agency": self.catalogue.agency(agency_id),
            "category": self.catalogue.category(case.category),
            "district": self.catalogue.district_name(case.district),
            "due": datetime.fromisoformat(event.data["due"]) if event.data.get("due") else case.received_at,
            "map_url": map_url, "reopened": event.type == "reopened", "chased": event.type == "chased",
            "reopen_reason": _reopen_reason(event),
            "due_label": LABELS["due"][event.data.get("kind", "ack")],
            "link": self.agency_url(case.id, agency_id, event.data.get("dispatch_seq", event.seq), now),
        }

    def _supervisors_email(self, case: Case, event: HistoryEvent) -> str:
        if not self.recipients.supervisors:
            raise ValueError("no supervisors' address configured (SUPERVISORS_ADDRESS)")
        subject = f"[1555] เรื่อง {case.id} รอคัดแยกเกิน 24 ชั่วโมง"
        context = {"case": case, "subject": subject, "category": self.catalogue.category(case.category)}
        self.notifier.email(self.recipients.supervisors, subject, render("email_supervisors.html", **context),
                            render("email_supervisors.txt", **context))
        return "sent"

    def _escalation(self, case: Case, event: HistoryEvent) -> dict[str, Any]:
        agency = self.catalogue.agency(event.data["agency_id"])
        label = LABELS["due"][event.data["kind"]]
        subject = f"[1555] เรื่อง {case.id} เกินกำหนด{label} {event.data['business_days_late']} วันทำการ"
        return {"case": case, "agency": agency, "subject": subject, "due_label": label,
                "due": datetime.fromisoformat(event.data["due"]), "days": event.data["business_days_late"],
                "category": self.catalogue.category(case.category)}

    def _head_email(self, case: Case, event: HistoryEvent) -> str:
        context = self._escalation(case, event)
        head = context["agency"].head_email or context["agency"].email
        if not head:
            raise ValueError(f"agency {context['agency'].id} has no head's address")
        self.notifier.email(head, context["subject"], render("email_escalation.html", **context),
                            render("email_escalation.txt", **context))
        return "sent"

    def _operators(self, case: Case, event: HistoryEvent) -> str:
        if not self.recipients.operators_topic:
            raise ValueError("no operators' topic configured (OPERATORS_TOPIC_ARN)")
        context = self._escalation(case, event)
        self.notifier.publish(self.recipients.operators_topic, f"1555 escalation {case.id}",
                              render("email_escalation.txt", **context))
        return "sent"

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
