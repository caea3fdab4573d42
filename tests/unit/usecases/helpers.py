"""What the use-case tests share: instants, actors, a citizen, and the usual first steps."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from complaints.commands import Acknowledge, Complete, FileComplaint, ReportProgress
from complaints.domain.events import EventType, HistoryEvent
from complaints.domain.model import Actor, Case, Complainant, Location, Role
from complaints.usecases.intake import Filed

from .conftest import App


def at(value: str) -> datetime:
    """A Bangkok instant: ``2026-04-10T09:12`` (or with an explicit offset)."""
    return datetime.fromisoformat(value if "+" in value or value.endswith("Z") else value + "+07:00")


CITIZEN = Actor(role=Role.CITIZEN)
CALLCENTRE = Actor(role=Role.CALLCENTER, id="cc-1")
OFFICER = Actor(role=Role.AGENCY, id="officer-1039", agency_id="DIST-1039")  # Watthana district office
OTHER_OFFICER = Actor(role=Role.AGENCY, id="officer-1004", agency_id="DIST-1004")  # Bang Rak
AUDITOR = Actor(role=Role.AUDITOR, id="auditor-1")
SOMCHAI = Complainant(name="สมชาย ใจดี", phone="+66812345678", email="somchai@example.com")
SUKSRI = Complainant(name="สุขศรี", email="suksri@example.com")  # no mobile: told by e-mail
SUKHUMVIT_31 = Location(lat=13.7563, lon=100.5018, address="ซอยสุขุมวิท 31")
FILED_AT = "2026-04-10T09:12"  # a Friday; Songkran (13–15 April) follows the weekend
WATTHANA_EMAIL = "district-1039@agency.example"


def file(
    app: App,
    when: str = FILED_AT,
    *,
    category: str = "road",
    district: str | None = "1039",
    notify: bool = True,
    complainant: Complainant = SOMCHAI,
    actor: Actor = CITIZEN,
    **more: Any,
) -> Filed:
    return app.intake.file(
        FileComplaint(
            actor=actor,
            at=at(when),
            category=category,
            district=district,
            description="ถนนเป็นหลุมลึกหน้าปากซอย",
            location=SUKHUMVIT_31,
            complainant=complainant,
            notify=notify,
            **more,
        )
    )


def acknowledge(app: App, case_id: str, when: str, actor: Actor = OFFICER, **more: Any) -> Case:
    return app.agency.act(Acknowledge(actor=actor, at=at(when), case_id=case_id, **more))


def progress(app: App, case_id: str, when: str, note: str = "กำลังซ่อม", **more: Any) -> Case:
    return app.agency.act(ReportProgress(actor=OFFICER, at=at(when), case_id=case_id, note=note, **more))


def complete(app: App, case_id: str, when: str, actor: Actor = OFFICER, **more: Any) -> Case:
    return app.agency.act(
        Complete(
            actor=actor,
            at=at(when),
            case_id=case_id,
            note="ซ่อมเสร็จแล้ว",
            evidence_urls=("https://photos.example/after.jpg",),
            **more,
        )
    )


def history(app: App, case_id: str) -> list[HistoryEvent]:
    return app.fakes.cases.get(case_id).history


def last(app: App, case_id: str, type_: EventType) -> HistoryEvent:
    return [e for e in history(app, case_id) if e.type is type_][-1]


def types(events: Any) -> list[str]:
    return [str(e.type) for e in events]


def agency_link(text: str) -> str:
    """The token of the agency action link in an e-mail's text."""
    found = re.search(r"https://1555\.test/a/(\S+)", text)
    assert found, "no agency link in the e-mail"
    return found.group(1)
