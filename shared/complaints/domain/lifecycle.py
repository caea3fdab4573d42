"""The case lifecycle (SPEC §3): allowed transitions and the changes they make.

Each change takes a case and returns the new case with the history events it
adds; the caller stores both together (one transaction, expected version).
The case's ``version`` is the number of its history events, so an event's
``seq`` is the version it produced and two writers can never both append it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .calendar import BusinessCalendar, dispatch_due, end_of_day, local_date
from .errors import Forbidden, IllegalTransition, InvalidInput
from .model import (
    SYSTEM,
    Actor,
    Agency,
    AgencyRef,
    Case,
    Due,
    DueKind,
    HistoryEvent,
    Referral,
    Role,
    State,
    citizen_channel,
)
from .routing import RoutingDecision

S = State

#: action → (states it may start from, state it leads to or None for "same", roles allowed)
TRANSITIONS: dict[str, tuple[frozenset[State], State | None, frozenset[Role]]] = {
    "route": (frozenset({S.TRIAGE, S.DISPATCHED}), S.DISPATCHED, frozenset({Role.CALLCENTER})),
    "refer": (frozenset({S.TRIAGE}), S.REFERRED, frozenset({Role.CALLCENTER})),
    "close": (frozenset({S.TRIAGE, S.REFERRED}), S.CLOSED, frozenset({Role.CALLCENTER})),
    "return_to_triage": (frozenset({S.REFERRED}), S.TRIAGE, frozenset({Role.CALLCENTER})),
    "acknowledge": (frozenset({S.DISPATCHED}), S.ACKNOWLEDGED, frozenset({Role.AGENCY})),
    "handback": (frozenset({S.DISPATCHED, S.ACKNOWLEDGED}), S.TRIAGE, frozenset({Role.AGENCY})),
    "progress": (frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS}), S.IN_PROGRESS, frozenset({Role.AGENCY})),
    "complete": (frozenset({S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS}), S.COMPLETED,
                 frozenset({Role.AGENCY})),
    "confirm": (frozenset({S.COMPLETED}), S.CLOSED, frozenset({Role.CITIZEN, Role.SYSTEM})),
    "reopen": (frozenset({S.COMPLETED, S.CLOSED}), S.DISPATCHED,
               frozenset({Role.CITIZEN, Role.CALLCENTER, Role.AUDITOR})),
}


def allowed_actions(state: State, role: Role) -> list[str]:
    """The actions ``role`` may take on a case in ``state``, in table order."""
    return [a for a, (sources, _, roles) in TRANSITIONS.items() if state in sources and role in roles]


def check(case: Case, action: str, actor: Actor) -> State:
    """Refuse an action the actor's role may not take, or that the state does not allow."""
    sources, target, roles = TRANSITIONS[action]
    if actor.role not in roles:
        raise Forbidden(f"the role '{actor.role}' may not {action} a case")
    if actor.role is Role.AGENCY and (case.agency is None or case.agency.id != actor.agency_id):
        raise Forbidden("this case is not assigned to your agency")
    if case.state not in sources:
        raise IllegalTransition(case.state, action)
    return target or case.state


@dataclass(frozen=True)
class SlaPolicy:
    """The configurable numbers of the handling rules (per deployment)."""

    escalate_after_business_days: int = 3  # late this long: escalated to the agency head
    feedback_days: int = 14  # after completion, the citizen may answer; then the sweep closes the case
    dispute_days: int = 30  # after completion, a (closed) case can still be reopened; then a new complaint


DEFAULT_POLICY = SlaPolicy()


def running_due(kind: DueKind, basis: datetime, calendar: BusinessCalendar,
                policy: SlaPolicy = DEFAULT_POLICY) -> Due:
    """The deadline of ``kind`` for a clock started at ``basis`` (SPEC §2)."""
    if kind is DueKind.FEEDBACK:
        return Due(kind=kind, at=end_of_day(local_date(basis) + timedelta(days=policy.feedback_days)), basis=basis)
    if kind is DueKind.DISPATCH:
        at = dispatch_due(basis)
    elif kind is DueKind.ACK:
        at = calendar.ack_due(basis)
    elif kind is DueKind.FIRST_PROGRESS:
        at = calendar.first_progress_due(basis)
    else:
        at = calendar.checkpoint_due(local_date(basis))
    return Due(kind=kind, at=at, basis=basis)


@dataclass(frozen=True)
class Change:
    """A case after a change, and the history events the change appended."""

    case: Case
    events: Sequence[HistoryEvent]
    expected_version: int  # the version the case had before: the store's condition


