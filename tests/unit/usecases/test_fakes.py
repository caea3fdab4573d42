"""The fakes keep the adapters' contracts where the use cases rely on them (``tests/fakes.py``)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from complaints.domain.changes import Change
from complaints.domain.errors import Conflict, NotFound
from complaints.domain.events import Notice
from complaints.ports import CloseAudit
from tests.fakes import Fakes

from .helpers import at, file, history

pytestmark = pytest.mark.unit


def test_a_save_on_a_version_that_moved_on_is_a_conflict_naming_the_state_now(app):
    case = file(app).case  # version 2, dispatched
    stale = Change(case.model_copy(update={"version": 3}), (), expected_version=1)
    with pytest.raises(Conflict, match="it is now 'dispatched'"):
        app.fakes.cases.save(stale)
    with pytest.raises(Conflict):
        app.fakes.cases.create(Change(case, (), expected_version=0))
    with pytest.raises(Conflict):  # an event that exists already
        app.fakes.cases.save(Change(case, history(app, case.id)[-1:], expected_version=2))
    assert app.fakes.cases.get_case(case.id) == case and len(history(app, case.id)) == 2


def test_a_save_whose_audit_is_not_open_writes_nothing(app):
    case = file(app).case
    change = Change(case.model_copy(update={"version": 3}), (), expected_version=2)
    verdict = CloseAudit("2604-000001-4", "consistent", None, "auditor-1", at("2026-04-22T10:00"))
    with pytest.raises(Conflict) as refused:
        app.fakes.cases.save(change, also=[verdict])
    assert "it is now" not in refused.value.message  # the case's own condition held
    assert app.fakes.cases.get_case(case.id) == case and app.fakes.state.verdicts == {}
    with pytest.raises(NotFound):
        app.fakes.cases.get("2604-ZZZZZZ")


def test_a_claim_in_flight_is_neither_claimable_nor_done_until_it_is_stale(app):
    app.notifier.fail_next()
    case = file(app).case  # the agency's e-mail failed, the SMS was sent
    outbox, now = app.fakes.outbox, at("2026-04-10T10:00")
    notices = (Notice.AGENCY_EMAIL, Notice.CITIZEN_SMS)
    first = outbox.claim(case.id, 2, notices, now, now - timedelta(minutes=15))
    assert (first.claimed, first.done) == ([Notice.AGENCY_EMAIL], [Notice.CITIZEN_SMS])
    again = outbox.claim(case.id, 2, notices, now + timedelta(minutes=5), now - timedelta(minutes=10))
    assert (again.claimed, again.done) == ([], [Notice.CITIZEN_SMS])
    later = outbox.claim(case.id, 2, notices, now + timedelta(minutes=16), now + timedelta(minutes=1))
    assert later.claimed == [Notice.AGENCY_EMAIL]
    assert outbox.claim("2604-ZZZZZZ", 1, notices, now, now).claimed == []


def test_the_due_index_bounds_and_the_holidays_range_are_inclusive(app):
    case = file(app).case
    due = case.due.at
    assert [c.id for c in app.fakes.cases.due_between(due, due)] == [case.id]
    assert list(app.fakes.cases.due_before(due)) == []
    assert [c.id for c in app.fakes.cases.due_before(due + timedelta(milliseconds=1))] == [case.id]
    store = app.fakes.holidays
    store.put(date(2026, 4, 20), None, False, "admin")
    store.put(date(2026, 4, 13), None, True, "admin")
    found = store.special_holidays(date(2026, 4, 13), date(2026, 4, 20))
    assert (found.added, found.removed) == ({date(2026, 4, 20): ""}, {date(2026, 4, 13)})
    assert store.delete(date(2026, 4, 20)) is True and store.delete(date(2026, 4, 20)) is False


def test_ids_hand_out_queued_ones_first():
    ids = Fakes().ids
    ids.hand_out("2604-TAKEN0")
    assert [ids.case_id(at("2026-04-10T09:12")) for _ in range(3)] == ["2604-TAKEN0", "2604-000001", "2604-000002"]
    assert ids.case_id(at("2026-05-01T00:00")) == "2605-000003"
