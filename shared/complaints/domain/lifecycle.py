"""The case lifecycle (SPEC §3): the changes of intake, the call centre and the agency.

Each change takes a case and returns the new case with the history events it
adds; the caller stores both together (one transaction, expected version).
The case's ``version`` is the number of its history events, so an event's
``seq`` is the version it produced and two writers can never both append it.
What happens after completion (follow-up, feedback, reopening, audit) is in
``followup``; how a change is built, in ``changes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from . import events as ev
from .calendar import BusinessCalendar, local_date
from .changes import Builder, Change, citizen_notice
from .deadlines import SlaPolicy, running_due
from .events import EventType, Notice
from .evidence import EvidenceCheck, evidence_of
from .model import SYSTEM, Actor, Agency, AgencyRef, Case, DueKind, Referral, Role, State
from .routing import RoutingDecision
from .transitions import Action, check

T = EventType


def _agency_ref(agency: Agency, section: str | None) -> AgencyRef:
    return AgencyRef(id=agency.id, name_th=agency.name_th, name_en=agency.name_en, section=section)


def _dispatch(
    b: Builder,
    agency: Agency,
    section: str | None,
    actor: Actor,
    at: datetime,
    calendar: BusinessCalendar,
    note: str | None,
) -> None:
    """To an agency: meets the call centre's dispatch deadline, or voids the last agency's."""
    due = running_due(DueKind.ACK, at, calendar)
    b.add(
        T.ROUTED,
        ev.Routed(agency_id=agency.id, section=section, due=due.at),
        at,
        actor,
        note,
        (Notice.AGENCY_EMAIL, *citizen_notice(b.case)),
        fulfils=b.case.state is State.TRIAGE,
        state=State.DISPATCHED,
        agency=_agency_ref(agency, section),
        referral=None,
        due=due,
        dispatch_seq=b.case.version + 1,
        dispatched_at=at,
    )


def _refer(
    b: Builder, org: Agency, channel: str, reference: str | None, actor: Actor, at: datetime, note: str | None
) -> None:
    referral = Referral(
        agency_id=org.id,
        name_th=org.name_th,
        name_en=org.name_en,
        hotline=org.hotline,
        channel=channel,
        reference=reference,
        referred_at=at,
    )
    b.add(
        T.REFERRED,
        ev.Referred(agency_id=org.id, channel=channel, reference=reference),
        at,
        actor,
        note,
        citizen_notice(b.case),
        fulfils=True,
        state=State.REFERRED,
        referral=referral,
        agency=None,
        due=None,
    )


def receive(case: Case, decision: RoutingDecision, calendar: BusinessCalendar, actor: Actor) -> Change:
    """A new complaint, filed by ``actor`` (a citizen, or the call centre on the phone):
    recorded in triage, then routed at once where the routing allows.

    ``case`` is the draft: state triage, version 0, no history.
    """
    at = case.received_at
    b = Builder(case)
    b.add(
        T.RECEIVED,
        ev.Received(category=case.category, channel=case.channel),
        at,
        actor,
        state=State.TRIAGE,
        due=running_due(DueKind.DISPATCH, at, calendar),
    )
    system = Actor(role=Role.SYSTEM, id="auto-routing")
    if decision.kind == "agency" and decision.agency is not None:
        _dispatch(b, decision.agency, decision.section, system, at, calendar, decision.reason)
    elif decision.kind == "referral" and decision.agency is not None and decision.channel:
        _refer(b, decision.agency, decision.channel, None, system, at, decision.reason)
    return b.change()


# --- the call centre ------------------------------------------------------------------------


def route(
    case: Case,
    agency: Agency,
    section: str | None,
    actor: Actor,
    at: datetime,
    calendar: BusinessCalendar,
    note: str | None,
) -> Change:
    """The call centre routes a triage case, or re-routes a dispatched one."""
    check(case, Action.ROUTE, actor)
    b = Builder(case)
    _dispatch(b, agency, section, actor, at, calendar, note)
    return b.change()


def refer(
    case: Case, org: Agency, channel: str, reference: str | None, actor: Actor, at: datetime, note: str | None
) -> Change:
    """The call centre refers a triage case to an organisation outside the city's authority."""
    check(case, Action.REFER, actor)
    b = Builder(case)
    _refer(b, org, channel, reference, actor, at, note)
    return b.change()


def close(case: Case, actor: Actor, at: datetime, reason: str) -> Change:
    """The call centre closes a case in triage (withdrawn, duplicate, an inquiry answered: its
    dispatch deadline is met) or a referral the outside organisation has dealt with."""
    check(case, Action.CLOSE, actor)
    b = Builder(case)
    kind = "not_actionable" if case.state is State.TRIAGE else "referred_done"
    b.add(T.CLOSED, ev.Closed(reason=kind), at, actor, reason, fulfils=True, state=State.CLOSED, due=None)
    return b.change()


def return_to_triage(case: Case, actor: Actor, at: datetime, reason: str, calendar: BusinessCalendar) -> Change:
    """A referral came back (the organisation says it is the city's): triage, a new 24-hour clock."""
    check(case, Action.RETURN_TO_TRIAGE, actor)
    b = Builder(case)
    org = case.referral.agency_id if case.referral else None
    b.add(
        T.RETURNED_TO_TRIAGE,
        ev.ReturnedToTriage(agency_id=org),
        at,
        actor,
        reason,
        state=State.TRIAGE,
        referral=None,
        due=running_due(DueKind.DISPATCH, at, calendar),
    )
    return b.change()