class _Builder:
    """Accumulates events on a case, numbering them from its version."""

    def __init__(self, case: Case, expected_version: int):
        self.case = case
        self.events: list[HistoryEvent] = []
        self.expected_version = expected_version

    def add(self, type_: str, at: datetime, by: Actor, note: str | None = None,
            data: dict[str, Any] | None = None, notices: tuple[str, ...] = (), **updates: Any) -> _Builder:
        case = self.case.model_copy(update=updates | {"version": self.case.version + 1})
        self.events.append(HistoryEvent(seq=case.version, type=type_, at=at, by=by, note=note,
                                        state=case.state, data=data or {}, notices=notices))
        self.case = case
        return self

    def change(self) -> Change:
        return Change(self.case, tuple(self.events), self.expected_version)


def _citizen(case: Case) -> tuple[str, ...]:
    """The citizen's notice for an event, when they asked to be told and can be reached."""
    channel = citizen_channel(case.complainant) if case.notify else None
    return (f"citizen_{channel}",) if channel else ()


def _agency_ref(agency: Agency, section: str | None) -> AgencyRef:
    return AgencyRef(id=agency.id, name_th=agency.name_th, name_en=agency.name_en, section=section)


def _dispatch(b: _Builder, agency: Agency, section: str | None, actor: Actor, at: datetime,
              calendar: BusinessCalendar, note: str | None) -> None:
    due = running_due(DueKind.ACK, at, calendar)
    b.add("routed", at, actor, note, {"agency_id": agency.id, "section": section, "due": due.at.isoformat()},
          ("agency_email", *_citizen(b.case)), state=State.DISPATCHED, agency=_agency_ref(agency, section),
          referral=None, due=due, dispatch_seq=b.case.version + 1)


def _refer(b: _Builder, org: Agency, channel: str, reference: str | None, actor: Actor,
           at: datetime, note: str | None) -> None:
    referral = Referral(agency_id=org.id, name_th=org.name_th, name_en=org.name_en, hotline=org.hotline,
                        channel=channel, reference=reference, referred_at=at)
    b.add("referred", at, actor, note, {"agency_id": org.id, "channel": channel, "reference": reference},
          _citizen(b.case), state=State.REFERRED, referral=referral, agency=None, due=None)


def receive(case: Case, decision: RoutingDecision, calendar: BusinessCalendar, actor: Actor) -> Change:
    """A new complaint, filed by ``actor`` (a citizen, or the call centre on the phone):
    recorded in triage, then routed at once where the routing allows.

    ``case`` is the draft: state triage, version 0, no history.
    """
    at = case.received_at
    b = _Builder(case, expected_version=0)
    b.add("received", at, actor, None, {"category": case.category, "channel": case.channel},
          state=State.TRIAGE, due=running_due(DueKind.DISPATCH, at, calendar))
    system = Actor(role=Role.SYSTEM, id="auto-routing")
    if decision.kind == "agency" and decision.agency is not None:
        _dispatch(b, decision.agency, decision.section, system, at, calendar, decision.reason)
    elif decision.kind == "referral" and decision.agency is not None and decision.channel:
        _refer(b, decision.agency, decision.channel, None, system, at, decision.reason)
    return b.change()


def route(case: Case, agency: Agency, section: str | None, actor: Actor, at: datetime,
          calendar: BusinessCalendar, note: str | None) -> Change:
    """The call centre routes a triage case, or re-routes a dispatched one."""
    check(case, "route", actor)
    b = _Builder(case, case.version)
    _dispatch(b, agency, section, actor, at, calendar, note)
    return b.change()


def refer(case: Case, org: Agency, channel: str, reference: str | None, actor: Actor,
          at: datetime, note: str | None) -> Change:
    """The call centre refers a triage case to an organisation outside the city's authority."""
    check(case, "refer", actor)
    b = _Builder(case, case.version)
    _refer(b, org, channel, reference, actor, at, note)
    return b.change()


# --- the agency's actions -----------------------------------------------------------------

def _on_time(case: Case, at: datetime) -> bool | None:
    return at <= case.due.at if case.due else None


def acknowledge(case: Case, actor: Actor, at: datetime, calendar: BusinessCalendar, note: str | None) -> Change:
    """The agency acknowledges: first progress is due 3 business days after today."""
    check(case, "acknowledge", actor)
    b = _Builder(case, case.version)
    due = running_due(DueKind.FIRST_PROGRESS, at, calendar)
    b.add("acknowledged", at, actor, note, {"on_time": _on_time(case, at), "due": due.at.isoformat()},
          state=State.ACKNOWLEDGED, due=due)
    return b.change()


