"""Rules 4–6: the daily follow-up of late cases, the citizen's word, reopening, the audit verdict.

Pure, like ``lifecycle``: each function returns the :class:`~.changes.Change` to store.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from . import events as ev
from .calendar import BusinessCalendar, end_of_day, local_date
from .changes import Builder, Change, citizen_notice
from .deadlines import SlaPolicy, running_due
from .errors import Forbidden, IllegalTransition, InvalidInput
from .events import EventType, Notice
from .model import SYSTEM, Actor, Case, DueKind, Role, State
from .transitions import Action, check

T = EventType


def follow_up(case: Case, now: datetime, calendar: BusinessCalendar, policy: SlaPolicy) -> Change | None:
    """What the daily sweep does about a case whose running deadline has passed; None when nothing.

    Once per missed deadline: an ``overdue`` event (what the KPIs count; for a case
    waiting in triage it alerts the call-centre supervisors). At most once per
    local day while it stays late: a ``chased`` event, which e-mails the agency a
    fresh action link (the citizen who asked to be told hears of the first chase).
    Once, when it is late by ``escalate_after_business_days``: an ``escalated``
    event to the agency's head and the operators. The marks live on the deadline
    (``case.due``), so running the sweep twice for the same instant does nothing
    new, and a new deadline starts clean.
    """
    due = case.due
    if due is None or now <= due.at:
        return None
    if due.kind is DueKind.FEEDBACK:  # no answer from the citizen: the completion stands
        check(case, Action.CONFIRM, SYSTEM)
        b = Builder(case)
        b.add(
            T.CLOSED,
            ev.Closed(reason="no_feedback"),
            now,
            SYSTEM,
            f"no answer within {policy.feedback_days} days of completion",
            state=State.CLOSED,
            due=None,
        )
        return b.change()
    today = local_date(now)
    late = ev.Late(
        kind=due.kind,
        due=due.at,
        agency_id=case.agency.id if case.agency else None,
        dispatch_seq=case.dispatch_seq if case.agency else None,
    )
    b = Builder(case)
    if due.overdue_at is None:
        due = due.model_copy(update={"overdue_at": now})
        b.add(
            T.OVERDUE,
            late,
            now,
            SYSTEM,
            None,
            (Notice.SUPERVISORS_EMAIL,) if due.kind is DueKind.DISPATCH else (),
            due=due,
        )
    if due.kind is not DueKind.DISPATCH and case.agency is not None:
        if due.chased_on != today:
            first = due.chased_on is None
            due = due.model_copy(update={"chased_on": today})
            b.add(
                T.CHASED,
                late,
                now,
                SYSTEM,
                None,
                (Notice.AGENCY_EMAIL, *(citizen_notice(case) if first else ())),
                due=due,
            )
        days_late = calendar.business_days_between(local_date(due.at), today)
        if due.escalated_at is None and days_late >= policy.escalate_after_business_days:
            due = due.model_copy(update={"escalated_at": now})
            b.add(
                T.ESCALATED,
                ev.Escalated(**late.model_dump(), business_days_late=days_late),
                now,
                SYSTEM,
                None,
                (Notice.HEAD_EMAIL, Notice.OPERATORS_SNS),
                due=due,
            )
    return b.change() if b.events else None


# --- feedback and reopening (rule 5) ---------------------------------------------------------


class DisputeWindowClosed(IllegalTransition):
    def __init__(self, state: str, until: datetime | None):
        super().__init__(state, "reopen")
        when = f" on {until.date().isoformat()}" if until else ""
        self.message = (
            f"the case is '{state}' and its dispute window closed{when}: file a new complaint (POST /complaints)"
        )
        self.args = (self.message,)


def dispute_until(case: Case, policy: SlaPolicy) -> datetime | None:
    """The end of the dispute window: the last day the case can be reopened."""
    if case.completed_at is None:
        return None
    return end_of_day(local_date(case.completed_at) + timedelta(days=policy.dispute_days))


def _check_reopen(case: Case, actor: Actor, at: datetime, policy: SlaPolicy) -> None:
    check(case, Action.REOPEN, actor)
    until = dispute_until(case, policy)
    if until is None or at > until:
        raise DisputeWindowClosed(case.state, until)


def _reopen(b: Builder, actor: Actor, at: datetime, reason: str, calendar: BusinessCalendar, data: ev.Reopened) -> None:
    """Back to the agency that completed it, with fresh deadlines (or to triage if it has none)."""
    case = b.case
    if case.agency is not None:
        due = running_due(DueKind.ACK, at, calendar)
        b.add(
            T.REOPENED,
            data.model_copy(update={"agency_id": case.agency.id, "due": due.at}),
            at,
            actor,
            reason,
            (Notice.AGENCY_EMAIL, *citizen_notice(case)),
            state=State.DISPATCHED,
            due=due,
            reopen_count=case.reopen_count + 1,
            dispatch_seq=case.version + 1,
            dispatched_at=at,
        )
    else:
        b.add(
            T.REOPENED,
            data,
            at,
            actor,
            reason,
            citizen_notice(case),
            state=State.TRIAGE,
            due=running_due(DueKind.DISPATCH, at, calendar),
            reopen_count=case.reopen_count + 1,
        )


def reopen(
    case: Case, actor: Actor, at: datetime, reason: str, calendar: BusinessCalendar, policy: SlaPolicy
) -> Change:
    """The call centre reopens on the citizen's behalf (a phone call), with a reason."""
    _check_reopen(case, actor, at, policy)
    b = Builder(case)
    _reopen(b, actor, at, reason, calendar, ev.Reopened(by_request_of="citizen"))
    return b.change()


