"""The case lifecycle (SPEC §3): transitions, roles, history and versions."""

from datetime import datetime

import pytest

from complaints.domain import lifecycle, transitions
from complaints.domain.calendar import BusinessCalendar
from complaints.domain.errors import Forbidden, IllegalTransition
from complaints.domain.model import Actor, Case, DueKind, Role, State
from complaints.reference import default_catalogue

pytestmark = pytest.mark.unit
CAT = default_catalogue()
CAL = BusinessCalendar.with_specials()
AT = datetime.fromisoformat("2026-04-10T09:12:00+07:00")
CALLCENTER = Actor(role=Role.CALLCENTER, id="cc-1")
CITIZEN = Actor(role=Role.CITIZEN)


def draft(category="road", district="1039", channel="web") -> Case:
    return Case(
        id="2604-ABCDEF",
        state=State.TRIAGE,
        category=category,
        description="หลุม",
        district=district,
        channel=channel,
        received_at=AT,
        token_hash="x",
    )


def receive(category="road", district="1039", channel="web", actor=CITIZEN):
    return lifecycle.receive(draft(category, district, channel), CAT.route(category, district), CAL, actor)


def test_routable_complaint_is_received_then_dispatched_with_ack_due():
    change = receive()
    assert [e.type for e in change.events] == ["received", "routed"]
    assert [e.seq for e in change.events] == [1, 2]
    assert [e.state for e in change.events] == [State.TRIAGE, State.DISPATCHED]
    case = change.case
    assert (case.state, case.version, case.agency.id, case.agency.section) == (
        State.DISPATCHED,
        2,
        "DIST-1039",
        "public_works",
    )
    assert case.due.kind is DueKind.ACK
    assert case.due.at.isoformat() == "2026-04-16T23:59:59.999000+07:00"
    assert change.expected_version == 0


def test_external_complaint_is_referred_with_no_clock():
    change = receive("power_pole")
    case = change.case
    assert [e.type for e in change.events] == ["received", "referred"]
    assert case.state is State.REFERRED and case.due is None
    assert (case.referral.agency_id, case.referral.channel, case.referral.hotline) == ("EXT-MEA", "hotline", "1130")


def test_triage_complaint_waits_with_the_24_hour_clock():
    change = receive("inquiry")
    assert [e.type for e in change.events] == ["received"]
    assert change.case.state is State.TRIAGE
    assert change.case.due.kind is DueKind.DISPATCH
    assert change.case.due.at.isoformat() == "2026-04-11T09:12:00+07:00"


def test_phone_complaint_is_recorded_as_taken_by_the_call_centre_agent():
    assert receive(channel="phone", actor=CALLCENTER).events[0].by == CALLCENTER


def test_call_centre_routes_triage_case_and_the_clock_starts_at_routing():
    case = receive("inquiry").case
    later = datetime.fromisoformat("2026-04-16T10:00:00+07:00")
    change = lifecycle.route(case, CAT.agency("DEPT-PWD"), None, CALLCENTER, later, CAL, "สะพานชำรุด")
    assert change.expected_version == 1
    assert change.case.state is State.DISPATCHED and change.case.version == 2
    assert change.case.due.at.isoformat() == "2026-04-17T23:59:59.999000+07:00"
    assert change.events[0].by == CALLCENTER and change.events[0].note == "สะพานชำรุด"


def test_re_routing_a_dispatched_case_restarts_the_ack_clock():
    case = receive().case
    later = datetime.fromisoformat("2026-04-17T10:00:00+07:00")
    change = lifecycle.route(case, CAT.agency("DIST-1004"), "public_works", CALLCENTER, later, CAL, None)
    assert change.case.agency.id == "DIST-1004"
    assert change.case.due.at.date().isoformat() == "2026-04-20"


def test_refer_from_triage_records_organisation_channel_reference():
    case = receive("complaint").case
    change = lifecycle.refer(case, CAT.agency("EXT-MWA"), "hotline", "MWA-123", CALLCENTER, AT, None)
    assert change.case.state is State.REFERRED
    assert change.case.referral.reference == "MWA-123"
    assert change.events[0].data.model_dump() == {"agency_id": "EXT-MWA", "channel": "hotline", "reference": "MWA-123"}


def test_refer_a_dispatched_case_is_illegal_and_names_the_state():
    case = receive().case
    with pytest.raises(IllegalTransition, match="'dispatched'"):
        lifecycle.refer(case, CAT.agency("EXT-MWA"), "hotline", None, CALLCENTER, AT, None)


def test_routing_a_referred_case_is_illegal():
    case = receive("water_main").case
    with pytest.raises(IllegalTransition, match="'referred'"):
        lifecycle.route(case, CAT.agency("DEPT-PWD"), None, CALLCENTER, AT, CAL, None)


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.AGENCY, Role.AUDITOR, Role.EXECUTIVE, Role.ADMIN])
def test_only_the_call_centre_routes(role):
    case = receive("inquiry").case
    with pytest.raises(Forbidden):
        lifecycle.route(case, CAT.agency("DEPT-PWD"), None, Actor(role=role, agency_id="DEPT-PWD"), AT, CAL, None)


def test_agency_may_act_only_on_its_own_cases():
    case = receive().case
    with pytest.raises(Forbidden, match="not assigned to your agency"):
        transitions.check(case, "acknowledge", Actor(role=Role.AGENCY, agency_id="DIST-1001"))
    assert transitions.check(case, "acknowledge", Actor(role=Role.AGENCY, agency_id="DIST-1039")) is State.ACKNOWLEDGED


def test_transition_table_matches_the_spec():
    expected = {
        State.TRIAGE: {"route", "refer", "close"},
        State.DISPATCHED: {"route", "acknowledge", "handback", "complete"},
        State.ACKNOWLEDGED: {"handback", "progress", "complete"},
        State.IN_PROGRESS: {"progress", "complete"},
        State.COMPLETED: {"confirm", "reopen"},
        State.REFERRED: {"close", "return_to_triage"},
        State.CLOSED: {"reopen"},
    }
    for state, actions in expected.items():
        got = {a for role in Role for a in transitions.allowed_actions(state, role)}
        assert got == actions, state


def test_history_rebuilds_the_state():
    change = receive()
    assert change.events[-1].state is change.case.state