def progress(case: Case, actor: Actor, at: datetime, calendar: BusinessCalendar, note: str | None,
             expected_completion: date | None) -> Change:
    """A progress report: the next one is due at the next checkpoint (15th / 30th)."""
    check(case, "progress", actor)
    b = _Builder(case, case.version)
    due = running_due(DueKind.CHECKPOINT, at, calendar)
    b.add("progress", at, actor, note,
          {"on_time": _on_time(case, at), "due": due.at.isoformat(), "first": case.state is State.ACKNOWLEDGED,
           "expected_completion": expected_completion.isoformat() if expected_completion else None},
          _citizen(case), state=State.IN_PROGRESS, due=due)
    return b.change()


def complete(case: Case, actor: Actor, at: datetime, note: str | None, evidence_urls: tuple[str, ...],
             policy: SlaPolicy = DEFAULT_POLICY) -> Change:
    """The agency reports completion; from ``dispatched`` it also records the acknowledgement.

    The citizen's feedback window starts (``due.kind == "feedback"``): the sweep
    closes the case when it passes without an answer.
    """
    check(case, "complete", actor)
    b = _Builder(case, case.version)
    if case.state is State.DISPATCHED:
        b.add("acknowledged", at, actor, None, {"on_time": _on_time(case, at), "with_completion": True},
              state=State.ACKNOWLEDGED)
    b.add("completed", at, actor, note, {"evidence_urls": list(evidence_urls), "on_time": _on_time(case, at)},
          _citizen(case), state=State.COMPLETED, completed_at=at,
          due=running_due(DueKind.FEEDBACK, at, BusinessCalendar(), policy))
    return b.change()


def handback(case: Case, actor: Actor, at: datetime, reason: str, calendar: BusinessCalendar) -> Change:
    """Not ours: back to the call centre's triage queue (told by e-mail), its 24-hour clock restarted."""
    check(case, "handback", actor)
    b = _Builder(case, case.version)
    b.add("handed_back", at, actor, reason, {"agency_id": case.agency.id if case.agency else None},
          ("callcenter_email", *_citizen(case)), state=State.TRIAGE, agency=None,
          due=running_due(DueKind.DISPATCH, at, calendar))
    return b.change()


def recompute_due(case: Case, calendar: BusinessCalendar, at: datetime, note: str) -> Change | None:
    """The running deadline again, after the special holidays changed: a ``deadline_moved``
    event when it moves, None when it does not (or no clock runs)."""
    if case.due is None or case.due.basis is None:
        return None
    due = running_due(case.due.kind, case.due.basis, calendar)
    if due.at == case.due.at:
        return None
    b = _Builder(case, case.version)
    b.add("deadline_moved", at, SYSTEM, note, {"from": case.due.at.isoformat(), "to": due.at.isoformat(),
                                               "kind": due.kind}, due=due)
    return b.change()


# --- the daily follow-up (rule 4) --------------------------------------------------------------


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
        b = _Builder(case, case.version)
        b.add("closed", now, SYSTEM, f"no answer within {policy.feedback_days} days of completion",
              {"reason": "no_feedback"}, state=State.CLOSED, due=None)
        return b.change()
    today = local_date(now)
    base = {"kind": due.kind, "due": due.at.isoformat()}
    if case.agency:
        base |= {"agency_id": case.agency.id, "dispatch_seq": case.dispatch_seq}
    b = _Builder(case, case.version)
    if due.overdue_at is None:
        due = due.model_copy(update={"overdue_at": now})
        b.add("overdue", now, SYSTEM, None, base,
              ("supervisors_email",) if due.kind is DueKind.DISPATCH else (), due=due)
    if due.kind is not DueKind.DISPATCH and case.agency is not None:
        if due.chased_on != today:
            first = due.chased_on is None
            due = due.model_copy(update={"chased_on": today})
            b.add("chased", now, SYSTEM, None, base, ("agency_email", *(_citizen(case) if first else ())), due=due)
        late = calendar.business_days_between(local_date(due.at), today)
        if due.escalated_at is None and late >= policy.escalate_after_business_days:
            due = due.model_copy(update={"escalated_at": now})
            b.add("escalated", now, SYSTEM, None, base | {"business_days_late": late},
                  ("head_email", "operators_sns"), due=due)
    return b.change() if b.events else None