def feedback(
    case: Case,
    actor: Actor,
    at: datetime,
    fixed: bool,
    satisfied: bool,
    comment: str | None,
    calendar: BusinessCalendar,
    policy: SlaPolicy,
) -> Change:
    """The citizen's answer after completion: fixed and satisfied closes the case; a no reopens it."""
    if case.state not in (State.COMPLETED, State.CLOSED) or case.completed_at is None:
        raise IllegalTransition(case.state, "give feedback on")
    happy = fixed and satisfied
    if happy:
        check(case, Action.CONFIRM, actor)
    else:
        _check_reopen(case, actor, at, policy)
    b = Builder(case)
    b.add(T.FEEDBACK, ev.Feedback(fixed=fixed, satisfied=satisfied), at, actor, comment)
    if happy:
        b.add(T.CLOSED, ev.Closed(reason="confirmed"), at, actor, state=State.CLOSED, due=None)
    else:
        _reopen(
            b,
            actor,
            at,
            comment or ("not fixed" if not fixed else "not satisfied"),
            calendar,
            ev.Reopened(fixed=fixed, satisfied=satisfied),
        )
    return b.change()


# --- the random audit (rule 6) ----------------------------------------------------------------


def audited(
    case: Case,
    actor: Actor,
    at: datetime,
    audit_id: str,
    verdict: str,
    note: str | None,
    calendar: BusinessCalendar,
    agency_id: str,
    current: bool,
) -> Change:
    """An auditor's verdict on a completion; ``inconsistent`` counts against ``agency_id`` (the agency
    that completed it) and reopens the case — when the audited completion is still the case's
    last (``current``) and the case has not moved on. An audit may reopen after the citizen's
    dispute window: the finding is the city's own."""
    if actor.role is not Role.AUDITOR:
        raise Forbidden("only an auditor records an audit verdict")
    if verdict not in ("consistent", "inconsistent"):
        raise InvalidInput("verdict is 'consistent' or 'inconsistent'")
    b = Builder(case)
    b.add(T.AUDITED, ev.Audited(audit_id=audit_id, verdict=verdict, agency_id=agency_id), at, actor, note)
    if verdict == "inconsistent" and current and case.state in (State.COMPLETED, State.CLOSED):
        _reopen(
            b, actor, at, note or "audit found the completion inconsistent", calendar, ev.Reopened(audit_id=audit_id)
        )
    return b.change()
