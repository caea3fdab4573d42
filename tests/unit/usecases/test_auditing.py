"""The random audit (rule 6): the daily draw, the monthly minimum, the reminder, the verdict."""

from __future__ import annotations

from dataclasses import replace

import pytest

from complaints.commands import GiveFeedback, RecordVerdict
from complaints.domain.errors import Conflict, Forbidden, InvalidInput
from complaints.domain.events import EventType
from complaints.domain.model import Actor, DueKind, Role, State

from .conftest import AUDITORS
from .helpers import AUDITOR, CALLCENTRE, CITIZEN, WATTHANA_EMAIL, at, complete, file, history, types

pytestmark = pytest.mark.unit
BANG_RAK = Actor(role=Role.AGENCY, id="officer-1004", agency_id="DIST-1004")


def completed_case(app, when="2026-04-20T10:00", district="1039", actor=None):
    filed = file(app, district=district)
    complete(app, filed.case.id, when, **({"actor": actor} if actor else {}))
    return filed


def decide(app, audit_id, verdict, when="2026-04-22T10:00", note="ไม่ตรงกับภาพถ่าย", actor=AUDITOR):
    return app.auditing.decide(RecordVerdict(actor=actor, at=at(when), audit_id=audit_id, verdict=verdict, note=note))


def test_at_rate_1_every_completion_before_the_run_is_drawn_once(make_app):
    app = make_app(audit_rate=1)
    first = completed_case(app).case.id
    second = completed_case(app, district="1004", actor=BANG_RAK).case.id
    after = completed_case(app, when="2026-04-21T09:00").case.id  # after the run's instant: tomorrow's draw
    assert app.auditing.daily(at("2026-04-21T08:30")) == {
        "audits_drawn": 2,
        "audits_month_minimum": 0,
        "audits_reminded": 0,
    }
    audits = app.fakes.audits.open_audits()
    assert [(a.id, a.agency_id, a.status) for a in audits] == [
        (f"{first}-4", "DIST-1039", "open"),
        (f"{second}-4", "DIST-1004", "open"),
    ]
    assert app.auditing.draw(at("2026-04-21T08:30")) == 0  # nothing is drawn twice
    assert app.auditing.draw(at("2026-04-22T08:30")) == 1
    assert app.fakes.audits.open_audits()[-1].case_id == after
    records = app.fakes.state.draw_records.values()
    assert {(r["rate"], r["source"]) for r in records} == {(1, "seeded (tests only)")}
    assert all(d["drawn"] and 0 <= d["value"] < 1 for r in records for d in r["draws"])


def test_agencies_never_see_a_draw_on_the_case(make_app):
    app = make_app(audit_rate=1)
    case_id = completed_case(app).case.id
    before = history(app, case_id)
    app.sweep.run(at("2026-04-21T08:30"))
    assert history(app, case_id) == before


def test_at_rate_0_nothing_is_drawn_and_the_completions_wait_in_the_months_pool(make_app):
    app = make_app(audit_rate=0)
    case_id = completed_case(app).case.id
    assert app.auditing.daily(at("2026-04-21T08:30"))["audits_drawn"] == 0
    assert app.fakes.audits.open_audits() == []
    (tally,) = app.fakes.audits.months("2026-04")
    assert (tally.agency_id, tally.drawn, tally.pool) == ("DIST-1039", 0, [f"{case_id}#4"])


def test_an_agency_with_none_drawn_gets_its_monthly_minimum_on_the_months_last_day(make_app):
    app = make_app(audit_rate=0)
    case_ids = [completed_case(app).case.id for _ in range(3)]
    assert app.sweep.run(at("2026-04-29T08:30")).audits["audits_month_minimum"] == 0
    report = app.sweep.run(at("2026-04-30T08:30"))  # the last day of April: April is settled
    assert report.audits["audits_month_minimum"] == 1
    (audit,) = app.fakes.audits.open_audits()
    assert audit.case_id in case_ids and audit.agency_id == "DIST-1039"
    assert app.auditing.settle(at("2026-04-30T09:00")) == 0
    assert app.sweep.run(at("2026-05-01T08:30")).audits["audits_month_minimum"] == 0  # April again: done


def test_last_months_minimum_is_settled_the_next_month_too(make_app):
    app = make_app(audit_rate=0)
    completed_case(app, when="2026-04-30T10:00")  # after the 30 April run: drawn on 1 May
    app.sweep.run(at("2026-04-30T08:30"))
    assert app.auditing.daily(at("2026-05-01T08:30"))["audits_month_minimum"] == 1


def test_an_audit_waiting_5_business_days_is_reminded_to_the_auditors_once(make_app):
    app = make_app(audit_rate=1)
    completed_case(app)
    app.sweep.run(at("2026-04-21T08:30"))  # drawn on Tuesday 21 April
    assert app.auditing.remind(at("2026-04-27T08:30")) == 0  # 4 business days
    assert app.auditing.remind(at("2026-04-28T08:30")) == 1
    (email,) = app.notifier.to(AUDITORS)
    assert "5" in email.subject and app.fakes.audits.open_audits()[0].id in email.text
    assert app.auditing.remind(at("2026-04-29T08:30")) == 0


