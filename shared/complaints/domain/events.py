"""What a case's history says: event types, the notices events owe, and a typed payload per type.

Every history event has a type (:class:`EventType`), a payload of the class
:data:`PAYLOADS` names for that type, and the notices it owes (:class:`Notice`).
An event that ends a running duty deadline also records which one and how it
ended (:class:`DeadlineEnd`: met, missed or void, SPEC §8), so that the reports
count those facts instead of re-deriving them.

A new event type: a member of :class:`EventType`, a payload class, a row of
:data:`PAYLOADS`; the lifecycle emits it, and ``docs/architecture.md`` says what
else may read it.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SerializeAsAny, model_validator

from .evidence import EvidenceCheck, Flag
from .model import Actor, DueKind, State


class EventType(StrEnum):
    RECEIVED = "received"
    ROUTED = "routed"
    REFERRED = "referred"
    ACKNOWLEDGED = "acknowledged"
    PROGRESS = "progress"
    COMPLETED = "completed"
    HANDED_BACK = "handed_back"
    OVERDUE = "overdue"
    CHASED = "chased"
    ESCALATED = "escalated"
    FEEDBACK = "feedback"
    REOPENED = "reopened"
    AUDITED = "audited"
    CLOSED = "closed"
    RETURNED_TO_TRIAGE = "returned_to_triage"
    DEADLINE_MOVED = "deadline_moved"
    ANONYMISED = "anonymised"  # the complainant's personal data erased (PDPA): on request, or at retention's end


#: Events whose note is the city's word to the public about the case: the agency's progress and
#: completion reports, and the referral. The latest is the case's ``public_note`` (Open311's
#: ``status_notes``); the citizen's view shows these notes and the citizen's own feedback.
CITY_NOTES = frozenset({EventType.PROGRESS, EventType.COMPLETED, EventType.REFERRED})


class Notice(StrEnum):
    """A message an event owes: one sender class per notice (``complaints.notices.senders``)."""

    AGENCY_EMAIL = "agency_email"
    CALLCENTER_EMAIL = "callcenter_email"
    CITIZEN_SMS = "citizen_sms"
    CITIZEN_EMAIL = "citizen_email"
    SUPERVISORS_EMAIL = "supervisors_email"
    HEAD_EMAIL = "head_email"
    OPERATORS_SNS = "operators_sns"


class Fate(StrEnum):
    """How a duty deadline ended (SPEC §8)."""

    MET = "met"  # the duty was done at or before the instant
    MISSED = "missed"  # the instant passed first, whatever happened later
    VOID = "void"  # the case left the agency before the instant, the duty not done: counted nowhere


class DeadlineEnd(BaseModel):
    """The duty deadline an event ended: its kind, its (final) instant, its fate, whose it was
    (the agency the case was with; none for the call centre's dispatch deadline), and whether
    the sweep had already recorded it missed (an ``overdue`` event): a missed deadline counts once."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    kind: DueKind
    at: datetime
    fate: Fate
    agency_id: str | None = None
    was_overdue: bool = False


class EventContext(BaseModel):
    """The case around an event, for the reports: its category and district, the agency it was with
    (before the event, else after), and whose open queue (dispatched, acknowledged, in progress) it
    was in before and after the event."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    category: str
    district: str | None = None
    agency: str | None = None
    open_before: str | None = None
    open_after: str | None = None


class Payload(BaseModel):
    """Base of the typed payloads. Stored as the event's ``data`` map; unknown keys are ignored."""

    model_config = ConfigDict(frozen=True, defer_build=True, serialize_by_alias=True, populate_by_name=True)


class Received(Payload):
    category: str
    channel: str


class Routed(Payload):
    agency_id: str
    section: str | None = None
    due: datetime


class Referred(Payload):
    agency_id: str
    channel: str
    reference: str | None = None


class Acknowledged(Payload):
    on_time: bool | None = None
    due: datetime | None = None  # the first-progress deadline it started (none when recorded with a completion)
    with_completion: bool = False


class Progress(Payload):
    on_time: bool | None = None
    due: datetime
    first: bool = False
    expected_completion: date | None = None


class Completed(Payload):
    evidence_urls: list[str] = Field(default_factory=list)  # stored photos (photo:<id>) and URLs
    #: each stored "after" photo checked against the complaint (domain.evidence), and the flags they raised
    evidence_checks: list[EvidenceCheck] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    on_time: bool | None = None
    #: business days d with dispatch date < d <= completion date, from the event that last sent the
    #: case to this agency (routed or reopened), special holidays as stored at completion (SPEC §8)
    business_days: int | None = None
    due: datetime | None = None  # the end of the citizen's feedback window it started (none: stored before)


class HandedBack(Payload):
    agency_id: str | None = None


class Late(Payload):
    """``overdue`` and ``chased``: the deadline that passed, and whose it was."""

    kind: DueKind
    due: datetime
    agency_id: str | None = None
    dispatch_seq: int | None = None


class Escalated(Late):
    business_days_late: int


class Feedback(Payload):
    fixed: bool
    satisfied: bool


class Reopened(Payload):
    agency_id: str | None = None  # none: back to triage (the case had no agency)
    due: datetime | None = None
    by_request_of: str | None = None  # "citizen": the call centre on a caller's behalf
    fixed: bool | None = None  # the citizen's feedback that reopened it
    satisfied: bool | None = None
    audit_id: str | None = None  # an inconsistent audit verdict


class Audited(Payload):
    audit_id: str
    verdict: str
    agency_id: str


class Closed(Payload):
    reason: str  # confirmed | no_feedback | not_actionable | referred_done


class ReturnedToTriage(Payload):
    agency_id: str | None = None  # the outside organisation it had been referred to


class DeadlineMoved(Payload):
    moved_from: datetime = Field(validation_alias=AliasChoices("from", "moved_from"), serialization_alias="from")
    to: datetime
    kind: DueKind
    #: the sweep had recorded the deadline missed (``overdue``) before it moved: that count moves with it
    was_overdue: bool = False
    #: and the new instant has passed too (it stays missed); else the missed count is taken back
    still_missed: bool = False


class Anonymised(Payload):
    """The complainant's personal data erased: why (``request``: an admin's, the reason in the note;
    ``retention``: the retention period ran out) and which fields held data — their names, never values."""

    basis: str  # request | retention
    fields: list[str] = Field(default_factory=list)


PAYLOADS: dict[EventType, type[Payload]] = {
    EventType.RECEIVED: Received,
    EventType.ROUTED: Routed,
    EventType.REFERRED: Referred,
    EventType.ACKNOWLEDGED: Acknowledged,
    EventType.PROGRESS: Progress,
    EventType.COMPLETED: Completed,
    EventType.HANDED_BACK: HandedBack,
    EventType.OVERDUE: Late,
    EventType.CHASED: Late,
    EventType.ESCALATED: Escalated,
    EventType.FEEDBACK: Feedback,
    EventType.REOPENED: Reopened,
    EventType.AUDITED: Audited,
    EventType.CLOSED: Closed,
    EventType.RETURNED_TO_TRIAGE: ReturnedToTriage,
    EventType.DEADLINE_MOVED: DeadlineMoved,
    EventType.ANONYMISED: Anonymised,
}


class HistoryEvent(BaseModel):
    """One append-only entry of a case's history. ``seq`` is the case version it produced.

    ``data`` is the payload of the event's type (:data:`PAYLOADS`), typed when read
    back from storage too; ``notices`` are what the event owes, written with it in the
    same transaction and sent after it (the outbox); ``ended`` is the duty deadline
    the event ended, if any.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    seq: int
    type: EventType
    at: datetime
    by: Actor
    note: str | None = None
    state: State  # the case's state after this event: the state can be rebuilt from history
    data: SerializeAsAny[Payload]
    notices: tuple[Notice, ...] = ()
    ended: DeadlineEnd | None = None
    context: EventContext | None = None

    @model_validator(mode="before")
    @classmethod
    def _typed_data(cls, values: Any) -> Any:
        """A stored ``data`` map becomes the payload class of the event's type."""
        if isinstance(values, dict) and not isinstance(values.get("data"), Payload):
            kind = PAYLOADS[EventType(values["type"])]
            values = {**values, "data": kind.model_validate(values.get("data") or {})}
        return values
