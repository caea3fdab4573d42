"""How each duty deadline ends (SPEC §8): met, missed or void, recorded on the event that ends it."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints.domain import followup, lifecycle
from complaints.domain.calendar import BusinessCalendar
from complaints.domain.deadlines import SlaPolicy, ending, running_due
from complaints.domain.events import EventType, Fate
from complaints.domain.model import Actor, Case, DueKind, Role, State
from complaints.reference import default_catalogue

pytestmark = pytest.mark.unit
CAT = default_catalogue()
CAL = BusinessCalendar.with_specials()
POLICY = SlaPolicy(escalate_after_business_days=3, feedback_days=14, dispute_days=30)
FILED = datetime.fromisoformat("2026-04-10T09:12:00+07:00")  # Friday; ack due Thu 16 April (Songkran)
ACK_DUE = datetime.fromisoformat("2026-04-16T23:59:59.999+07:00")
CC = Actor(role=Role.CALLCENTER, id="cc")
OFFICER = Actor(role=Role.AGENCY, id="o", agency_id="DIST-1039")


def draft(category: str = "road") -> Case:
    return Case(
        id="2604-ABCDEF",
        state=State.TRIAGE,
        category=category,
        description="หลุม",
        district="1039",
        received_at=FILED,
        token_hash="x",
    )


def dispatched() -> Case:
    return lifecycle.receive(draft(), CAT.route("road", "1039"), CAL, Actor(role=Role.CITIZEN)).case


def test_routing_at_filing_meets_the_dispatch_deadline_at_that_instant():
    change = lifecycle.receive(draft(), CAT.route("road", "1039"), CAL, Actor(role=Role.CITIZEN))
    received, routed = change.events
    assert received.ended is None
    assert (routed.ended.kind, routed.ended.fate) == (DueKind.DISPATCH, Fate.MET)
    assert routed.ended.at == FILED + timedelta(hours=24)


def test_routing_from_triage_after_24_hours_missed_the_dispatch_deadline():
    case = lifecycle.receive(draft("inquiry"), CAT.route("inquiry", "1039"), CAL, Actor(role=Role.CITIZEN)).case
    late = lifecycle.route(case, CAT.agency("DEPT-PWD"), None, CC, FILED + timedelta(hours=25), CAL, None)
    assert late.events[-1].ended.fate is Fate.MISSED


@pytest.mark.parametrize(
    ("when", "fate"),
    [
        ("2026-04-15T10:00:00+07:00", Fate.MET),
        ("2026-04-16T23:59:59.999+07:00", Fate.MET),
        ("2026-04-17T00:00:00+07:00", Fate.MISSED),
    ],
)
def test_an_acknowledgement_meets_its_deadline_up_to_the_last_millisecond(when, fate):
    event = lifecycle.acknowledge(dispatched(), OFFICER, datetime.fromisoformat(when), CAL, None).events[-1]
    assert (event.type, event.ended.kind, event.ended.at, event.ended.fate) == (
        EventType.ACKNOWLEDGED,
        DueKind.ACK,
        ACK_DUE,
        fate,
    )


def test_a_hand_back_before_the_deadline_voids_it_and_after_it_the_deadline_stays_missed():
    early = lifecycle.handback(dispatched(), OFFICER, datetime.fromisoformat("2026-04-14T10:00:00+07:00"), "ไม่ใช่", CAL)
    late = lifecycle.handback(dispatched(), OFFICER, datetime.fromisoformat("2026-04-20T10:00:00+07:00"), "ไม่ใช่", CAL)
    assert early.events[-1].ended.fate is Fate.VOID
    assert late.events[-1].ended.fate is Fate.MISSED


def test_a_re_route_voids_the_first_agencys_acknowledgement_deadline():
    change = lifecycle.route(
        dispatched(),
        CAT.agency("DIST-1001"),
        "public_works",
        CC,
        datetime.fromisoformat("2026-04-11T10:00:00+07:00"),
        CAL,
        "wrong district",
    )
    assert (change.events[-1].ended.kind, change.events[-1].ended.fate) == (DueKind.ACK, Fate.VOID)


def test_a_completion_from_dispatched_ends_the_ack_deadline_once():
    change = lifecycle.complete(
        dispatched(), OFFICER, datetime.fromisoformat("2026-04-15T10:00:00+07:00"), "done", (), CAL, POLICY
    )
    ack, completed = change.events
    assert (ack.type, ack.ended.kind, ack.ended.fate) == (EventType.ACKNOWLEDGED, DueKind.ACK, Fate.MET)
    assert completed.ended is None


def test_progress_ends_first_progress_then_each_checkpoint():
    ack = lifecycle.acknowledge(
        dispatched(), OFFICER, datetime.fromisoformat("2026-04-16T10:00:00+07:00"), CAL, None
    ).case
    first = lifecycle.progress(ack, OFFICER, datetime.fromisoformat("2026-04-20T10:00:00+07:00"), CAL, "ช่าง", None)
    assert (first.events[-1].ended.kind, first.events[-1].ended.fate) == (DueKind.FIRST_PROGRESS, Fate.MET)
    second = lifecycle.progress(
        first.case, OFFICER, datetime.fromisoformat("2026-05-04T10:00:00+07:00"), CAL, "2", None
    )
    assert (second.events[-1].ended.kind, second.events[-1].ended.fate) == (DueKind.CHECKPOINT, Fate.MISSED)


def test_the_citizens_feedback_window_is_not_a_duty_and_the_sweep_marks_do_not_end_anything():
    done = lifecycle.complete(
        dispatched(), OFFICER, datetime.fromisoformat("2026-04-15T10:00:00+07:00"), "ok", (), CAL, POLICY
    ).case
    closed = followup.follow_up(done, datetime.fromisoformat("2026-05-01T08:30:00+07:00"), CAL, POLICY)
    assert closed.events[-1].type is EventType.CLOSED and closed.events[-1].ended is None
    late = followup.follow_up(dispatched(), datetime.fromisoformat("2026-04-23T08:30:00+07:00"), CAL, POLICY)
    assert [e.type for e in late.events] == [EventType.OVERDUE, EventType.CHASED, EventType.ESCALATED]
    assert all(e.ended is None for e in late.events)


@given(offset=st.integers(min_value=-10 * 24 * 3600, max_value=10 * 24 * 3600), fulfils=st.booleans())
def test_fate_is_missed_exactly_when_the_event_comes_after_the_instant(offset, fulfils):
    due = running_due(DueKind.ACK, FILED, CAL)
    at = due.at + timedelta(seconds=offset)
    end = ending(due, at, fulfils)
    assert end.at == due.at and end.kind is DueKind.ACK
    if at > due.at:
        assert end.fate is Fate.MISSED
    else:
        assert end.fate is (Fate.MET if fulfils else Fate.VOID)