# --- the agency's actions -----------------------------------------------------------------


def _on_time(case: Case, at: datetime) -> bool | None:
    return at <= case.due.at if case.due else None


def acknowledge(case: Case, actor: Actor, at: datetime, calendar: BusinessCalendar, note: str | None) -> Change:
    """The agency acknowledges: first progress is due 3 business days after today (the citizen is told)."""
    check(case, Action.ACKNOWLEDGE, actor)
    b = Builder(case)
    due = running_due(DueKind.FIRST_PROGRESS, at, calendar)
    data = ev.Acknowledged(on_time=_on_time(case, at), due=due.at)
    b.add(T.ACKNOWLEDGED, data, at, actor, note, citizen_notice(case), fulfils=True, state=State.ACKNOWLEDGED, due=due)
    return b.change()


def progress(
    case: Case,
    actor: Actor,
    at: datetime,
    calendar: BusinessCalendar,
    note: str | None,
    expected_completion: date | None,
) -> Change:
    """A progress report: the next one is due at the next checkpoint (15th / 30th)."""
    check(case, Action.PROGRESS, actor)
    b = Builder(case)
    due = running_due(DueKind.CHECKPOINT, at, calendar)
    data = ev.Progress(
        on_time=_on_time(case, at),
        due=due.at,
        first=case.state is State.ACKNOWLEDGED,
        expected_completion=expected_completion,
    )
    b.add(T.PROGRESS, data, at, actor, note, citizen_notice(case), fulfils=True, state=State.IN_PROGRESS, due=due)
    return b.change()


def complete(
    case: Case,
    actor: Actor,
    at: datetime,
    note: str | None,
    evidence_urls: tuple[str, ...],
    calendar: BusinessCalendar,
    policy: SlaPolicy,
    checks: Sequence[EvidenceCheck] = (),
) -> Change:
    """The agency reports completion; from ``dispatched`` it also records the acknowledgement.
    ``checks``: its "after" photos against the complaint (``domain.evidence``), for the audit.

    The completion records the business days it took since the case was last sent to this
    agency. The citizen's feedback window starts (``due.kind == "feedback"``): the sweep
    closes the case when it passes without an answer.
    """
    check(case, Action.COMPLETE, actor)
    sent = case.dispatched_at
    days = calendar.business_days_between(local_date(sent), local_date(at)) if sent else None
    b = Builder(case)
    if case.state is State.DISPATCHED:
        b.add(
            T.ACKNOWLEDGED,
            ev.Acknowledged(on_time=_on_time(case, at), with_completion=True),
            at,
            actor,
            fulfils=True,
            state=State.ACKNOWLEDGED,
            due=None,
        )
    window = running_due(DueKind.FEEDBACK, at, BusinessCalendar(), policy)  # the citizen's, to answer
    evidence = evidence_of(evidence_urls, checks)
    b.add(
        T.COMPLETED,
        ev.Completed(on_time=_on_time(case, at), business_days=days, due=window.at, **evidence),
        at,
        actor,
        note,
        citizen_notice(case),
        fulfils=True,
        state=State.COMPLETED,
        completed_at=at,
        due=window,
    )
    return b.change()


def handback(case: Case, actor: Actor, at: datetime, reason: str, calendar: BusinessCalendar) -> Change:
    """Not ours: back to the call centre's triage queue (told by e-mail), its 24-hour clock restarted."""
    check(case, Action.HANDBACK, actor)
    b = Builder(case)
    b.add(
        T.HANDED_BACK,
        ev.HandedBack(agency_id=case.agency.id if case.agency else None),
        at,
        actor,
        reason,
        (Notice.CALLCENTER_EMAIL, *citizen_notice(case)),
        fulfils=False,
        state=State.TRIAGE,
        agency=None,
        due=running_due(DueKind.DISPATCH, at, calendar),
    )
    return b.change()


def recompute_due(case: Case, calendar: BusinessCalendar, at: datetime, note: str) -> Change | None:
    """The running deadline again, after the special holidays changed: a ``deadline_moved``
    event when it moves, None when it does not (or no clock runs). It is the same deadline,
    moved: the chases and the escalation stay done. A deadline the sweep had recorded missed
    stays missed if its new instant has passed too; otherwise it runs again (the sweep records
    it anew if it passes), and the event says so, for the report's count (SPEC §8: a deadline
    counts by its final instant)."""
    if case.due is None or case.due.basis is None or case.due.kind is DueKind.FEEDBACK:
        return None
    new_at = running_due(case.due.kind, case.due.basis, calendar).at
    if new_at == case.due.at:
        return None
    was_overdue = case.due.overdue_at is not None
    still_missed = was_overdue and new_at < at
    due = case.due.model_copy(update={"at": new_at, "overdue_at": case.due.overdue_at if still_missed else None})
    data = ev.DeadlineMoved(moved_from=case.due.at, to=new_at, kind=due.kind, was_overdue=was_overdue,
                            still_missed=still_missed)  # fmt: skip
    b = Builder(case)
    b.add(T.DEADLINE_MOVED, data, at, SYSTEM, note, due=due)
    return b.change()
