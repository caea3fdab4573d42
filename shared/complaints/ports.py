"""Ports: what the use cases need from the world outside, as small Protocols.

The adapters implement them — ``adapters.dynamo`` (one DynamoDB table),
``adapters.notify`` (SES and SNS), ``adapters.s3photos`` (the photo bucket) — and
``tests/fakes.py`` holds in-memory fakes of each, for the use cases' unit tests. The use
cases know nothing else of AWS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

from .api_key_ports import ApiKeyStore as ApiKeyStore
from .domain.audit import Candidate, Draw
from .domain.changes import Change
from .domain.events import HistoryEvent, Notice
from .domain.model import Case, State
from .domain.queues import ListOrder
from .photo_ports import PhotoStore as PhotoStore
from .photo_ports import StoredObject as StoredObject
from .photo_ports import Upload as Upload
from .photo_ports import UploadForm as UploadForm
from .photo_ports import UploadStore as UploadStore
from .reference_ports import CatalogueSource as CatalogueSource
from .reference_ports import ChangePage as ChangePage
from .reference_ports import ReferenceStore as ReferenceStore

# --- cases ------------------------------------------------------------------------------------


class CaseRecord(NamedTuple):
    """A case and its whole history, oldest event first."""

    case: Case
    history: list[HistoryEvent]


@dataclass(frozen=True)
class CaseQuery:
    """The filters of ``GET /complaints``; ``now`` decides what is overdue."""

    now: datetime
    agency: str | None = None
    state: State | None = None
    district: str | None = None
    category: str | None = None
    overdue: bool = False
    order: ListOrder = ListOrder.NEWEST

    def fingerprint(self) -> str:
        """What a cursor is bound to: the filters it was issued for, and the order."""
        parts = [self.agency, self.state, self.district, self.category, str(self.overdue), self.order]
        return hashlib.sha256("|".join(p or "" for p in parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Page:
    cases: list[Case]
    cursor: str | None


@dataclass(frozen=True)
class CloseAudit:
    """Also write, with a case change: the open audit gets its verdict (fails if already decided)."""

    audit_id: str
    verdict: str
    note: str | None
    auditor: str
    at: datetime


@dataclass(frozen=True)
class ClaimUpload:
    """Also write, with a case change: the upload is used by this case (fails if it is not the
    owner's, or was used already), so that one photo belongs to one case, once."""

    upload_id: str
    owner: str
    case_id: str
    at: datetime


#: What a case change may also write in its transaction.
AlsoWrite = CloseAudit | ClaimUpload


class CaseRepository(Protocol):
    """Cases and their history: every change is one transaction, on the version that was read."""

    def create(self, change: Change, also: Sequence[AlsoWrite] = ()) -> None:
        """A new case; :class:`~.domain.errors.Conflict` when its id is taken."""

    def save(self, change: Change, also: Sequence[AlsoWrite] = ()) -> None:
        """A change, on the condition that the case is still at ``change.expected_version``
        (else :class:`~.domain.errors.Conflict`); ``also`` succeeds or fails with it."""

    def get(self, case_id: str) -> CaseRecord: ...
    def get_case(self, case_id: str) -> Case: ...
    def get_event(self, case_id: str, seq: int) -> HistoryEvent: ...
    def list(self, query: CaseQuery, limit: int, cursor: str | None) -> Page: ...

    def by_phone(self, phone: str, limit: int, cursor: str | None) -> Page:
        """The cases whose complainant gave this E.164 phone, newest first (erased ones: not)."""

    def due_before(self, now: datetime) -> Iterator[Case]:
        """Every case whose running deadline has passed (the sparse due index)."""

    def count_due(self, agency: str, start: datetime | None, end: datetime) -> int:
        """How many of an agency's cases have a running duty deadline in [start, end) (no start:
        every one before ``end``); the agency's deadline queue (``domain.queues.queue_deadline``)."""

    def due_between(self, start: datetime, end: datetime) -> Iterator[Case]:
        """Cases whose running deadline falls in [start, end]."""

    def received(
        self, states: Sequence[State], start: datetime, end: datetime, categories: Sequence[str], limit: int
    ) -> list[Case]:
        """The cases in ``states`` received in [start, end] (of ``categories``; all when empty), newest
        first, at most ``limit`` (the public list: Open311's ``GET requests``)."""


# --- the outbox ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    claimed: list[Notice]  # the notices this caller may now send
    done: list[Notice]  # already sent or skipped


class OutboxStore(Protocol):
    """Notices owed by history events: claimed before they are sent, recorded after."""

    def owed(self) -> Iterator[tuple[str, int]]:
        """(case id, seq) of every event that still owes a notice."""

    def claim(
        self, case_id: str, seq: int, notices: Sequence[Notice], at: datetime, stale_before: datetime
    ) -> Claim: ...

    def finish(
        self, case_id: str, seq: int, outcomes: dict[Notice, str], failures: dict[Notice, str], at: datetime, done: bool
    ) -> None: ...


# --- special holidays ------------------------------------------------------------------------


@dataclass(frozen=True)
class SpecialHolidays:
    added: dict[date, str] = field(default_factory=dict)  # extra days off, with their names
    removed: set[date] = field(default_factory=set)  # official holidays that are working days after all


class HolidayStore(Protocol):
    def special_holidays(self, since: date, until: date) -> SpecialHolidays: ...
    def put(self, day: date, name: str | None, removed: bool, by: str) -> None: ...
    def delete(self, day: date) -> bool: ...


# --- audits ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audit:
    id: str
    case_id: str
    seq: int  # the audited `completed` event
    agency_id: str
    status: str  # open | consistent | inconsistent
    drawn_at: str  # ISO instant
    reminded_at: str | None = None


@dataclass(frozen=True)
class AuditTally:
    """An agency's month: audits drawn, and the completions not drawn (the pool of the minimum)."""

    agency_id: str
    drawn: int
    pool: list[str]  # "<case id>#<seq>"


class AuditRepository(Protocol):
    def candidates(self, before: datetime) -> Iterator[Candidate]:
        """Completions not yet put to the draw, up to ``before``."""

    def record(self, day: str, agency: str, draws: Sequence[Draw], rate: float, source: str, at: datetime) -> list[str]:
        """Record one agency's draw of the day; the ids of the audits it opened."""

    def months(self, month: str) -> list[AuditTally]: ...

    def settle(
        self, month: str, agency: str, chosen: Candidate, pool: Sequence[str], index: int, source: str, at: datetime
    ) -> bool:
        """Open the month's one audit for an agency that had none; False when it already had."""

    def open_audits(self) -> list[Audit]: ...
    def get(self, audit_id: str) -> Audit: ...
    def mark_reminded(self, audit_id: str, at: datetime) -> bool: ...
    def unmark_reminded(self, audit_id: str) -> None: ...


# --- reports ------------------------------------------------------------------------------------


class ReportStore(Protocol):
    """The report's aggregates: each local day's counters per scope and month, kept as the days pass
    (SPEC §8, ``docs/kpi.md``); the frozen months; the e-mail sent once."""

    def events_of_day(self, day: date) -> Iterator[HistoryEvent]:
        """Every history event of a local day (the month index)."""

    def put_day(self, month: str, scope: str, day: date, counters: Mapping[str, int]) -> None:
        """A day's counters of one scope for one month, replacing what that day held before."""

    def month(self, month: str) -> dict[str, dict[str, int]]:
        """Every scope's counters of a month, summed over its days."""

    def rolled_up(self, day: date, complete: bool, at: datetime) -> None:
        """Mark a day rolled up (``complete``: after it ended, so never again)."""

    def complete_through(self) -> date | None:
        """The last day rolled up after it ended (and every day before it)."""

    def frozen(self, month: str) -> dict[str, Any] | None: ...

    def freeze(self, month: str, doc: Mapping[str, Any]) -> dict[str, Any]:
        """Keep a month's final report; the one already kept when there is one (first wins)."""

    def claim_email(self, month: str, at: datetime, stale_before: datetime) -> bool:
        """True for the one caller that may send the month's e-mail now."""

    def email_done(self, month: str, at: datetime, sent: bool) -> None:
        """Sent for good, or released for a retry."""


# --- personal data (PDPA) ----------------------------------------------------------------------


class PrivacyStore(Protocol):
    """What the retention and the per-recipient notice limit need (``docs/privacy.md``)."""

    def closed_through(self, day: date) -> Iterator[Case]:
        """Closed cases that still hold a complainant's data and closed on this local day or
        before, oldest first (a sparse index: anonymised cases leave it)."""

    def count_notified(self, recipient: str, day: date, limit: int) -> bool:
        """Count one more case notified to ``recipient`` (a keyed hash) on a local day; False, and
        nothing counted, when ``limit`` cases were already counted that day."""


# --- ids -------------------------------------------------------------------------------------


class Ids(Protocol):
    """Where new case ids and tracking tokens come from (``domain.ids.RandomIds`` in production)."""

    def case_id(self, received_at: datetime) -> str: ...
    def tracking_token(self) -> str: ...


# --- messages ---------------------------------------------------------------------------------


class Notifier(Protocol):
    """E-mail, SMS and the operators' topic."""

    def email(self, to: str, subject: str, html: str, text: str) -> None: ...
    def sms(self, phone: str, text: str) -> None: ...
    def publish(self, topic_arn: str, subject: str, text: str) -> None: ...
    def raw_email(self, to: list[str], message: bytes) -> None:
        """A whole MIME message (attachments, inline parts), as it is."""
