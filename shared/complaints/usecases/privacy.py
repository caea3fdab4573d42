"""Personal data (PDPA, ``docs/privacy.md``): an admin's erasure, and the retention the daily job
enforces. Both anonymise the case the same way (``domain.privacy.anonymise``): one versioned
transaction that empties the complainant's data and appends an ``anonymised`` event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from aws_lambda_powertools import Logger

from ..commands import EraseComplainant
from ..domain import privacy
from ..domain.calendar import local_date
from ..domain.changes import Change
from ..domain.errors import Conflict
from ..domain.events import Anonymised
from ..domain.model import SYSTEM, Case, State
from ..ports import PrivacyStore
from .base import Workflow
from .photos import Photos

logger = Logger(child=True)
#: Cases one daily run anonymises at most; the rest wait for the next run (oldest first).
RETENTION_BATCH = 5000


@dataclass(frozen=True)
class Erasure:
    case_id: str
    erased: bool  # False: nothing was left to erase (erased before); nothing changed
    fields: list[str]  # the names of the fields that held data, never their values
    anonymised_at: datetime | None


@dataclass
class Retention:
    cutoff: date  # cases closed on this local day or before were due
    anonymised: int = 0
    more: bool = False  # the batch was full: the next run goes on
    conflicts: list[str] = field(default_factory=list)


class Privacy:
    def __init__(
        self, workflow: Workflow, store: PrivacyStore, photos: Photos, retention_days: int, batch: int = RETENTION_BATCH
    ):
        self.w = workflow
        self.store = store
        self.photos = photos
        self.retention_days = retention_days
        self.batch = batch

    def erase(self, cmd: EraseComplainant) -> Erasure:
        """An admin erases the complainant's data (with a reason). Erasing again changes nothing
        and says so (``erased`` false): a retried request is harmless."""
        seen: list[Case] = []

        def decide(case: Case) -> Change | None:
            seen.append(case)
            return privacy.anonymise(case, cmd.actor, cmd.at, cmd.reason)

        case = self.w.cases.get_case(cmd.case_id)
        if case.anonymised_at is None:
            self.photos.forget_places(case.photos)
        change = self.w.apply(case, decide)
        if change is None:
            return Erasure(cmd.case_id, False, [], seen[-1].anonymised_at)
        event = change.events[-1]
        fields = event.data.fields if isinstance(event.data, Anonymised) else []
        return Erasure(cmd.case_id, True, fields, change.case.anonymised_at)

    def retain(self, now: datetime) -> Retention:
        """Anonymise the closed cases whose retention period has ended, oldest first, at most
        ``batch`` per run. Idempotent and resumable: an anonymised case leaves the index."""
        cutoff = privacy.retention_cutoff(local_date(now), self.retention_days)
        report = Retention(cutoff)

        def due(case: Case) -> bool:
            return case.state is State.CLOSED and case.closed_at is not None and local_date(case.closed_at) <= cutoff

        def decide(case: Case) -> Change | None:
            return privacy.anonymise(case, SYSTEM, now, privacy.RETENTION, privacy.RETENTION) if due(case) else None

        for indexed in self.store.closed_through(cutoff):
            if report.anonymised >= self.batch:
                report.more = True
                break
            try:
                if due(indexed) and indexed.anonymised_at is None:
                    self.photos.forget_places(indexed.photos)
                report.anonymised += self.w.apply(indexed, decide) is not None
            except Conflict:
                report.conflicts.append(indexed.id)
                logger.warning("case kept changing during the retention run", extra={"case": indexed.id})
        return report
