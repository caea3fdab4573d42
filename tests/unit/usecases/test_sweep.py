"""The daily sweep (rule 4): late cases followed up once, chased at most daily, escalated once;
completed cases closed after the feedback window; owed notices retried."""

from __future__ import annotations

import pytest

from complaints.domain.events import EventType, Notice
from complaints.domain.model import DueKind, State

from .conftest import OPERATORS_TOPIC, SUPERVISORS
from .helpers import SOMCHAI, WATTHANA_EMAIL, acknowledge, at, complete, file, history, types

pytestmark = pytest.mark.unit
HEAD_EMAIL = "head.district-1039@agency.example"


def sweep(app, when):
    return app.sweep.run(at(when))


def late_events(app, case_id):
    return [e for e in history(app, case_id) if e.type in (EventType.OVERDUE, EventType.CHASED, EventType.ESCALATED)]


def test_a_late_acknowledgement_is_recorded_overdue_once_and_chased(app):
    case = file(app).case  # ack due Thursday 16 April
    report = sweep(app, "2026-04-17T08:30")
    assert (dict(report.late), dict(report.overdue), report.chased, report.escalated) == ({"ack": 1}, {"ack": 1}, 1, 0)
    overdue, chased = history(app, case.id)[-2:]
    assert types([overdue, chased]) == ["overdue", "chased"]
    assert (overdue.data.kind, overdue.data.agency_id, overdue.data.dispatch_seq) == (DueKind.ACK, "DIST-1039", 2)
    assert overdue.notices == () and chased.notices == (Notice.AGENCY_EMAIL, Notice.CITIZEN_SMS)
    due = app.fakes.cases.get_case(case.id).due
    assert (due.at, due.overdue_at, str(due.chased_on)) == (
        at("2026-04-16T23:59:59.999"),
        at("2026-04-17T08:30"),
        "2026-04-17",
    )
    chase = app.notifier.to(WATTHANA_EMAIL)[-1]
    assert "ติดตาม" in chase.subject and "/a/" in chase.text
    assert "ติดตามแล้ว" in app.notifier.to(SOMCHAI.phone)[-1].text


def test_running_twice_for_the_same_instant_does_nothing_new(app):
    case = file(app).case
    sweep(app, "2026-04-17T08:30")
    events, sent = history(app, case.id), list(app.notifier.sent)
    report = sweep(app, "2026-04-17T08:30")
    assert (dict(report.overdue), report.chased, report.notices_sent) == ({}, 0, 0)
    assert history(app, case.id) == events and app.notifier.sent == sent


def test_a_late_case_is_chased_at_most_once_a_day_and_the_citizen_told_once(app):
    case = file(app).case
    sweep(app, "2026-04-17T08:30")
    sweep(app, "2026-04-17T18:00")
    assert types(late_events(app, case.id)) == ["overdue", "chased"]
    report = sweep(app, "2026-04-18T08:30")  # the next (calendar) day: chased again, no new overdue
    assert (dict(report.overdue), report.chased) == ({}, 1)
    assert types(late_events(app, case.id)) == ["overdue", "chased", "chased"]
    assert late_events(app, case.id)[-1].notices == (Notice.AGENCY_EMAIL,)
    assert len([m for m in app.notifier.to(WATTHANA_EMAIL) if "ติดตาม" in m.subject]) == 2
    assert len(app.notifier.to(SOMCHAI.phone)) == 2  # routed, first chase


def test_escalated_once_after_3_business_days_late(app):
    case = file(app).case  # ack due Thursday 16 April
    for day in ("17", "18", "19", "20"):  # Fri 1, weekend, Mon 2 business days late
        assert sweep(app, f"2026-04-{day}T08:30").escalated == 0
    report = sweep(app, "2026-04-21T08:30")  # Tue: 3 business days late
    assert report.escalated == 1
    escalated = history(app, case.id)[-1]
    assert (escalated.type, escalated.data.business_days_late) == (EventType.ESCALATED, 3)
    assert escalated.notices == (Notice.HEAD_EMAIL, Notice.OPERATORS_SNS)
    assert len(app.notifier.to(HEAD_EMAIL)) == 1
    (topic,) = app.notifier.published
    assert topic.to == OPERATORS_TOPIC and case.id in topic.subject
    assert sweep(app, "2026-04-22T08:30").escalated == 0
    assert types(late_events(app, case.id)).count("escalated") == 1


