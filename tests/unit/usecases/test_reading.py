"""Reading cases: staff, the citizen with the token, agency officers, the list, and agency links."""

from __future__ import annotations

from datetime import timedelta

import pytest

from complaints import views
from complaints.commands import CountDue, ListCases, ListReceived, OpenAgencyLink, ReadCase, RouteToAgency
from complaints.domain.errors import BadRequest, Forbidden, InvalidInput, NotFound
from complaints.domain.links import LinkRefused
from complaints.domain.model import Actor, DueKind, Role, State
from complaints.domain.queues import ListOrder

from .helpers import (
    CALLCENTRE,
    CITIZEN,
    FILED_AT,
    OFFICER,
    OTHER_OFFICER,
    WATTHANA_EMAIL,
    acknowledge,
    agency_link,
    at,
    complete,
    file,
    progress,
)

pytestmark = pytest.mark.unit
EXECUTIVE = Actor(role=Role.EXECUTIVE, id="exec-1")


# --- one case ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [CALLCENTRE, EXECUTIVE, OFFICER])
def test_staff_read_the_case_with_its_whole_history(app, actor):
    case = file(app).case
    read = app.reading.get(ReadCase(actor=actor, case_id=case.id))
    assert read.as_staff is True
    assert read.case == case and [e.seq for e in read.history] == [1, 2]


def test_the_citizen_reads_with_the_tracking_token_or_the_signed_link_of_a_notice(app):
    filed = file(app)
    mine = app.reading.get(ReadCase(actor=CITIZEN, case_id=filed.case.id, token=filed.tracking_token))
    assert mine.as_staff is False and mine.case.id == filed.case.id
    complete(app, filed.case.id, "2026-04-16T10:00")
    link = app.notifier.texts[-1].text.split()[-1]  # the completion SMS asks for feedback with this link
    assert link.startswith(f"https://1555.test/t/{filed.case.id}/")  # the short link: /t/{id}/{token}
    signed = link.rsplit("/", 1)[1]
    assert app.reading.get(ReadCase(actor=CITIZEN, case_id=filed.case.id, token=signed)).as_staff is False
    with pytest.raises(NotFound):  # signed for this case only
        app.reading.get(ReadCase(actor=CITIZEN, case_id=file(app).case.id, token=signed))


@pytest.mark.parametrize("token", [None, "", "guessed-token"])
def test_a_wrong_or_missing_token_is_not_found_like_an_unknown_id(app, token):
    case = file(app).case
    with pytest.raises(NotFound) as wrong:
        app.reading.get(ReadCase(actor=CITIZEN, case_id=case.id, token=token))
    with pytest.raises(NotFound) as unknown:
        app.reading.get(ReadCase(actor=CITIZEN, case_id="2604-ZZZZZZ", token=token))
    assert "(or the token is wrong)" in wrong.value.message and "(or the token is wrong)" in unknown.value.message


def test_an_agency_officer_cannot_read_another_agencys_case(app):
    case = file(app).case
    with pytest.raises(NotFound):  # as an unknown id: ids cannot be probed
        app.reading.get(ReadCase(actor=OTHER_OFFICER, case_id=case.id))
    triage = file(app, category="inquiry").case
    with pytest.raises(NotFound):  # not assigned to anyone yet
        app.reading.get(ReadCase(actor=OFFICER, case_id=triage.id))


# --- the list ---------------------------------------------------------------------------------------


def listing(app, actor=CALLCENTRE, when="2026-04-20T09:00", limit=50, **filters):
    return app.reading.list(ListCases(actor=actor, at=at(when), limit=limit, **filters))


def ids(page):
    return [c.id for c in page.cases]


def test_the_list_filters_by_agency_state_district_and_category(app):
    road = file(app, "2026-04-10T09:00").case
    bridge = file(app, "2026-04-10T10:00", category="bridge").case
    inquiry = file(app, "2026-04-10T11:00", category="inquiry").case
    bang_rak = file(app, "2026-04-10T12:00", district="1004").case
    # across states the adapter reads one index partition after another: only the set is certain
    assert set(ids(listing(app))) == {bang_rak.id, inquiry.id, bridge.id, road.id}
    assert ids(listing(app, state=State.DISPATCHED)) == [bang_rak.id, bridge.id, road.id]  # newest first
    assert ids(listing(app, agency="DIST-1039")) == [road.id]
    assert ids(listing(app, agency="DEPT-PWD")) == [bridge.id]
    assert ids(listing(app, state=State.TRIAGE)) == [inquiry.id]
    assert ids(listing(app, district="Bang Rak")) == [bang_rak.id]
    assert ids(listing(app, category="bridge", state=State.DISPATCHED)) == [bridge.id]
    assert ids(listing(app, district="1039", category="road")) == [road.id]