def test_a_reminder_that_failed_is_sent_by_the_next_run(make_app):
    app = make_app(audit_rate=1)
    completed_case(app)
    app.sweep.run(at("2026-04-21T08:30"))
    app.notifier.fail_next()
    with pytest.raises(Exception, match="refused"):
        app.auditing.remind(at("2026-04-28T08:30"))
    assert app.fakes.audits.open_audits()[0].reminded_at is None
    assert app.auditing.remind(at("2026-04-29T08:30")) == 1


def test_an_inconsistent_verdict_reopens_the_case_to_its_agency(make_app):
    app = make_app(audit_rate=1)
    case_id = completed_case(app).case.id
    app.sweep.run(at("2026-04-21T08:30"))
    (audit,) = app.auditing.waiting()
    assert audit.case.id == case_id and audit.history[-1].data.evidence_urls
    recorded = decide(app, audit.audit.id, "inconsistent")
    assert (recorded.case_state, recorded.reopen_count) == (State.DISPATCHED, 1)
    audited, reopened = history(app, case_id)[-2:]
    assert types([audited, reopened]) == ["audited", "reopened"]
    assert (audited.data.verdict, audited.data.agency_id, reopened.data.audit_id) == (
        "inconsistent",
        "DIST-1039",
        audit.audit.id,
    )
    case = app.fakes.cases.get_case(case_id)
    assert case.due.kind is DueKind.ACK and case.dispatch_seq == reopened.seq
    assert "สุ่มตรวจสอบ" in app.notifier.to(WATTHANA_EMAIL)[-1].text
    assert app.fakes.audits.get(audit.audit.id).status == "inconsistent"
    assert app.fakes.audits.open_audits() == []


def test_a_consistent_verdict_leaves_the_case_as_it_is(make_app):
    app = make_app(audit_rate=1)
    case_id = completed_case(app).case.id
    app.sweep.run(at("2026-04-21T08:30"))
    (audit,) = app.fakes.audits.open_audits()
    recorded = decide(app, audit.id, "consistent", note=None)
    assert recorded.case_state is State.COMPLETED and recorded.reopen_count == 0
    assert history(app, case_id)[-1].type is EventType.AUDITED
    assert app.fakes.state.verdicts[audit.id].auditor == "auditor-1"


def test_deciding_twice_is_a_conflict(make_app):
    app = make_app(audit_rate=1)
    case_id = completed_case(app).case.id
    app.sweep.run(at("2026-04-21T08:30"))
    (audit,) = app.fakes.audits.open_audits()
    decide(app, audit.id, "consistent")
    with pytest.raises(Conflict, match="already decided"):
        decide(app, audit.id, "inconsistent")
    assert app.fakes.cases.get_case(case_id).state is State.COMPLETED


def test_a_verdict_racing_another_auditors_is_refused_whole(make_app):
    app = make_app(audit_rate=1)
    case_id = completed_case(app).case.id
    app.sweep.run(at("2026-04-21T08:30"))
    (audit,) = app.fakes.audits.open_audits()
    decide(app, audit.id, "consistent")
    before = app.fakes.cases.get(case_id)
    stale = replace(app.fakes.audits.get(audit.id), status="open")
    app.fakes.audits.get = lambda _: stale  # the second auditor read the audit while it was open
    with pytest.raises(Conflict):
        decide(app, audit.id, "inconsistent")
    assert app.fakes.cases.get(case_id) == before  # no audited event, no reopen
    assert app.fakes.state.verdicts[audit.id].verdict == "consistent"


def test_a_verdict_needs_an_auditor_a_known_verdict_and_for_inconsistent_a_note(make_app):
    app = make_app(audit_rate=1)
    completed_case(app)
    app.sweep.run(at("2026-04-21T08:30"))
    (audit,) = app.fakes.audits.open_audits()
    with pytest.raises(InvalidInput, match="note"):
        decide(app, audit.id, "inconsistent", note=None)
    with pytest.raises(InvalidInput):
        decide(app, audit.id, "maybe")
    with pytest.raises(Forbidden):
        decide(app, audit.id, "consistent", actor=CALLCENTRE)
    assert app.fakes.audits.get(audit.id).status == "open"


def test_an_inconsistent_completion_the_case_has_moved_on_from_does_not_reopen_it_again(make_app):
    app = make_app(audit_rate=1)
    filed = completed_case(app)
    app.sweep.run(at("2026-04-21T08:30"))
    app.followup.feedback(
        GiveFeedback(
            actor=CITIZEN,
            at=at("2026-04-21T12:00"),
            case_id=filed.case.id,
            token=filed.tracking_token,
            fixed=False,
            satisfied=False,
        )
    )
    (audit,) = app.fakes.audits.open_audits()
    recorded = decide(app, audit.id, "inconsistent")
    assert (recorded.case_state, recorded.reopen_count) == (State.DISPATCHED, 1)  # reopened once, by the citizen
    assert history(app, filed.case.id)[-1].type is EventType.AUDITED
