"""The staff console's queues: the orders of a list, an agency's deadline queue, and "due today".

Pure: no I/O, no clock. The adapter keys an index with :func:`queue_deadline`; the use case asks
for the counts of :func:`due_windows`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from .calendar import BANGKOK, local_date
from .model import DUTY_KINDS, Case


class ListOrder(StrEnum):
    NEWEST = "newest"  # by receipt, newest first (the default)
    OLDEST = "oldest"  # by receipt, oldest first (the call centre's triage queue)
    DEADLINE = "deadline"  # an agency's queue: the running duty deadline, earliest (most overdue) first


def queue_deadline(case: Case) -> datetime | None:
    """The deadline that orders the case in its agency's queue: a duty deadline running while the
    case is with an agency (acknowledge, first progress, a checkpoint). None: not in the queue
    (no agency, referred, completed and waiting for the citizen's feedback, closed)."""
    if case.agency is None or case.due is None or case.due.kind not in DUTY_KINDS:
        return None
    return case.due.at


@dataclass(frozen=True)
class DueWindows:
    """``overdue``: deadlines before ``now``; ``due_today``: from ``now`` up to (not including)
    the next local midnight, so every deadline left on today's Bangkok calendar day."""

    now: datetime
    midnight: datetime


def due_windows(now: datetime) -> DueWindows:
    """The windows of an agency's due counts at the instant ``now`` (aware)."""
    tomorrow = local_date(now) + timedelta(days=1)
    return DueWindows(now, datetime.combine(tomorrow, time(0), tzinfo=BANGKOK))