def test_an_agency_officer_lists_only_their_agencys_cases(app):
    mine = file(app).case
    file(app, district="1004")
    assert ids(listing(app, actor=OFFICER)) == [mine.id]
    with pytest.raises(Forbidden):
        listing(app, actor=OFFICER, agency="DIST-1004")


def test_an_agency_actor_without_an_agency_lists_nothing_of_others(app):
    file(app)
    with pytest.raises(Forbidden):
        listing(app, actor=Actor(role=Role.AGENCY, id="officer-x"))


def test_unknown_filters_are_refused(app):
    with pytest.raises(InvalidInput):
        listing(app, agency="DIST-9999")
    with pytest.raises(InvalidInput):
        listing(app, category="pothole")


def test_overdue_lists_the_running_duty_deadlines_that_passed(app):
    late_ack = file(app, "2026-04-10T09:00").case  # ack due 16 April
    later_ack = file(app, "2026-04-16T09:00").case  # ack due 17 April
    done = file(app, "2026-04-10T08:00").case
    complete(app, done.id, "2026-04-16T10:00")  # a feedback window runs: not a duty
    file(app, "2026-04-17T08:00")  # ack due 20 April: not late yet
    page = listing(app, when="2026-04-18T09:00", overdue=True)
    assert sorted(ids(page)) == sorted([late_ack.id, later_ack.id])  # the adapter orders within a shard only
    assert all(c.due.kind is DueKind.ACK for c in page.cases)
    acknowledge(app, late_ack.id, "2026-04-18T10:00")
    assert ids(listing(app, when="2026-04-18T11:00", overdue=True)) == [later_ack.id]


def test_the_cursor_pages_through_the_list_and_belongs_to_its_filters(app):
    filed = [file(app, f"2026-04-10T09:{minute:02d}").case.id for minute in range(5)]
    first = listing(app, limit=2, state=State.DISPATCHED)
    second = listing(app, limit=2, state=State.DISPATCHED, cursor=first.cursor)
    third = listing(app, limit=2, state=State.DISPATCHED, cursor=second.cursor)
    assert ids(first) + ids(second) + ids(third) == filed[::-1]
    assert third.cursor is None
    with pytest.raises(InvalidInput, match="cursor"):
        listing(app, limit=2, state=State.TRIAGE, cursor=first.cursor)
    with pytest.raises(InvalidInput, match="cursor"):
        listing(app, limit=2, state=State.DISPATCHED, cursor="not-a-cursor")


def test_the_orders_of_the_list_and_an_agencys_counts(app):
    acked = file(app, "2026-04-10T08:00").case  # first progress due Tue 21 once acknowledged on the 16th
    late = file(app, "2026-04-10T09:00").case  # ack due Thu 16
    today = file(app, "2026-04-16T09:00").case  # ack due Fri 17
    acknowledge(app, acked.id, "2026-04-16T09:30")
    when = "2026-04-17T06:30"
    assert ids(listing(app, when=when, order=ListOrder.OLDEST)) == [acked.id, late.id, today.id]
    queue = [late.id, today.id, acked.id]
    assert ids(listing(app, actor=OFFICER, when=when, order=ListOrder.DEADLINE)) == queue
    with pytest.raises(BadRequest, match="agency"):
        listing(app, when=when, order=ListOrder.DEADLINE)
    counted = app.reading.due_counts(CountDue(actor=OFFICER, at=at(when)))
    assert (counted.agency, counted.overdue, counted.due_today) == ("DIST-1039", 1, 1)
    with pytest.raises(Forbidden):
        app.reading.due_counts(CountDue(actor=OTHER_OFFICER, at=at(when), agency="DIST-1039"))


# --- agency links -------------------------------------------------------------------------------------


def link_of(app, case_id):
    return agency_link([m for m in app.notifier.to(WATTHANA_EMAIL) if case_id in m.subject][-1].text)


