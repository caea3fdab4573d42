"""Personal data (PDPA): erasure on an admin's request, retention after closing, and the daily limit
of citizen notices per recipient."""

from __future__ import annotations

import pytest

from complaints.commands import EraseComplainant, GiveFeedback, ReadCase
from complaints.domain.errors import Forbidden, InvalidInput, NotFound
from complaints.domain.events import EventType
from complaints.domain.model import Actor, Complainant, Role, State
from complaints.domain.privacy import NOTIFIED_CASES_PER_DAY
from complaints.usecases.privacy import Privacy

from .conftest import RETENTION_DAYS
from .helpers import CALLCENTRE, CITIZEN, SOMCHAI, SUKSRI, acknowledge, at, complete, file, history, last

pytestmark = pytest.mark.unit
ADMIN = Actor(role=Role.ADMIN, id="admin-1")
COMPLETED_AT = "2026-04-20T10:00"
CLOSED_AT = "2026-04-21T09:00"  # the citizen confirms: closed


def erase(app, case_id, when="2026-04-22T10:00", actor=ADMIN, reason="คำขอลบข้อมูลตาม PDPA เลขที่ 12/2569"):
    return app.usecases.privacy.erase(EraseComplainant(actor=actor, at=at(when), case_id=case_id, reason=reason))


def read_as_citizen(app, case_id, token):
    return app.reading.get(ReadCase(actor=CITIZEN, case_id=case_id, token=token))


@pytest.fixture
def closed(app):
    filed = file(app)
    acknowledge(app, filed.case.id, "2026-04-16T10:00")
    complete(app, filed.case.id, COMPLETED_AT)
    app.followup.feedback(
        GiveFeedback(
            actor=CITIZEN,
            at=at(CLOSED_AT),
            case_id=filed.case.id,
            token=filed.tracking_token,
            fixed=True,
            satisfied=True,
        )
    )
    return filed


# --- erasure ---------------------------------------------------------------------------------------


def test_erasure_removes_the_complainant_and_keeps_the_anonymous_case(app):
    filed = file(app)
    before = app.fakes.cases.get_case(filed.case.id)
    done = erase(app, filed.case.id)
    assert done.erased and done.fields == ["name", "phone", "email", "notify", "tracking_token"]
    case = app.fakes.cases.get_case(filed.case.id)
    assert case.complainant == Complainant() and not case.notify and case.token_hash == ""
    assert (case.state, case.agency, case.due, case.description) == (
        before.state,
        before.agency,
        before.due,
        before.description,
    )
    assert case.anonymised_at == at("2026-04-22T10:00")


def test_the_history_records_who_when_and_why_but_not_what(app):
    filed = file(app)
    erase(app, filed.case.id)
    event = last(app, filed.case.id, EventType.ANONYMISED)
    assert (event.by, event.at, event.note) == (ADMIN, at("2026-04-22T10:00"), "คำขอลบข้อมูลตาม PDPA เลขที่ 12/2569")
    assert event.data.basis == "request" and event.state is State.DISPATCHED and event.ended is None
    stored = event.model_dump_json()
    assert all(value not in stored for value in ("สมชาย", "812345678", "somchai@example.com", filed.tracking_token))


def test_the_tracking_token_and_the_notices_link_stop_working(app):
    filed = file(app)
    signed = app.usecases.links.track_url(filed.case.id).rsplit("token=", 1)[1]
    assert read_as_citizen(app, filed.case.id, signed).case.id == filed.case.id
    erase(app, filed.case.id)
    for token in (filed.tracking_token, signed):
        with pytest.raises(NotFound):
            read_as_citizen(app, filed.case.id, token)


def test_erasing_again_changes_nothing_and_says_so(app):
    filed = file(app)
    erase(app, filed.case.id)
    events = len(history(app, filed.case.id))
    again = erase(app, filed.case.id, when="2026-04-23T10:00")
    assert not again.erased and again.fields == [] and again.anonymised_at == at("2026-04-22T10:00")
    assert len(history(app, filed.case.id)) == events


@pytest.mark.parametrize("actor", [CALLCENTRE, CITIZEN, Actor(role=Role.AUDITOR, id="a-1")])
def test_only_an_admin_erases(app, actor):
    filed = file(app)
    with pytest.raises(Forbidden):
        erase(app, filed.case.id, actor=actor)
    assert app.fakes.cases.get_case(filed.case.id).complainant == SOMCHAI


def test_erasure_needs_a_reason_and_an_existing_case(app):
    filed = file(app)
    with pytest.raises(InvalidInput):
        erase(app, filed.case.id, reason="  ")
    with pytest.raises(NotFound):
        erase(app, "2604-ZZZZZZ")


def test_a_notice_still_owed_to_the_person_is_never_sent_after_erasure(app):
    app.notifier.fail_when(lambda m: m.channel == "sms")  # the routed SMS fails: owed
    filed = file(app)
    assert list(app.fakes.outbox.owed()) == [(filed.case.id, 2)]
    erase(app, filed.case.id)
    app.notifier.fail_when(None)
    app.sweep.run(at("2026-04-23T08:30"))  # the retry finds no one to tell
    assert app.notifier.texts == [] and list(app.fakes.outbox.owed()) == []
    complete(app, filed.case.id, "2026-04-24T10:00")  # and later events owe the citizen nothing
    assert app.notifier.texts == [] and app.notifier.to(SOMCHAI.email) == []


