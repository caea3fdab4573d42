"""The outbox: every notice an event owes is sent once, a failure is kept and sent later, and a
reminder the agency made pointless is skipped."""

from __future__ import annotations

from datetime import timedelta

import pytest

from complaints.commands import RouteToAgency
from complaints.domain.events import Notice
from complaints.notices.outbox import Outcome

from .helpers import CALLCENTRE, SOMCHAI, SUKSRI, WATTHANA_EMAIL, acknowledge, at, file, history

pytestmark = pytest.mark.unit


def redeliver(app, case_id, when):
    case, events = app.fakes.cases.get(case_id)
    return app.notices.deliver(case, events, at(when))


def test_notices_are_sent_once_even_when_deliver_runs_twice(app):
    case = file(app).case
    assert [(m.channel, m.to) for m in app.notifier.sent] == [("email", WATTHANA_EMAIL), ("sms", SOMCHAI.phone)]
    assert redeliver(app, case.id, "2026-04-10T09:12") == Outcome()
    assert redeliver(app, case.id, "2026-04-10T10:00") == Outcome()
    assert len(app.notifier.sent) == 2
    assert app.fakes.outbox.outcomes(case.id, 2) == {Notice.AGENCY_EMAIL: "sent", Notice.CITIZEN_SMS: "sent"}


def test_a_citizen_without_a_mobile_is_told_by_email(app):
    case = file(app, complainant=SUKSRI).case
    (email,) = app.notifier.to(SUKSRI.email)
    assert case.id in email.subject and app.notifier.texts == []


def test_a_failure_is_kept_and_sent_by_a_later_run_and_only_it(app):
    app.notifier.fail_next()  # the agency's e-mail, the first of the routed event's notices
    case = file(app).case
    assert app.fakes.outbox.failures(case.id, 2).keys() == {Notice.AGENCY_EMAIL}
    assert app.fakes.outbox.outcomes(case.id, 2) == {Notice.CITIZEN_SMS: "sent"}
    assert list(app.fakes.outbox.owed()) == [(case.id, 2)]
    assert redeliver(app, case.id, "2026-04-10T09:20") == Outcome(sent=1)
    assert len(app.notifier.to(WATTHANA_EMAIL)) == 1 and len(app.notifier.to(SOMCHAI.phone)) == 1
    assert app.fakes.outbox.failures(case.id, 2) == {}
    assert list(app.fakes.outbox.owed()) == []


def test_a_claim_left_by_a_sender_that_died_is_taken_over_after_15_minutes(app):
    app.notifier.fail_next()
    case = file(app).case
    claimed_at = at("2026-04-10T09:30")
    app.fakes.outbox.claim(case.id, 2, (Notice.AGENCY_EMAIL,), claimed_at, claimed_at - timedelta(minutes=15))
    # ... and that sender never finished
    assert redeliver(app, case.id, "2026-04-10T09:40") == Outcome()
    assert redeliver(app, case.id, "2026-04-10T09:46") == Outcome(sent=1)
    assert len(app.notifier.to(WATTHANA_EMAIL)) == 1


def test_an_agency_email_for_a_dispatch_the_case_has_left_is_skipped(app):
    app.notifier.fail_when(lambda m: m.to == WATTHANA_EMAIL)
    case = file(app).case
    app.notifier.fail_when(None)
    app.callcentre.route(
        RouteToAgency(actor=CALLCENTRE, at=at("2026-04-10T10:00"), case_id=case.id, agency_id="DIST-1004")
    )
    report = app.sweep.run(at("2026-04-11T08:30"))
    assert report.notices_retried == 1
    assert app.fakes.outbox.outcomes(case.id, 2)[Notice.AGENCY_EMAIL] == "skipped"
    assert app.notifier.to(WATTHANA_EMAIL) == []  # its link would not work any more


def test_a_chase_is_skipped_once_the_agency_acted(app):
    case = file(app, notify=False).case
    app.notifier.fail_when(lambda m: m.to == WATTHANA_EMAIL)
    # the chase could not be sent: neither by the follow-up nor by the same run's retry of owed notices
    assert app.sweep.run(at("2026-04-17T08:30")).notices_failed == 2
    chase = history(app, case.id)[-1]
    app.notifier.fail_when(None)
    acknowledge(app, case.id, "2026-04-17T09:00")
    report = app.sweep.run(at("2026-04-18T08:30"))
    assert (report.notices_retried, report.chased) == (1, 0)
    assert app.fakes.outbox.outcomes(case.id, chase.seq) == {Notice.AGENCY_EMAIL: "skipped"}
    assert [m for m in app.notifier.to(WATTHANA_EMAIL) if "ติดตาม" in m.subject] == []
    assert list(app.fakes.outbox.owed()) == []


def test_a_chase_still_due_is_sent_when_retried(app):
    case = file(app, notify=False).case
    app.notifier.fail_when(lambda m: m.to == WATTHANA_EMAIL)
    app.sweep.run(at("2026-04-17T08:30"))
    app.notifier.fail_when(None)
    chase = history(app, case.id)[-1]
    assert redeliver(app, case.id, "2026-04-17T12:00") == Outcome(sent=1)
    assert app.fakes.outbox.outcomes(case.id, chase.seq) == {Notice.AGENCY_EMAIL: "sent"}
