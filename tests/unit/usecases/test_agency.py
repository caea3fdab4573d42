"""The agency's actions (rules 2–3): acknowledge, report progress, complete, hand back."""

from __future__ import annotations

import pytest

from complaints.commands import Acknowledge, HandBack
from complaints.domain.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from complaints.domain.events import EventType, Fate, Notice
from complaints.domain.model import DueKind, State

from .helpers import (
    OFFICER,
    OTHER_OFFICER,
    SOMCHAI,
    SUKSRI,
    acknowledge,
    at,
    complete,
    file,
    history,
    last,
    progress,
    types,
)

pytestmark = pytest.mark.unit
CALL_CENTRE_EMAIL = "ops-1555@agency.example"


def hand_back(app, case_id, when, reason="ไม่ใช่งานของเขต", **more):
    return app.agency.act(HandBack(actor=OFFICER, at=at(when), case_id=case_id, reason=reason, **more))


def test_acknowledging_in_time_meets_the_ack_deadline_and_starts_first_progress(app):
    case = file(app).case
    acked = acknowledge(app, case.id, "2026-04-15T10:00", note="รับเรื่อง")  # on a holiday: fine
    assert acked.state is State.ACKNOWLEDGED
    assert (acked.due.kind, acked.due.at) == (DueKind.FIRST_PROGRESS, at("2026-04-20T23:59:59.999"))
    event = history(app, case.id)[-1]
    assert (event.data.on_time, event.note) == (True, "รับเรื่อง")
    assert (event.ended.kind, event.ended.fate, event.ended.at) == (
        DueKind.ACK,
        Fate.MET,
        at("2026-04-16T23:59:59.999"),
    )


def test_a_late_acknowledgement_is_missed(app):
    case = file(app).case
    acknowledge(app, case.id, "2026-04-17T00:00")
    event = history(app, case.id)[-1]
    assert event.data.on_time is False
    assert (event.ended.kind, event.ended.fate) == (DueKind.ACK, Fate.MISSED)


def test_progress_sets_the_next_checkpoint_and_tells_the_citizen(app):
    case = file(app).case
    acknowledge(app, case.id, "2026-04-16T10:00")
    reported = progress(app, case.id, "2026-04-20T10:00", note="สั่งวัสดุแล้ว")
    assert reported.state is State.IN_PROGRESS
    assert (reported.due.kind, reported.due.at) == (DueKind.CHECKPOINT, at("2026-04-30T23:59:59.999"))
    event = history(app, case.id)[-1]
    assert event.data.first is True
    assert (event.ended.kind, event.ended.fate) == (DueKind.FIRST_PROGRESS, Fate.MET)
    assert "สั่งวัสดุแล้ว" in app.notifier.texts[-1].text
    again = progress(app, case.id, "2026-05-04T10:00")  # after the 30 April checkpoint: missed
    assert again.due.at == at("2026-05-15T23:59:59.999")
    assert history(app, case.id)[-1].ended.fate is Fate.MISSED


def test_completing_a_dispatched_case_records_the_acknowledgement_too(app):
    case = file(app).case
    done = complete(app, case.id, "2026-04-16T15:00")
    assert done.state is State.COMPLETED and done.completed_at == at("2026-04-16T15:00")
    assert (done.due.kind, done.due.at) == (DueKind.FEEDBACK, at("2026-04-30T23:59:59.999"))
    acked, completed = history(app, case.id)[-2:]
    assert types([acked, completed]) == ["acknowledged", "completed"]
    assert acked.data.with_completion is True
    assert (acked.ended.kind, acked.ended.fate) == (DueKind.ACK, Fate.MET)
    assert completed.ended is None and completed.data.evidence_urls == ["https://photos.example/after.jpg"]
    assert f"/t/{case.id}/" in app.notifier.texts[-1].text  # the citizen is asked whether it is really fixed


def test_completing_in_progress_meets_the_checkpoint(app):
    case = file(app).case
    acknowledge(app, case.id, "2026-04-16T10:00")
    progress(app, case.id, "2026-04-20T10:00")
    complete(app, case.id, "2026-04-29T10:00")
    assert (last(app, case.id, EventType.COMPLETED).ended.kind, last(app, case.id, EventType.COMPLETED).ended.fate) == (
        DueKind.CHECKPOINT,
        Fate.MET,
    )


def test_a_hand_back_before_the_ack_deadline_is_void_and_the_call_centre_is_told(app):
    case = file(app, complainant=SUKSRI).case
    back = hand_back(app, case.id, "2026-04-14T11:00")  # during Songkran, before the ack deadline
    assert back.state is State.TRIAGE and back.agency is None
    assert (back.due.kind, back.due.at) == (DueKind.DISPATCH, at("2026-04-15T11:00"))
    event = history(app, case.id)[-1]
    assert (event.ended.kind, event.ended.fate) == (DueKind.ACK, Fate.VOID)
    assert (event.data.agency_id, event.note) == ("DIST-1039", "ไม่ใช่งานของเขต")
    assert event.notices == (Notice.CALLCENTER_EMAIL, Notice.CITIZEN_EMAIL)
    assert len(app.notifier.to(CALL_CENTRE_EMAIL)) == 1
    assert len(app.notifier.to(SUKSRI.email)) == 2  # routed, then "being re-routed"


def test_a_hand_back_after_the_first_progress_deadline_is_missed(app):
    case = file(app).case
    acknowledge(app, case.id, "2026-04-16T10:00")
    hand_back(app, case.id, "2026-04-22T10:00")  # first progress was due on the 21st
    assert history(app, case.id)[-1].ended.fate is Fate.MISSED


def test_a_hand_back_needs_a_reason(app):
    case = file(app).case
    with pytest.raises(InvalidInput, match="reason"):
        hand_back(app, case.id, "2026-04-10T11:00", reason="")
    assert app.fakes.cases.get_case(case.id) == case


def test_a_stale_expected_version_is_a_conflict_and_changes_nothing(app):
    case = file(app).case  # version 2
    acknowledge(app, case.id, "2026-04-16T10:00", expected_version=2)
    before = app.fakes.cases.get(case.id)
    sent = len(app.notifier.sent)
    with pytest.raises(Conflict, match="it is now 'acknowledged'"):  # the same form posted twice
        acknowledge(app, case.id, "2026-04-16T10:01", expected_version=2)
    with pytest.raises(Conflict):
        hand_back(app, case.id, "2026-04-16T10:02", expected_version=2)
    assert app.fakes.cases.get(case.id) == before and len(app.notifier.sent) == sent


def test_another_agency_may_not_act_on_the_case(app):
    case = file(app).case
    with pytest.raises(NotFound):  # as an unknown id: ids cannot be probed
        app.agency.act(Acknowledge(actor=OTHER_OFFICER, at=at("2026-04-10T11:00"), case_id=case.id))
    assert app.fakes.cases.get_case(case.id) == case


def test_an_action_the_state_does_not_allow_is_refused(app):
    case = file(app).case
    with pytest.raises(IllegalTransition):
        progress(app, case.id, "2026-04-10T11:00")  # not acknowledged yet
    complete(app, case.id, "2026-04-10T12:00")
    with pytest.raises(IllegalTransition):
        acknowledge(app, case.id, "2026-04-10T13:00")
    assert len(app.notifier.to(SOMCHAI.phone)) == 2  # routed, completed: nothing for the refused actions
