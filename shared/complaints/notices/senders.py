"""One sender per notice: what each says, to whom, through which channel.

A sender answers ``sent`` or ``skipped`` (nothing to send), or raises (the
outbox keeps the notice and retries it). A new channel or audience is a new
class here, a member of :class:`~complaints.domain.events.Notice`, and a line
of :func:`senders`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Protocol
from urllib.parse import quote

from ..domain.events import Escalated, EventType, HistoryEvent, Late, Notice, Reopened
from ..domain.links import LinkSigner
from ..domain.model import Agency, Case
from ..domain.routing import Catalogue
from ..messages import LABELS, render, sms_text, thai_date
from ..next_step import told
from ..ports import CatalogueSource, Notifier

CALL_CENTRE = "OPS-1555"

CITIZEN_SUBJECTS = {
    EventType.ROUTED: "เรื่อง {id} ส่งถึงหน่วยงานแล้ว / Your case was sent to the agency",
    EventType.REFERRED: "เรื่อง {id} อยู่ในอำนาจหน่วยงานอื่น / Your case was referred",
    EventType.ACKNOWLEDGED: "เรื่อง {id} หน่วยงานรับเรื่องแล้ว / The agency acknowledged your case",
    EventType.PROGRESS: "เรื่อง {id} มีความคืบหน้า / Progress on your case",
    EventType.COMPLETED: "เรื่อง {id} แก้ไขเสร็จแล้ว / Your case was completed",
    EventType.HANDED_BACK: "เรื่อง {id} กำลังส่งต่อ / Your case is being re-routed",
    EventType.REOPENED: "เรื่อง {id} ส่งกลับไปแก้ไขอีกครั้ง / Your case was reopened",
    EventType.CHASED: "เรื่อง {id}: ศูนย์ 1555 ติดตามหน่วยงานแล้ว / We chased the agency",
}


@dataclass(frozen=True)
class Recipients:
    """Where the centre's own notices go (template parameters)."""

    supervisors: str  # call-centre supervisors: triage cases waiting over 24 hours
    operators_topic: str  # SNS topic of the operators: escalations


@dataclass(frozen=True)
class Channels:
    """What every sender may use."""

    notifier: Notifier
    reference: CatalogueSource  # the catalogue in force, read when a notice is sent
    links: LinkSigner
    recipients: Recipients

    @property
    def catalogue(self) -> Catalogue:
        return self.reference.catalogue


class Sender(Protocol):
    notice: ClassVar[Notice]

    def send(self, case: Case, event: HistoryEvent, now: datetime) -> str: ...


class _Base:
    notice: ClassVar[Notice]

    def __init__(self, channels: Channels):
        self.c = channels

    def _email(self, to: str, subject: str, template: str, **context: Any) -> str:
        context["subject"] = context.get("subject", subject)
        self.c.notifier.email(to, subject, render(f"{template}.html", **context), render(f"{template}.txt", **context))
        return "sent"


def _reopen_reason(event: HistoryEvent) -> str:
    """Why a case came back, as the agency's e-mail says it (Thai)."""
    data = event.data
    if isinstance(data, Reopened) and data.audit_id:
        return "ผลการสุ่มตรวจสอบพบว่าการแก้ไขไม่ตรงกับข้อเท็จจริง"
    if isinstance(data, Reopened) and data.by_request_of:
        return "ศูนย์ 1555 เปิดเรื่องใหม่ตามที่ผู้ร้องแจ้งทางโทรศัพท์"
    if isinstance(data, Reopened) and data.fixed is False:
        return "ผู้ร้องแจ้งว่ายังไม่ได้รับการแก้ไข"
    return "ผู้ร้องไม่พอใจผลการแก้ไข"


def map_url(case: Case) -> str | None:
    loc = case.location
    if loc.lat is not None and loc.lon is not None:
        return f"https://www.openstreetmap.org/?mlat={loc.lat}&mlon={loc.lon}#map=18/{loc.lat}/{loc.lon}"
    return f"https://www.openstreetmap.org/search?query={quote(loc.address)}" if loc.address else None


class AgencyEmail(_Base):
    """The agency: a new case, a reopened one, or a chase; with the link to its action page."""

    notice = Notice.AGENCY_EMAIL

    def send(self, case: Case, event: HistoryEvent, now: datetime) -> str:
        data = event.data
        agency = self.c.catalogue.agency(getattr(data, "agency_id", None) or "")
        dispatch = data.dispatch_seq if isinstance(data, Late) and data.dispatch_seq is not None else event.seq
        if case.agency is None or case.agency.id != agency.id or case.dispatch_seq != dispatch:
            return "skipped"  # routed elsewhere since: this dispatch's link would not work
        if not agency.email:
            raise ValueError(f"agency {agency.id} has no e-mail address")
        due = getattr(data, "due", None) or case.received_at
        kind = data.kind if isinstance(data, Late) else "ack"
        context = {
            "case": case,
            "event": event,
            "agency": agency,
            "category": self.c.catalogue.category(case.category),
            "district": self.c.catalogue.district_name(case.district),
            "due": due,
            "map_url": map_url(case),
            "reopened": event.type is EventType.REOPENED,
            "chased": event.type is EventType.CHASED,
            "reopen_reason": _reopen_reason(event),
            "due_label": LABELS["due"][kind],
            "link": self.c.links.agency_url(case.id, agency.id, dispatch, now),
        }
        if context["chased"]:
            subject = f"[1555] ติดตาม {case.id}: เกินกำหนด{context['due_label']} ({thai_date(due)})"
        else:
            subject = (
                f"[1555] {'ส่งกลับ' if context['reopened'] else 'เรื่องใหม่'} {case.id}: "
                f"{context['category'].name_th} — {context['due_label']}ภายใน {thai_date(due)}"
            )
        self.c.notifier.email(
            agency.email,
            subject,
            render("email_agency_dispatch.html", **context),
            render("email_agency_dispatch.txt", **context),
        )
        return "sent"


