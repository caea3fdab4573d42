"""The deadlines a case runs (SPEC §2–§3) and how each ends (SPEC §8). Pure.

A case runs at most one deadline at a time (``Case.due``). :func:`running_due`
starts one; :func:`ending` says what became of the running one when an event
ends it: met (the duty was done in time), missed (the instant passed first) or
void (the case left before the instant, the duty not done).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .calendar import BusinessCalendar, dispatch_due, end_of_day, local_date
from .events import DeadlineEnd, Fate
from .model import DUTY_KINDS, Due, DueKind


@dataclass(frozen=True)
class SlaPolicy:
    """The configurable numbers of the handling rules (per deployment: the template's parameters)."""

    escalate_after_business_days: int  # late this long: escalated to the agency head
    feedback_days: int  # after completion, the citizen may answer; then the sweep closes the case
    dispute_days: int  # after completion, a (closed) case can still be reopened; then a new complaint


def running_due(kind: DueKind, basis: datetime, calendar: BusinessCalendar, policy: SlaPolicy | None = None) -> Due:
    """The deadline of ``kind`` for a clock started at ``basis`` (SPEC §2)."""
    if kind is DueKind.FEEDBACK:
        if policy is None:
            raise ValueError("the feedback window needs the policy's feedback_days")
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


def ending(due: Due | None, at: datetime, fulfils: bool, agency_id: str | None = None) -> DeadlineEnd | None:
    """The end of the running duty deadline by an event at ``at``; ``fulfils``: the event does the duty;
    ``agency_id``: the agency the case is with (none: the call centre's dispatch deadline).

    None when no duty deadline runs (none at all, or the citizen's feedback window).
    """
    if due is None or due.kind not in DUTY_KINDS:
        return None
    fate = Fate.MISSED if at > due.at else Fate.MET if fulfils else Fate.VOID
    owner = None if due.kind is DueKind.DISPATCH else agency_id
    return DeadlineEnd(kind=due.kind, at=due.at, fate=fate, agency_id=owner, was_overdue=due.overdue_at is not None)