# --- feedback, reopening and audit (rules 5 and 6) ---------------------------------------------------

class DisputeWindowClosed(IllegalTransition):
    def __init__(self, state: str, until: datetime | None):
        super().__init__(state, "reopen")
        when = f" on {until.date().isoformat()}" if until else ""
        self.message = (f"the case is '{state}' and its dispute window closed{when}: "
                        "file a new complaint (POST /complaints)")


def dispute_until(case: Case, policy: SlaPolicy) -> datetime | None:
    """The end of the dispute window: the last day the case can be reopened."""
    if case.completed_at is None:
        return None
    return end_of_day(local_date(case.completed_at) + timedelta(days=policy.dispute_days))


def _check_reopen(case: Case, actor: Actor, at: datetime, policy: SlaPolicy) -> None:
    check(case, "reopen", actor)
    until = dispute_until(case, policy)
    if until is None or at > until:
        raise DisputeWindowClosed(case.state, until)


def _reopen(b: _Builder, actor: Actor, at: datetime, reason: str, calendar: BusinessCalendar,
            data: dict[str, Any]) -> None:
    """Back to the agency that completed it, with fresh deadlines (or to triage if it has none)."""
    case = b.case
    if case.agency is not None:
        due = running_due(DueKind.ACK, at, calendar)
        b.add("reopened", at, actor, reason, data | {"agency_id": case.agency.id, "due": due.at.isoformat()},
              ("agency_email", *_citizen(case)), state=State.DISPATCHED, due=due,
              reopen_count=case.reopen_count + 1, dispatch_seq=case.version + 1)
    else:
        b.add("reopened", at, actor, reason, data, _citizen(case), state=State.TRIAGE,
              due=running_due(DueKind.DISPATCH, at, calendar), reopen_count=case.reopen_count + 1)


def reopen(case: Case, actor: Actor, at: datetime, reason: str, calendar: BusinessCalendar,
           policy: SlaPolicy = DEFAULT_POLICY) -> Change:
    """The call centre reopens on the citizen's behalf (a phone call), with a reason."""
    _check_reopen(case, actor, at, policy)
    b = _Builder(case, case.version)
    _reopen(b, actor, at, reason, calendar, {"by_request_of": "citizen"})
    return b.change()


def feedback(case: Case, actor: Actor, at: datetime, fixed: bool, satisfied: bool, comment: str | None,
             calendar: BusinessCalendar, policy: SlaPolicy = DEFAULT_POLICY) -> Change:
    """The citizen's answer after completion: fixed and satisfied closes the case; a no reopens it."""
    if case.state not in (State.COMPLETED, State.CLOSED) or case.completed_at is None:
        raise IllegalTransition(case.state, "give feedback on")
    happy = fixed and satisfied
    if not happy:
        _check_reopen(case, actor, at, policy)
    elif case.state is State.CLOSED:
        raise IllegalTransition(case.state, "confirm")
    b = _Builder(case, case.version)
    b.add("feedback", at, actor, comment, {"fixed": fixed, "satisfied": satisfied})
    if happy:
        b.add("closed", at, actor, None, {"reason": "confirmed"}, state=State.CLOSED, due=None)
    else:
        _reopen(b, actor, at, comment or ("not fixed" if not fixed else "not satisfied"), calendar,
                {"fixed": fixed, "satisfied": satisfied})
    return b.change()


def audited(case: Case, actor: Actor, at: datetime, audit_id: str, verdict: str, note: str | None,
            calendar: BusinessCalendar, agency_id: str, current: bool) -> Change:
    """An auditor's verdict on a completion; ``inconsistent`` counts against ``agency_id`` (the agency
    that completed it) and reopens the case — when the audited completion is still the case's
    last (``current``) and the case has not moved on. An audit may reopen after the citizen's
    dispute window: the finding is the city's own."""
    if actor.role is not Role.AUDITOR:
        raise Forbidden("only an auditor records an audit verdict")
    if verdict not in ("consistent", "inconsistent"):
        raise InvalidInput("verdict is 'consistent' or 'inconsistent'")
    b = _Builder(case, case.version)
    b.add("audited", at, actor, note, {"audit_id": audit_id, "verdict": verdict, "agency_id": agency_id})
    if verdict == "inconsistent" and current and case.state in (State.COMPLETED, State.CLOSED):
        _reopen(b, actor, at, note or "audit found the completion inconsistent", calendar, {"audit_id": audit_id})
    return b.change()
