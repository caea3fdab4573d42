"""What one history event adds to the report's counters (SPEC §8), as increments.

An increment is (month, scope, counter, n): the local month it counts in, the scope
(``agency:<id>``, ``centre``, ``category:<code>``, ``district:<code>``), the counter
and how much. Events count in the month of their instant; a deadline's fate counts in
the month of the deadline's (final) instant. The counters are summed per scope and
month; ``figures`` turns them into the report's fields.

Each missed deadline is counted once: by the sweep's ``overdue`` event, or — when the
duty was done late before any sweep saw it — by the event that ended it
(``ended.fate == missed`` and not ``ended.was_overdue``).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from ..calendar import local_month as month_of
from ..events import (
    Audited,
    Closed,
    Completed,
    DeadlineMoved,
    EventType,
    Fate,
    HistoryEvent,
    Late,
    Received,
    Referred,
    Reopened,
    Routed,
)
from ..model import DueKind

CENTRE = "centre"
AUTO_ROUTING = "auto-routing"


class Increment(NamedTuple):
    month: str
    scope: str
    counter: str
    n: int = 1


def agency(agency_id: str) -> str:
    return f"agency:{agency_id}"


def _deadline(kind: DueKind, owner: str | None, at: datetime, fate: Fate) -> Increment | None:
    """A met or missed duty deadline, in the month of its instant: the call centre's (dispatch) or its agency's."""
    if kind is DueKind.DISPATCH:
        return Increment(month_of(at), CENTRE, f"dispatch_{fate}")
    if owner is None:
        return None
    return Increment(month_of(at), agency(owner), f"{kind}_{fate}")


def _deadlines(event: HistoryEvent) -> list[Increment]:
    out: list[Increment | None] = []
    end = event.ended
    if end is not None and (end.fate is Fate.MET or (end.fate is Fate.MISSED and not end.was_overdue)):
        out.append(_deadline(end.kind, end.agency_id, end.at, end.fate))
    data = event.data
    if event.type is EventType.OVERDUE and isinstance(data, Late):
        out.append(_deadline(data.kind, data.agency_id, data.due, Fate.MISSED))
    if isinstance(data, DeadlineMoved) and data.was_overdue:  # the missed count moves with the deadline
        owner = event.context.agency if event.context else None
        taken = _deadline(data.kind, owner, data.moved_from, Fate.MISSED)
        out.append(taken._replace(n=-1) if taken else None)
        if data.still_missed:
            out.append(_deadline(data.kind, owner, data.to, Fate.MISSED))
    return [i for i in out if i is not None]


def _open(event: HistoryEvent, month: str) -> list[Increment]:
    """Open cases (dispatched, acknowledged, in progress) as a running balance per agency and district."""
    ctx = event.context
    if ctx is None or ctx.open_before == ctx.open_after:
        return []
    out = []
    if ctx.open_before:
        out.append(Increment(month, agency(ctx.open_before), "open", -1))
    if ctx.open_after:
        out.append(Increment(month, agency(ctx.open_after), "open", 1))
    if ctx.district and (ctx.open_before is None) != (ctx.open_after is None):
        out.append(Increment(month, f"district:{ctx.district}", "open", 1 if ctx.open_after else -1))
    return out


def _centre(event: HistoryEvent, month: str) -> list[Increment]:
    data, auto = event.data, event.by.id == AUTO_ROUTING
    if isinstance(data, Received):
        return [Increment(month, CENTRE, "received"), Increment(month, CENTRE, f"channel:{data.channel}")]
    if isinstance(data, Referred):
        return [Increment(month, CENTRE, f"referred_{data.channel}")] + (
            [Increment(month, CENTRE, "routed_automatically")] if auto else []
        )
    if isinstance(data, Routed) and auto:
        return [Increment(month, CENTRE, "routed_automatically")]
    if isinstance(data, Closed) and data.reason == "not_actionable":
        return [Increment(month, CENTRE, "closed_in_triage")]
    return []


def _agency(event: HistoryEvent, month: str) -> list[Increment]:
    data, ctx = event.data, event.context
    holder = ctx.agency if ctx else None
    named = getattr(data, "agency_id", None)
    simple = {
        EventType.ROUTED: ("dispatched", named),
        EventType.HANDED_BACK: ("handed_back", named),
        EventType.ACKNOWLEDGED: ("acknowledged", holder),
        EventType.CHASED: ("chases", named),
        EventType.ESCALATED: ("escalations", named),
    }
    out = []
    if event.type in simple:
        counter, owner = simple[event.type]
        if owner:
            out.append(Increment(month, agency(owner), counter))
    elif isinstance(data, Completed) and holder:
        out.append(Increment(month, agency(holder), "completed"))
        if data.business_days is not None:
            out.append(Increment(month, agency(holder), f"days_to_complete:{data.business_days}"))
    elif isinstance(data, Reopened) and data.agency_id:
        by = "reopened_by_audit" if data.audit_id else "reopened_by_citizen"
        out += [Increment(month, agency(data.agency_id), "reopened"), Increment(month, agency(data.agency_id), by)]
    elif isinstance(data, Audited):
        out.append(Increment(month, agency(data.agency_id), "audits"))
        if data.verdict == "inconsistent":
            out.append(Increment(month, agency(data.agency_id), "audits_inconsistent"))
    elif event.type is EventType.FEEDBACK and holder:
        happy = getattr(data, "fixed", False) and getattr(data, "satisfied", False)
        out.append(Increment(month, agency(holder), "citizens_satisfied" if happy else "citizens_unsatisfied"))
    return out


def _breakdowns(event: HistoryEvent, month: str) -> list[Increment]:
    ctx = event.context
    if ctx is None:
        return []
    counter = {EventType.RECEIVED: "received", EventType.COMPLETED: "completed", EventType.REOPENED: "reopened"}
    name = counter.get(event.type)
    if name is None:
        return []
    out = [Increment(month, f"category:{ctx.category}", name)]
    if ctx.district and name != "reopened":
        out.append(Increment(month, f"district:{ctx.district}", name))
    return out


def increments(event: HistoryEvent) -> list[Increment]:
    """Everything one history event adds to the report's counters."""
    month = month_of(event.at)
    return [
        *_centre(event, month),
        *_agency(event, month),
        *_deadlines(event),
        *_open(event, month),
        *_breakdowns(event, month),
    ]