def test_a_failed_notice_is_recorded_without_the_address(app):
    app.notifier.fail_when(lambda m: m.channel == "sms")  # the provider's error names the number
    filed = file(app)
    failures = app.fakes.outbox.failures(filed.case.id, 2)
    assert failures and all("812345678" not in error for error in failures.values())


# --- retention -------------------------------------------------------------------------------------


def retain(app, when, batch=None):
    privacy = app.usecases.privacy
    if batch is not None:
        privacy = Privacy(app.usecases.workflow, app.fakes.privacy, app.usecases.photos, RETENTION_DAYS, batch=batch)
    return privacy.retain(at(when))


def test_a_closed_case_is_kept_for_the_retention_period_then_anonymised_by_the_system(app, closed):
    case_id = closed.case.id
    assert retain(app, "2027-04-20T08:30").anonymised == 0  # 364 days after closing
    assert app.fakes.cases.get_case(case_id).complainant == SOMCHAI
    report = retain(app, "2027-04-21T08:30")  # 365 days
    assert report.anonymised == 1 and not report.more
    case = app.fakes.cases.get_case(case_id)
    assert case.complainant == Complainant() and case.state is State.CLOSED
    event = last(app, case_id, EventType.ANONYMISED)
    assert (event.by.role, event.note, event.data.basis) == (Role.SYSTEM, "retention", "retention")


def test_the_retention_run_is_idempotent(app, closed):
    assert retain(app, "2027-05-01T08:30").anonymised == 1
    events = len(history(app, closed.case.id))
    assert retain(app, "2027-05-01T08:30").anonymised == 0
    assert retain(app, "2027-05-02T08:30").anonymised == 0
    assert len(history(app, closed.case.id)) == events


def test_open_cases_and_cases_erased_already_are_left_alone(app, closed):
    still_open = file(app).case.id
    erase(app, closed.case.id)
    assert retain(app, "2028-01-01T08:30").anonymised == 0
    assert app.fakes.cases.get_case(still_open).complainant == SOMCHAI


def test_a_run_does_a_bounded_batch_and_the_next_run_goes_on_oldest_first(app):
    ids = []
    for day in ("2026-04-21", "2026-04-22", "2026-04-23"):
        filed = file(app, f"{day}T09:00")
        acknowledge(app, filed.case.id, f"{day}T10:00")
        complete(app, filed.case.id, f"{day}T11:00")
        app.followup.feedback(
            GiveFeedback(
                actor=CITIZEN,
                at=at(f"{day}T12:00"),
                case_id=filed.case.id,
                token=filed.tracking_token,
                fixed=True,
                satisfied=True,
            )
        )
        ids.append(filed.case.id)
    first = retain(app, "2027-06-01T08:30", batch=2)
    assert (first.anonymised, first.more) == (2, True)
    assert [app.fakes.cases.get_case(i).anonymised_at is not None for i in ids] == [True, True, False]
    second = retain(app, "2027-06-02T08:30", batch=2)
    assert (second.anonymised, second.more) == (1, False)


def test_a_reopened_case_is_no_longer_closed_and_its_clock_starts_again(app, closed):
    case = app.fakes.cases.get_case(closed.case.id)
    assert case.closed_at == at(CLOSED_AT)
    from complaints.commands import ReopenCase

    reopened = app.followup.reopen(
        ReopenCase(actor=CALLCENTRE, at=at("2026-05-10T10:00"), case_id=case.id, reason="ยังไม่ซ่อม")
    )
    assert reopened.state is State.DISPATCHED and reopened.closed_at is None
    assert retain(app, "2028-01-01T08:30").anonymised == 0


# --- the daily limit of citizen notices per recipient ----------------------------------------------------


def test_an_anonymous_filer_gets_notices_for_a_few_cases_a_day_per_phone(app):
    filed = [file(app, f"2026-04-10T{9 + n:02d}:00") for n in range(NOTIFIED_CASES_PER_DAY + 1)]
    assert [f.case.notify for f in filed] == [True] * NOTIFIED_CASES_PER_DAY + [False]
    assert filed[-1].notices_limited and filed[-1].case.state is State.DISPATCHED  # still filed and routed
    assert len(app.notifier.to(SOMCHAI.phone)) == NOTIFIED_CASES_PER_DAY
    assert file(app, "2026-04-11T09:00").case.notify  # a new local day


def test_the_limit_is_per_recipient_and_not_for_the_call_centre(app):
    for n in range(NOTIFIED_CASES_PER_DAY):
        file(app, f"2026-04-10T{9 + n:02d}:00")
    assert file(app, "2026-04-10T20:00", complainant=SUKSRI).case.notify  # another person
    assert file(app, "2026-04-10T21:00", actor=CALLCENTRE).case.notify  # the call centre speaks with the caller
    assert not file(app, "2026-04-10T22:00").case.notify


def test_the_counter_is_keyed_by_a_keyed_hash_never_the_number(app):
    file(app)
    (key, day), count = next(iter(app.fakes.privacy.counters.items()))
    assert count == 1 and str(day) == "2026-04-10"
    assert "812345678" not in key and "+66" not in key and key.startswith("sms:")


def test_filing_without_notify_counts_nothing(app):
    file(app, notify=False)
    assert app.fakes.privacy.counters == {}