def test_the_agency_link_opens_the_case_for_its_agency(app):
    case = file(app).case
    opened = app.reading.open_agency_link(OpenAgencyLink(token=link_of(app, case.id), at=at("2026-04-10T10:00")))
    assert opened.case == case and len(opened.history) == 2
    assert (opened.actor.role, opened.actor.agency_id) == (Role.AGENCY, "DIST-1039")
    acknowledge(app, case.id, "2026-04-10T10:05", actor=opened.actor)
    assert app.reading.refresh(opened).case.state is State.ACKNOWLEDGED


def test_a_tampered_link_is_refused(app):
    case = file(app).case
    token = link_of(app, case.id)
    forged = token.replace(".DIST-1039.", ".DIST-1004.")
    for bad in (forged, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "nonsense"):
        with pytest.raises(LinkRefused) as refused:
            app.reading.open_agency_link(OpenAgencyLink(token=bad, at=at("2026-04-10T10:00")))
        assert refused.value.reason == "tampered"


def test_a_link_expires_after_30_days(app):
    case = file(app).case
    token = link_of(app, case.id)
    issued = at("2026-04-10T09:12")
    app.reading.open_agency_link(OpenAgencyLink(token=token, at=issued + timedelta(days=30)))
    with pytest.raises(LinkRefused) as refused:
        app.reading.open_agency_link(OpenAgencyLink(token=token, at=issued + timedelta(days=30, seconds=1)))
    assert refused.value.reason == "expired"


def test_a_link_is_superseded_once_the_case_is_sent_elsewhere(app):
    case = file(app).case
    token = link_of(app, case.id)
    app.callcentre.route(
        RouteToAgency(actor=CALLCENTRE, at=at("2026-04-10T11:00"), case_id=case.id, agency_id="DIST-1004")
    )
    with pytest.raises(LinkRefused) as refused:
        app.reading.open_agency_link(OpenAgencyLink(token=token, at=at("2026-04-10T12:00")))
    assert refused.value.reason == "superseded"


# --- the public list (Open311) and the case's last change ---------------------------------------------


def received(app, start, end, states=tuple(State), categories=(), limit=1000):
    cmd = ListReceived(
        actor=CITIZEN, at=at(end), start=at(start), end=at(end), states=states, categories=categories, limit=limit
    )
    return [c.id for c in app.reading.received(cmd)]


def test_the_public_list_is_newest_first_within_its_window(app):
    old = file(app, "2026-01-02T10:00").case.id
    mid = file(app, "2026-03-02T10:00", category="flooding").case.id
    new = file(app, "2026-04-09T10:00").case.id
    assert received(app, "2026-01-10T00:00", "2026-04-10T00:00") == [new, mid]
    assert received(app, "2026-01-01T00:00", "2026-03-31T00:00", categories=("road",)) == [old]
    assert received(app, "2026-01-10T00:00", "2026-04-10T00:00", limit=1) == [new]
    assert received(app, "2026-01-10T00:00", "2026-04-10T00:00", states=(State.TRIAGE,)) == []


@pytest.mark.parametrize(
    ("start", "end", "categories", "error"),
    [
        ("2026-01-01T00:00", "2026-04-01T00:01", (), BadRequest),  # over 90 days
        ("2026-04-02T00:00", "2026-04-01T00:00", (), BadRequest),  # ends before it starts
        ("2026-03-01T00:00", "2026-04-01T00:00", ("unicorns",), InvalidInput),
    ],
)
def test_the_public_list_refuses_a_long_window_or_an_unknown_category(app, start, end, categories, error):
    with pytest.raises(error):
        received(app, start, end, categories=categories)


def test_a_case_keeps_its_last_change_and_the_citys_latest_public_note(app):
    case = file(app).case
    assert (case.updated_at, case.public_note) == (at(FILED_AT), None)
    acknowledge(app, case.id, "2026-04-16T10:00")
    progress(app, case.id, "2026-04-17T10:00", note="ส่งทีมสำรวจแล้ว")
    read = app.reading.public(case.id)
    assert (read.updated_at, read.public_note) == (at("2026-04-17T10:00"), "ส่งทีมสำรวจแล้ว")
    assert "complainant" not in views.case_summary(read) and "public_note" not in views.case_summary(read)
    with pytest.raises(NotFound):
        app.reading.public("2604-ZZZZZZ")
