"""A change to a case: the case after it and the history events it appended, built event by event.

Every change of ``lifecycle`` and ``followup`` is made with a :class:`Builder`; the caller
stores the :class:`Change` in one transaction, on the version the case had before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import events as ev
from .deadlines import ending
from .events import EventContext, EventType, HistoryEvent, Notice
from .model import Actor, Case, State, citizen_channel

OPEN_WITH_AGENCY = frozenset({State.DISPATCHED, State.ACKNOWLEDGED, State.IN_PROGRESS})


@dataclass(frozen=True)
class Change:
    """A case after a change, and the history events the change appended."""

    case: Case
    events: Sequence[HistoryEvent]
    expected_version: int  # the version the case had before: the store's condition


class Builder:
    """Accumulates events on a case, numbering them from its version."""

    def __init__(self, case: Case):
        self.case = case
        self.events: list[HistoryEvent] = []
        self.expected_version = case.version

    def add(
        self,
        type_: EventType,
        data: ev.Payload,
        at: datetime,
        by: Actor,
        note: str | None = None,
        notices: tuple[Notice, ...] = (),
        fulfils: bool | None = None,
        **updates: Any,
    ) -> Builder:
        """Append an event. ``fulfils``: the event ends the running deadline, by doing its duty
        (True) or not (False: the case leaves); None: the deadline runs on (or moves)."""
        if not isinstance(data, ev.PAYLOADS[type_]):
            raise TypeError(f"a '{type_}' event carries {ev.PAYLOADS[type_].__name__}, not {type(data).__name__}")
        before = self.case
        holder = before.agency.id if before.agency else None
        ended = ending(before.due, at, fulfils, holder) if fulfils is not None else None
        public = {"public_note": note} if type_ in ev.CITY_NOTES and note else {}
        case = before.model_copy(update=updates | public | {"version": before.version + 1, "updated_at": at})
        if (case.state is State.CLOSED) != (before.state is State.CLOSED):  # the retention period's start
            case = case.model_copy(update={"closed_at": at if case.state is State.CLOSED else None})
        self.events.append(
            HistoryEvent(
                seq=case.version,
                type=type_,
                at=at,
                by=by,
                note=note,
                state=case.state,
                data=data,
                notices=notices,
                ended=ended,
                context=context(before, case),
            )
        )
        self.case = case
        return self

    def change(self) -> Change:
        return Change(self.case, tuple(self.events), self.expected_version)


def _open_with(case: Case) -> str | None:
    """The agency whose open queue the case is in (dispatched, acknowledged, in progress), if any."""
    return case.agency.id if case.agency and case.state in OPEN_WITH_AGENCY else None


def context(before: Case, after: Case) -> EventContext:
    """The case around an event, for the reports (``events.EventContext``)."""
    agency = before.agency or after.agency
    return EventContext(
        category=after.category,
        district=after.district,
        agency=agency.id if agency else None,
        open_before=_open_with(before),
        open_after=_open_with(after),
    )


def citizen_notice(case: Case) -> tuple[Notice, ...]:
    """The citizen's notice for an event, when they asked to be told and can be reached."""
    channel = citizen_channel(case.complainant) if case.notify else None
    if channel == "sms":
        return (Notice.CITIZEN_SMS,)
    return (Notice.CITIZEN_EMAIL,) if channel == "email" else ()
