"""Filing a complaint (rule 1): routed, referred or left in triage; refused before anything is stored."""

from __future__ import annotations

import pytest

from complaints.commands import FileComplaint, ReadCase
from complaints.domain.errors import InvalidInput
from complaints.domain.events import Fate, Notice
from complaints.domain.ids import hash_token
from complaints.domain.model import DueKind, Location, State

from .helpers import CALLCENTRE, CITIZEN, SOMCHAI, WATTHANA_EMAIL, agency_link, at, file, history, types

pytestmark = pytest.mark.unit


def test_a_district_complaint_goes_straight_to_the_district_office(app):
    filed = file(app)
    case = filed.case
    assert case.id == "2604-000001"
    assert (case.state, case.agency.id, case.agency.section) == (State.DISPATCHED, "DIST-1039", "public_works")
    assert case.due.kind is DueKind.ACK
    assert case.due.at == at("2026-04-16T23:59:59.999")  # the weekend and Songkran skipped
    events = history(app, case.id)
    assert types(events) == ["received", "routed"]
    assert events[1].by.id == "auto-routing"
    assert app.fakes.cases.get_case(case.id) == case


def test_auto_routing_at_filing_meets_the_dispatch_deadline(app):
    received, routed = history(app, file(app).case.id)
    assert received.ended is None
    assert (routed.ended.kind, routed.ended.fate) == (DueKind.DISPATCH, Fate.MET)
    assert routed.ended.at == at("2026-04-11T09:12")  # 24 hours after receipt


def test_the_agency_is_emailed_a_link_and_the_citizen_an_sms(app):
    case = file(app).case
    (email,) = app.notifier.to(WATTHANA_EMAIL)
    assert case.id in email.subject
    assert agency_link(email.text).startswith(f"{case.id}.DIST-1039.2.")
    (sms,) = app.notifier.texts
    assert sms.to == SOMCHAI.phone and case.id in sms.text
    assert list(app.fakes.outbox.owed()) == []


def test_an_outside_matter_is_referred_with_the_hotline_and_no_clock(app):
    case = file(app, category="power_pole").case
    assert case.state is State.REFERRED and case.due is None and case.agency is None
    assert (case.referral.agency_id, case.referral.channel, case.referral.hotline) == ("EXT-MEA", "hotline", "1130")
    referred = history(app, case.id)[-1]
    assert (referred.ended.kind, referred.ended.fate) == (DueKind.DISPATCH, Fate.MET)
    (sms,) = app.notifier.texts
    assert "1130" in sms.text
    assert app.notifier.emails == []  # the outside organisation is not e-mailed


@pytest.mark.parametrize(("category", "district"), [("inquiry", "1039"), ("road", None)])
def test_what_routing_cannot_decide_waits_in_triage_for_24_hours(app, category, district):
    case = file(app, category=category, district=district).case
    assert case.state is State.TRIAGE and case.agency is None
    assert (case.due.kind, case.due.at) == (DueKind.DISPATCH, at("2026-04-11T09:12"))
    assert types(history(app, case.id)) == ["received"]
    assert app.notifier.sent == []


@pytest.mark.parametrize("name", ["Watthana", "วัฒนา", "เขตวัฒนา", " watthana district "])
def test_a_district_name_is_resolved_to_its_code(app, name):
    case = file(app, district=name).case
    assert case.district == "1039" and case.agency.id == "DIST-1039"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"location": Location(lat=18.79, lon=98.98)}, "outside Bangkok"),  # Chiang Mai
        ({"location": Location(lat=100.5018, lon=13.7563)}, "swapped"),
        ({"district": "Chiang Mai"}, "not one of Bangkok's 50 districts"),
        ({"category": "pothole"}, "unknown category"),
    ],
)
def test_a_complaint_we_cannot_accept_is_refused_and_stores_nothing(app, change, message):
    fields = {
        "actor": CITIZEN,
        "at": at("2026-04-10T09:12"),
        "category": "road",
        "district": "1039",
        "description": "หลุม",
        "location": Location(lat=13.7563, lon=100.5018),
    } | change
    with pytest.raises(InvalidInput, match=message):
        app.intake.file(FileComplaint(**fields))
    assert app.fakes.state.cases == {} and app.fakes.state.events == {}
    assert app.fakes.state.transactions == 0 and app.notifier.sent == []


def test_a_taken_case_id_is_drawn_again(app):
    first = file(app).case
    app.fakes.ids.hand_out(first.id)  # the next random id happens to be taken
    second = file(app, "2026-04-10T09:30").case
    assert second.id != first.id
    assert app.fakes.ids.issued == [first.id, first.id, second.id]
    assert app.fakes.cases.get_case(first.id) == first  # not overwritten
    assert len(history(app, first.id)) == 2 and len(history(app, second.id)) == 2
    assert len(app.notifier.to(WATTHANA_EMAIL)) == 2


def test_the_tracking_token_is_given_once_and_only_its_hash_is_kept(app):
    filed = file(app)
    assert filed.case.token_hash == hash_token(filed.tracking_token) != filed.tracking_token
    read = app.reading.get(ReadCase(actor=CITIZEN, case_id=filed.case.id, token=filed.tracking_token))
    assert read.case.id == filed.case.id and read.as_staff is False


def test_a_phone_complaint_is_recorded_as_taken_by_the_agent(app):
    case = file(app, actor=CALLCENTRE, channel="phone").case
    received = history(app, case.id)[0]
    assert (received.by, received.data.channel, case.channel) == (CALLCENTRE, "phone", "phone")


def test_a_citizen_who_did_not_ask_to_be_told_gets_nothing(app):
    case = file(app, notify=False).case
    assert [m.to for m in app.notifier.sent] == [WATTHANA_EMAIL]
    assert history(app, case.id)[-1].notices == (Notice.AGENCY_EMAIL,)
