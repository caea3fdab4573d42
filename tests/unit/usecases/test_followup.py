"""After completion (rule 5): the citizen's answer, and the call centre's reopen on a caller's behalf."""

from __future__ import annotations

import pytest

from complaints.commands import GiveFeedback, OpenAgencyLink, ReopenCase
from complaints.domain.errors import IllegalTransition, NotFound
from complaints.domain.events import EventType
from complaints.domain.followup import DisputeWindowClosed
from complaints.domain.links import LinkRefused
from complaints.domain.model import DueKind, Role, State

from .helpers import (
    CALLCENTRE,
    CITIZEN,
    WATTHANA_EMAIL,
    acknowledge,
    agency_link,
    at,
    complete,
    file,
    history,
    types,
)

pytestmark = pytest.mark.unit
COMPLETED_AT = "2026-04-20T10:00"  # feedback until 4 May, dispute window until 20 May


@pytest.fixture
def completed(app):
    filed = file(app)
    acknowledge(app, filed.case.id, "2026-04-16T10:00")
    complete(app, filed.case.id, COMPLETED_AT)
    return filed


def feedback(app, filed, when, fixed, satisfied=True, token=None, comment=None):
    return app.followup.feedback(
        GiveFeedback(
            actor=CITIZEN,
            at=at(when),
            case_id=filed.case.id,
            token=token or filed.tracking_token,
            fixed=fixed,
            satisfied=satisfied,
            comment=comment,
        )
    )


def test_fixed_and_satisfied_closes_the_case(app, completed):
    closed = feedback(app, completed, "2026-04-21T09:00", fixed=True)
    assert closed.state is State.CLOSED and closed.due is None
    events = history(app, closed.id)
    assert types(events[-2:]) == ["feedback", "closed"]
    assert events[-1].data.reason == "confirmed" and events[-1].by.role is Role.CITIZEN


def test_not_fixed_reopens_it_to_the_agency_with_fresh_deadlines(app, completed):
    old_link = agency_link(app.notifier.to(WATTHANA_EMAIL)[0].text)
    reopened = feedback(app, completed, "2026-04-21T09:00", fixed=False, comment="ยังเป็นหลุมอยู่")
    assert (reopened.state, reopened.agency.id, reopened.reopen_count) == (State.DISPATCHED, "DIST-1039", 1)
    assert (reopened.due.kind, reopened.due.at) == (DueKind.ACK, at("2026-04-22T23:59:59.999"))
    event = history(app, reopened.id)[-1]
    assert (event.type, event.note, event.data.fixed) == (EventType.REOPENED, "ยังเป็นหลุมอยู่", False)
    assert reopened.dispatch_seq == event.seq
    email = app.notifier.to(WATTHANA_EMAIL)[-1]
    assert "ส่งกลับ" in email.subject and "ยังไม่ได้รับการแก้ไข" in email.text
    with pytest.raises(LinkRefused):  # the first dispatch's link no longer works; the new one does
        app.reading.open_agency_link(OpenAgencyLink(token=old_link, at=at("2026-04-21T10:00")))
    new = app.reading.open_agency_link(OpenAgencyLink(token=agency_link(email.text), at=at("2026-04-21T10:00")))
    assert new.case.id == reopened.id


def test_feedback_needs_the_citizens_token(app, completed):
    with pytest.raises(NotFound):
        feedback(app, completed, "2026-04-21T09:00", fixed=True, token="not-the-token")
    assert app.fakes.cases.get_case(completed.case.id).state is State.COMPLETED


def test_feedback_before_completion_is_refused(app):
    filed = file(app)
    with pytest.raises(IllegalTransition):
        feedback(app, filed, "2026-04-11T09:00", fixed=True)


def test_unhappy_after_the_case_closed_without_feedback_still_reopens_within_the_dispute_window(app, completed):
    app.sweep.run(at("2026-05-05T08:30"))  # no answer in 14 days: closed
    assert app.fakes.cases.get_case(completed.case.id).state is State.CLOSED
    reopened = feedback(app, completed, "2026-05-20T23:00", fixed=True, satisfied=False)
    assert reopened.state is State.DISPATCHED and reopened.reopen_count == 1


def test_reopening_outside_the_dispute_window_is_refused(app, completed):
    feedback(app, completed, "2026-04-21T09:00", fixed=True)  # closed, confirmed
    with pytest.raises(DisputeWindowClosed) as refused:
        feedback(app, completed, "2026-05-21T00:00", fixed=False)
    # what the API answers (``exc.message``; ``str(exc)`` is the plain IllegalTransition text)
    assert "closed on 2026-05-20" in refused.value.message and "new complaint" in refused.value.message
    with pytest.raises(DisputeWindowClosed):
        app.followup.reopen(
            ReopenCase(
                actor=CALLCENTRE,
                at=at("2026-05-21T09:00"),
                case_id=completed.case.id,
                reason="caller says still broken",
            )
        )
    assert app.fakes.cases.get_case(completed.case.id).state is State.CLOSED


def test_the_call_centre_reopens_on_a_callers_behalf(app, completed):
    reopened = app.followup.reopen(
        ReopenCase(
            actor=CALLCENTRE, at=at("2026-04-22T09:00"), case_id=completed.case.id, reason="caller says still broken"
        )
    )
    assert reopened.state is State.DISPATCHED and reopened.reopen_count == 1
    event = history(app, reopened.id)[-1]
    assert (event.data.by_request_of, event.by) == ("citizen", CALLCENTRE)
    assert "โทรศัพท์" in app.notifier.to(WATTHANA_EMAIL)[-1].text


def test_a_case_still_with_the_agency_cannot_be_reopened(app):
    filed = file(app)
    with pytest.raises(IllegalTransition):
        app.followup.reopen(ReopenCase(actor=CALLCENTRE, at=at("2026-04-12T09:00"), case_id=filed.case.id, reason="x"))
