"""Special holidays: used by the SLA engine at once, and the running deadlines they move are moved."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.commands import DeleteHoliday, PutHoliday
from complaints.domain.errors import InvalidInput, NotFound
from complaints.domain.events import EventType
from complaints.domain.model import Actor, DueKind, Role

from .helpers import acknowledge, at, complete, file, history, last

pytestmark = pytest.mark.unit
ADMIN = Actor(role=Role.ADMIN, id="admin-1")


def put(app, day, name="วันหยุดพิเศษ", when="2026-04-17T12:00", removed=False):
    return app.holidays.put(PutHoliday(actor=ADMIN, at=at(when), day=day, name=name, removed=removed))


def delete(app, day, when="2026-04-17T13:00"):
    return app.holidays.delete(DeleteHoliday(actor=ADMIN, at=at(when), day=day))


def test_a_special_holiday_moves_the_running_deadlines_it_falls_on(app):
    case = file(app, "2026-04-17T10:00").case  # ack due Monday 20 April
    acked = file(app, "2026-04-10T10:00").case
    acknowledge(app, acked.id, "2026-04-16T10:00")  # first progress due Tuesday 21 April
    triage = file(app, "2026-04-17T10:00", category="inquiry").case  # 24 hours: no business days
    done = file(app, "2026-04-10T10:00").case
    complete(app, done.id, "2026-04-16T10:00")  # the citizen's window: calendar days
    changed = put(app, date(2026, 4, 20))
    assert (changed.source, changed.removed, changed.deadlines_moved) == ("special", False, 2)
    moved = last(app, case.id, EventType.DEADLINE_MOVED)
    assert (moved.data.kind, moved.data.moved_from, moved.data.to) == (
        DueKind.ACK,
        at("2026-04-20T23:59:59.999"),
        at("2026-04-21T23:59:59.999"),
    )
    assert moved.ended is None and moved.notices == ()
    assert app.fakes.cases.get_case(case.id).due.at == at("2026-04-21T23:59:59.999")
    assert app.fakes.cases.get_case(acked.id).due.at == at("2026-04-22T23:59:59.999")
    for untouched in (triage, done):
        assert EventType.DEADLINE_MOVED not in [e.type for e in history(app, untouched.id)]


def test_the_new_holiday_counts_for_deadlines_computed_afterwards(app):
    put(app, date(2026, 4, 20), when="2026-04-16T12:00")
    case = file(app, "2026-04-17T10:00").case
    assert case.due.at == at("2026-04-21T23:59:59.999")


def test_deleting_it_moves_them_back(app):
    case = file(app, "2026-04-17T10:00").case
    put(app, date(2026, 4, 20))
    deleted = delete(app, date(2026, 4, 20))
    assert (deleted.deleted, deleted.deadlines_moved) == (date(2026, 4, 20), 1)
    assert app.fakes.cases.get_case(case.id).due.at == at("2026-04-20T23:59:59.999")
    assert [e.type for e in history(app, case.id)][-2:] == [EventType.DEADLINE_MOVED] * 2
    with pytest.raises(NotFound):
        delete(app, date(2026, 4, 20))


def test_cancelling_an_official_holiday_brings_deadlines_forward(app):
    case = file(app).case  # Friday 10 April: ack due 16 April, after Songkran
    changed = put(app, date(2026, 4, 13), name=None, removed=True, when="2026-04-10T12:00")
    assert (changed.name, changed.source, changed.removed, changed.deadlines_moved) == (
        "Songkran Festival",
        "official",
        True,
        1,
    )
    assert app.fakes.cases.get_case(case.id).due.at == at("2026-04-13T23:59:59.999")
    listed = {h.date: h for h in app.holidays.year(2026)}
    assert listed[date(2026, 4, 13)].removed is True and listed[date(2026, 4, 14)].removed is False


def test_removing_a_day_that_is_no_official_holiday_is_refused_and_stores_nothing(app):
    case = file(app, "2026-04-17T10:00").case
    with pytest.raises(InvalidInput, match="not an official holiday"):
        put(app, date(2026, 4, 20), removed=True)
    assert app.fakes.state.holidays == {}
    assert app.fakes.cases.get_case(case.id) == case


def test_the_year_lists_official_and_special_holidays(app):
    put(app, date(2026, 4, 20), name="ชดเชยสงกรานต์")
    year = app.holidays.year(2026)
    assert [(h.date, h.source) for h in year if h.date.month == 4] == [
        (date(2026, 4, 6), "official"),
        (date(2026, 4, 13), "official"),
        (date(2026, 4, 14), "official"),
        (date(2026, 4, 15), "official"),
        (date(2026, 4, 20), "special"),
    ]
    assert next(h.name for h in year if h.date == date(2026, 4, 20)) == "ชดเชยสงกรานต์"


def test_a_deadline_moved_while_late_is_not_recorded_overdue_or_escalated_a_second_time(app):
    case = file(app).case  # ack due Thursday 16 April
    app.sweep.run(at("2026-04-21T08:30"))  # overdue, chased, escalated (3 business days late)
    put(app, date(2026, 4, 16), when="2026-04-21T10:00")  # ack now due Friday 17 April: still late
    assert app.fakes.cases.get_case(case.id).due.at == at("2026-04-17T23:59:59.999")
    app.sweep.run(at("2026-04-22T08:30"))
    kinds = [e.type for e in history(app, case.id)]
    assert kinds.count(EventType.OVERDUE) == 1  # the KPIs count one missed acknowledgement
    assert kinds.count(EventType.ESCALATED) == 1
    assert len(app.notifier.to("head.district-1039@agency.example")) == 1
