"""Commands: what a client asks of the use cases, as plain data.

The edges (the JSON API, the HTML pages, and later Open311 and the console) map
their requests into these; the use cases never see an HTTP model. Every
command carries who asks (``actor``) and when (``at``: the instant from the
event — API Gateway's ``requestTimeEpoch`` or the schedule's ``time``, never the
wall clock).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .domain.model import Actor, Complainant, Location, State
from .domain.queues import ListOrder
from .domain.reference import Edit
from .domain.transitions import Action


@dataclass(frozen=True, kw_only=True)
class Command:
    actor: Actor
    at: datetime


# --- intake and reading ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FileComplaint(Command):
    category: str
    description: str
    location: Location = field(default_factory=Location)
    district: str | None = None  # a DOPA code or a district's name
    complainant: Complainant = field(default_factory=Complainant)
    notify: bool = False
    channel: str = "web"
    photos: tuple[str, ...] = ()
    urgent: bool = False


@dataclass(frozen=True, kw_only=True)
class ReadCase:
    actor: Actor
    case_id: str
    token: str | None = None  # the citizen's tracking token (or a notice's signed one)


@dataclass(frozen=True, kw_only=True)
class ListCases(Command):
    limit: int
    cursor: str | None = None
    agency: str | None = None
    state: State | None = None
    district: str | None = None
    category: str | None = None
    overdue: bool = False
    order: ListOrder = ListOrder.NEWEST


@dataclass(frozen=True, kw_only=True)
class ListReceived(Command):
    """The public list (Open311's ``GET requests``): the cases in ``states`` received in [start, end],
    of ``categories`` (all when empty), newest first."""

    start: datetime
    end: datetime
    states: tuple[State, ...]
    categories: tuple[str, ...] = ()
    limit: int


@dataclass(frozen=True, kw_only=True)
class CountDue(Command):
    """An agency's queue counts at ``at``: overdue, and due later on the same local day."""

    agency: str | None = None  # an agency officer's own agency when None


@dataclass(frozen=True, kw_only=True)
class SearchByPhone(Command):
    """The call centre's search for a caller's cases; ``phone`` in E.164 (``+66…``)."""

    phone: str
    limit: int
    cursor: str | None = None


@dataclass(frozen=True, kw_only=True)
class OpenAgencyLink:
    token: str
    at: datetime


# --- the call centre ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RouteToAgency(Command):
    case_id: str
    agency_id: str
    section: str | None = None  # of a district office; the category's when not given
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReferOutside(Command):
    case_id: str
    agency_id: str  # the outside organisation
    channel: str  # hotline | letter
    reference: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class CloseCase(Command):
    case_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReturnToTriage(Command):
    case_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReopenCase(Command):
    case_id: str
    reason: str


# --- the agency ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AgencyCommand(Command):
    """An agency's action on a case. ``expected_version``: the version the actor saw (the action
    page's form); when the case has changed since, the action is refused as a conflict."""

    action: Action
    case_id: str
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class Acknowledge(AgencyCommand):
    action: Action = Action.ACKNOWLEDGE
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReportProgress(AgencyCommand):
    action: Action = Action.PROGRESS
    note: str
    expected_completion: date | None = None


@dataclass(frozen=True, kw_only=True)
class Complete(AgencyCommand):
    action: Action = Action.COMPLETE
    note: str
    evidence_urls: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class HandBack(AgencyCommand):
    action: Action = Action.HANDBACK
    reason: str


# --- the citizen, holidays, audits ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GiveFeedback(Command):
    case_id: str
    token: str | None
    fixed: bool
    satisfied: bool
    comment: str | None = None


@dataclass(frozen=True, kw_only=True)
class PutHoliday(Command):
    day: date
    name: str | None
    removed: bool = False


@dataclass(frozen=True, kw_only=True)
class DeleteHoliday(Command):
    day: date


@dataclass(frozen=True, kw_only=True)
class RecordVerdict(Command):
    audit_id: str
    verdict: str  # consistent | inconsistent
    note: str | None = None


# --- personal data (PDPA) -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class EraseComplainant(Command):
    """An admin erases the complainant's personal data from a case (the case stays, anonymous)."""

    case_id: str
    reason: str


# --- reference data (admin) ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ChangeReference(Command):
    edit: Edit  # an agency's or a category's fields, or a new one


@dataclass(frozen=True, kw_only=True)
class ListReferenceChanges(Command):
    limit: int
    cursor: str | None = None


# --- API keys of machine clients (admin) --------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class IssueApiKey(Command):
    name: str  # who the key is for, e.g. "FixMyStreet Bangkok"


@dataclass(frozen=True, kw_only=True)
class ListApiKeys(Command):
    pass


@dataclass(frozen=True, kw_only=True)
class RevokeApiKey(Command):
    key_id: str
