"""The call centre (rule 1): route, re-route, refer outside, close, and take a referral back."""

from __future__ import annotations

import pytest

from complaints.commands import CloseCase, ReferOutside, ReturnToTriage, RouteToAgency
from complaints.domain.errors import Forbidden, IllegalTransition, InvalidInput
from complaints.domain.events import EventType, Fate, Notice
from complaints.domain.model import DueKind, State

from .helpers import CALLCENTRE, OFFICER, WATTHANA_EMAIL, at, complete, file, history, types

pytestmark = pytest.mark.unit


def route(app, case_id, agency_id, when, actor=CALLCENTRE, **more):
    return app.callcentre.route(RouteToAgency(actor=actor, at=at(when), case_id=case_id, agency_id=agency_id, **more))


def refer(app, case_id, agency_id, when, channel="letter", **more):
    return app.callcentre.refer(
        ReferOutside(actor=CALLCENTRE, at=at(when), case_id=case_id, agency_id=agency_id, channel=channel, **more)
    )


def test_routing_a_triage_case_in_time_meets_the_dispatch_deadline(app):
    case = file(app, category="inquiry").case
    routed = route(app, case.id, "DIST-1039", "2026-04-10T15:00", note="ถามเรื่องถนน")
    assert (routed.state, routed.agency.id, routed.agency.section) == (State.DISPATCHED, "DIST-1039", None)
    assert (routed.due.kind, routed.due.at) == (DueKind.ACK, at("2026-04-16T23:59:59.999"))
    event = history(app, case.id)[-1]
    assert (event.type, event.by, event.note) == (EventType.ROUTED, CALLCENTRE, "ถามเรื่องถนน")
    assert (event.ended.kind, event.ended.fate, event.ended.at) == (DueKind.DISPATCH, Fate.MET, at("2026-04-11T09:12"))
    assert len(app.notifier.to(WATTHANA_EMAIL)) == 1


def test_routing_after_24_hours_misses_the_dispatch_deadline(app):
    case = file(app, category="inquiry").case
    route(app, case.id, "DEPT-PWD", "2026-04-11T09:13")
    assert history(app, case.id)[-1].ended.fate is Fate.MISSED


def test_a_district_office_gets_the_categorys_section_unless_another_is_given(app):
    case = file(app, district=None).case  # a road without a district waits in triage
    assert route(app, case.id, "DIST-1004", "2026-04-10T10:00").agency.section == "public_works"
    other = file(app, district=None).case
    routed = route(app, other.id, "DIST-1004", "2026-04-10T10:00", section="law_enforcement")
    assert routed.agency.section == "law_enforcement"


def test_re_routing_voids_the_first_agencys_ack_deadline_and_tells_the_new_agency(app):
    case = file(app).case
    rerouted = route(app, case.id, "DIST-1004", "2026-04-10T11:00")
    assert (rerouted.agency.id, rerouted.dispatch_seq) == ("DIST-1004", 3)
    event = history(app, case.id)[-1]
    assert (event.ended.kind, event.ended.fate) == (DueKind.ACK, Fate.VOID)
    assert len(app.notifier.to("district-1004@agency.example")) == 1


def test_re_routing_to_the_same_agency_is_refused_and_changes_nothing(app):
    case = file(app).case
    with pytest.raises(InvalidInput, match="already with 'DIST-1039'"):
        route(app, case.id, "DIST-1039", "2026-04-10T11:00")
    assert app.fakes.cases.get_case(case.id) == case


def test_routing_to_an_outside_organisation_is_refused(app):
    case = file(app, category="inquiry").case
    with pytest.raises(InvalidInput, match="outside the city's authority"):
        route(app, case.id, "EXT-MWA", "2026-04-10T11:00")


def test_only_the_call_centre_routes_and_only_open_cases(app):
    case = file(app, category="inquiry").case
    with pytest.raises(Forbidden):
        route(app, case.id, "DIST-1039", "2026-04-10T11:00", actor=OFFICER)
    done = file(app).case
    complete(app, done.id, "2026-04-10T12:00")
    with pytest.raises(IllegalTransition):
        route(app, done.id, "DIST-1004", "2026-04-10T13:00")


def test_referring_outside_meets_the_dispatch_deadline_and_stops_the_clock(app):
    case = file(app, category="complaint").case
    referred = refer(app, case.id, "EXT-MWA", "2026-04-10T10:00", reference="MWA-123")
    assert referred.state is State.REFERRED and referred.due is None
    assert (referred.referral.agency_id, referred.referral.channel, referred.referral.reference) == (
        "EXT-MWA",
        "letter",
        "MWA-123",
    )
    event = history(app, case.id)[-1]
    assert (event.ended.kind, event.ended.fate) == (DueKind.DISPATCH, Fate.MET)
    assert event.notices == (Notice.CITIZEN_SMS,)


def test_referring_to_a_city_agency_is_refused(app):
    case = file(app, category="complaint").case
    with pytest.raises(InvalidInput, match="city agency"):
        refer(app, case.id, "DEPT-PWD", "2026-04-10T10:00")
    assert app.fakes.cases.get_case(case.id).state is State.TRIAGE


def test_closing_a_triage_case_meets_its_dispatch_deadline(app):
    case = file(app, category="inquiry").case
    closed = app.callcentre.close(
        CloseCase(actor=CALLCENTRE, at=at("2026-04-10T10:00"), case_id=case.id, reason="answered on the phone")
    )
    assert closed.state is State.CLOSED and closed.due is None
    event = history(app, case.id)[-1]
    assert (event.data.reason, event.note) == ("not_actionable", "answered on the phone")
    assert (event.ended.kind, event.ended.fate) == (DueKind.DISPATCH, Fate.MET)


def test_closing_a_referral_the_organisation_dealt_with(app):
    case = file(app, category="power_pole").case
    app.callcentre.close(CloseCase(actor=CALLCENTRE, at=at("2026-04-11T10:00"), case_id=case.id, reason="fixed"))
    event = history(app, case.id)[-1]
    assert (event.data.reason, event.ended) == ("referred_done", None)


def test_a_dispatched_case_cannot_be_closed_by_the_call_centre(app):
    case = file(app).case
    with pytest.raises(IllegalTransition):
        app.callcentre.close(CloseCase(actor=CALLCENTRE, at=at("2026-04-10T10:00"), case_id=case.id, reason="x"))


def test_a_referral_that_came_back_returns_to_triage_with_a_new_24_hour_clock(app):
    case = file(app, category="power_pole").case
    back = app.callcentre.return_to_triage(
        ReturnToTriage(actor=CALLCENTRE, at=at("2026-04-12T08:00"), case_id=case.id, reason="MEA: the city's pole")
    )
    assert back.state is State.TRIAGE and back.referral is None
    assert (back.due.kind, back.due.at) == (DueKind.DISPATCH, at("2026-04-13T08:00"))
    event = history(app, case.id)[-1]
    assert (event.type, event.data.agency_id, event.ended) == (EventType.RETURNED_TO_TRIAGE, "EXT-MEA", None)
    routed = route(app, case.id, "DIST-1039", "2026-04-12T09:00")
    assert routed.state is State.DISPATCHED
    assert types(history(app, case.id)) == ["received", "referred", "returned_to_triage", "routed"]