def test_a_new_deadline_starts_clean(app):
    case = file(app).case
    sweep(app, "2026-04-17T08:30")
    acknowledge(app, case.id, "2026-04-17T09:00")  # first progress due 22 April
    assert sweep(app, "2026-04-22T08:30").chased == 0
    report = sweep(app, "2026-04-23T08:30")
    assert (dict(report.overdue), report.chased) == ({"first_progress": 1}, 1)


def test_a_case_waiting_in_triage_alerts_the_supervisors_once_and_is_not_chased(app):
    case = file(app, category="inquiry").case  # to be routed by 11 April 09:12
    assert sweep(app, "2026-04-11T09:00").late == {}
    report = sweep(app, "2026-04-11T09:30")
    assert (dict(report.overdue), report.supervisors_alerted, report.chased) == ({"dispatch": 1}, 1, 0)
    assert len(app.notifier.to(SUPERVISORS)) == 1
    sweep(app, "2026-04-12T09:30")
    sweep(app, "2026-04-16T09:30")
    assert types(late_events(app, case.id)) == ["overdue"]
    assert len(app.notifier.to(SUPERVISORS)) == 1


def test_a_completed_case_is_closed_once_the_feedback_window_passed(app):
    case = file(app).case
    complete(app, case.id, "2026-04-20T10:00")  # the citizen may answer until 4 May
    assert sweep(app, "2026-05-04T23:00").closed_without_feedback == 0
    report = sweep(app, "2026-05-05T08:30")
    assert report.closed_without_feedback == 1 and report.late == {}  # not a late case
    closed = app.fakes.cases.get_case(case.id)
    assert closed.state is State.CLOSED and closed.due is None
    event = history(app, case.id)[-1]
    assert (event.data.reason, event.ended) == ("no_feedback", None)
    assert sweep(app, "2026-05-06T08:30").closed_without_feedback == 0


def test_notices_that_failed_are_retried_by_the_next_run(app):
    app.notifier.fail_when(lambda m: m.to == WATTHANA_EMAIL)
    case = file(app).case
    assert list(app.fakes.outbox.owed()) == [(case.id, 2)]
    app.notifier.fail_when(None)
    report = sweep(app, "2026-04-11T08:30")
    assert (report.notices_retried, report.notices_failed) == (1, 0)
    assert len(app.notifier.to(WATTHANA_EMAIL)) == 1
    assert list(app.fakes.outbox.owed()) == []
    assert sweep(app, "2026-04-12T08:30").notices_retried == 0


def test_a_notice_failing_again_is_counted_and_kept(app):
    app.notifier.fail_when(lambda m: m.to == WATTHANA_EMAIL)
    case = file(app).case
    report = sweep(app, "2026-04-11T08:30")
    assert (report.notices_retried, report.notices_failed) == (0, 1)
    assert list(app.fakes.outbox.owed()) == [(case.id, 2)]
    assert "NotifierDown" in app.fakes.outbox.failures(case.id, 2)[Notice.AGENCY_EMAIL]


def test_a_stale_index_copy_is_not_followed_up_when_the_agency_acted_meanwhile(app):
    case = file(app).case
    indexed = app.fakes.cases.get_case(case.id)  # what the due index still shows
    acknowledge(app, case.id, "2026-04-17T08:00")
    app.fakes.cases.due_before = lambda now: iter([indexed])
    report = sweep(app, "2026-04-17T08:30")
    assert (dict(report.late), dict(report.overdue), report.chased) == ({"ack": 1}, {}, 0)
    assert late_events(app, case.id) == []