class CallCentreEmail(_Base):
    """The call centre: an agency handed a case back."""

    notice = Notice.CALLCENTER_EMAIL

    def send(self, case: Case, event: HistoryEvent, now: datetime) -> str:
        centre = self.c.catalogue.agency(CALL_CENTRE)
        agency_id = getattr(event.data, "agency_id", None)
        agencies = self.c.catalogue.agencies
        agency_name = agencies[agency_id].name_th if agency_id in agencies else "-"
        subject = f"[1555] เรื่อง {case.id} ถูกส่งคืนจาก {agency_name}"
        return self._email(
            centre.email or "",
            subject,
            "email_callcenter",
            case=case,
            event=event,
            agency_name=agency_name,
            category=self.c.catalogue.category(case.category),
        )


class SupervisorsEmail(_Base):
    """The call-centre supervisors: a case waited in triage over 24 hours."""

    notice = Notice.SUPERVISORS_EMAIL

    def send(self, case: Case, event: HistoryEvent, now: datetime) -> str:
        if not self.c.recipients.supervisors:
            raise ValueError("no supervisors' address configured (SUPERVISORS_ADDRESS)")
        subject = f"[1555] เรื่อง {case.id} รอคัดแยกเกิน 24 ชั่วโมง"
        return self._email(
            self.c.recipients.supervisors,
            subject,
            "email_supervisors",
            case=case,
            category=self.c.catalogue.category(case.category),
        )


def _escalation(channels: Channels, case: Case, event: HistoryEvent) -> dict[str, Any]:
    data = event.data
    if not isinstance(data, Escalated):
        raise TypeError(f"an escalation notice on a '{event.type}' event")
    agency = channels.catalogue.agency(data.agency_id or "")
    label = LABELS["due"][data.kind]
    subject = f"[1555] เรื่อง {case.id} เกินกำหนด{label} {data.business_days_late} วันทำการ"
    return {
        "case": case,
        "agency": agency,
        "subject": subject,
        "due_label": label,
        "due": data.due,
        "days": data.business_days_late,
        "category": channels.catalogue.category(case.category),
    }


class HeadEmail(_Base):
    """The agency's head: a case late for the configured number of business days."""

    notice = Notice.HEAD_EMAIL

    def send(self, case: Case, event: HistoryEvent, now: datetime) -> str:
        context = _escalation(self.c, case, event)
        head = context["agency"].head_email or context["agency"].email
        if not head:
            raise ValueError(f"agency {context['agency'].id} has no head's address")
        return self._email(head, context.pop("subject"), "email_escalation", **context)


class OperatorsTopic(_Base):
    """The operators' SNS topic: the same escalation."""

    notice = Notice.OPERATORS_SNS

    def send(self, case: Case, event: HistoryEvent, now: datetime) -> str:
        if not self.c.recipients.operators_topic:
            raise ValueError("no operators' topic configured (OPERATORS_TOPIC_ARN)")
        context = _escalation(self.c, case, event)
        self.c.notifier.publish(
            self.c.recipients.operators_topic, f"1555 escalation {case.id}", render("email_escalation.txt", **context)
        )
        return "sent"


class _Citizen(_Base):
    def agency(self, case: Case, event: HistoryEvent) -> Agency | None:
        """The agency the event names: routed, the new one; referred, the outside organisation;
        otherwise the one the case was with at the event."""
        agency_id = getattr(event.data, "agency_id", None) or (event.context.agency if event.context else None)
        agency_id = agency_id or (case.agency.id if case.agency else None)
        return self.c.catalogue.agencies.get(agency_id) if agency_id else None


class CitizenSms(_Citizen):
    """The citizen who asked to be told, by SMS (a Thai mobile), with the short tracking link."""

    notice = Notice.CITIZEN_SMS

    def send(self, case: Case, event: HistoryEvent, now: datetime) -> str:
        if not case.complainant.phone:
            return "skipped"
        text = sms_text(case, event, self.c.links.short_track_url(case.id), self.agency(case, event))
        self.c.notifier.sms(case.complainant.phone, text)
        return "sent"


class CitizenEmail(_Citizen):
    """The citizen who asked to be told, by e-mail: what happened and what comes next, in full words."""

    notice = Notice.CITIZEN_EMAIL

    def send(self, case: Case, event: HistoryEvent, now: datetime) -> str:
        if not case.complainant.email:
            return "skipped"
        subject = CITIZEN_SUBJECTS.get(event.type, "เรื่อง {id}").format(id=case.id)
        agency = self.agency(case, event)
        words = told(case, event, agency, agency.hotline if agency else None)
        return self._email(
            case.complainant.email,
            subject,
            "email_citizen",
            th=words.th,
            en=words.en,
            track_url=self.c.links.track_url(case.id),
        )


SENDERS: tuple[type[_Base], ...] = (
    AgencyEmail,
    CallCentreEmail,
    SupervisorsEmail,
    HeadEmail,
    OperatorsTopic,
    CitizenSms,
    CitizenEmail,
)


def senders(channels: Channels) -> Mapping[Notice, Sender]:
    """The registry: one sender per notice."""
    return {cls.notice: cls(channels) for cls in SENDERS}
