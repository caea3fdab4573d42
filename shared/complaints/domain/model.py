"""Domain models: agencies, categories and cases (their history: ``events.py``).

Pure data with pydantic; no I/O. Instants are timezone-aware datetimes.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict


class State(StrEnum):
    TRIAGE = "triage"
    DISPATCHED = "dispatched"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REFERRED = "referred"
    CLOSED = "closed"


OPEN_STATES = (State.TRIAGE, State.DISPATCHED, State.ACKNOWLEDGED, State.IN_PROGRESS)


class DueKind(StrEnum):
    DISPATCH = "dispatch"  # triage: route within 24 hours of receipt
    ACK = "ack"
    FIRST_PROGRESS = "first_progress"
    CHECKPOINT = "checkpoint"
    FEEDBACK = "feedback"  # completed: the citizen may answer until then; the sweep closes the case after


#: Deadlines an agency or the call centre can miss (``feedback`` is the citizen's window, not a duty).
DUTY_KINDS = frozenset({DueKind.DISPATCH, DueKind.ACK, DueKind.FIRST_PROGRESS, DueKind.CHECKPOINT})


class Role(StrEnum):
    CITIZEN = "citizen"
    CALLCENTER = "callcenter"
    AGENCY = "agency"
    AUDITOR = "auditor"
    EXECUTIVE = "executive"
    ADMIN = "admin"
    SYSTEM = "system"  # the scheduled jobs


STAFF_ROLES = frozenset({Role.CALLCENTER, Role.AGENCY, Role.AUDITOR, Role.EXECUTIVE, Role.ADMIN})


class Frozen(BaseModel):
    # defer_build: a model's validator is built on first use, not at import, so a
    # Lambda cold start pays only for the models its request path needs.
    model_config = ConfigDict(frozen=True, defer_build=True)


class Agency(Frozen):
    id: str
    kind: Literal["district", "department", "external"]
    name_th: str
    name_en: str
    district: str | None = None
    hotline: str | None = None
    email: str | None = None
    head_email: str | None = None


class Category(Frozen):
    code: str
    name_th: str
    name_en: str
    unit: str  # district:<section> | department:<agency id> | external:<agency id> | triage
    urgent: bool = False
    referral_channel: Literal["hotline", "letter"] | None = None
    after_photo: bool = False  # completing a case of this category needs a photo of the result


class Actor(Frozen):
    """Who did something: a role, and for staff their user id and agency."""

    role: Role
    id: str | None = None
    agency_id: str | None = None


SYSTEM = Actor(role=Role.SYSTEM, id="system")


class Location(Frozen):
    lat: float | None = None
    lon: float | None = None
    address: str | None = None


class Complainant(Frozen):
    name: str | None = None
    phone: str | None = None  # E.164
    email: str | None = None


def citizen_channel(complainant: Complainant) -> str | None:
    """How the citizen is told: SMS to a Thai mobile, else e-mail, else not at all."""
    if complainant.phone and complainant.phone[:4] in ("+666", "+668", "+669"):
        return "sms"
    return "email" if complainant.email else None


class Due(Frozen):
    kind: DueKind
    at: datetime
    basis: datetime | None = None  # the instant the clock started from: recomputed when holidays change
    # What the daily sweep did about this deadline once it passed (each new deadline starts clean):
    overdue_at: datetime | None = None  # when it was first found late (the `overdue` event)
    chased_on: date | None = None  # the last local date the agency was chased (at most once a day)
    escalated_at: datetime | None = None  # escalated to the agency head and the operators (once)


class AgencyRef(Frozen):
    id: str
    name_th: str
    name_en: str
    section: str | None = None


class Referral(Frozen):
    agency_id: str
    name_th: str
    name_en: str
    hotline: str | None = None
    channel: Literal["hotline", "letter"]
    reference: str | None = None
    referred_at: datetime


class Case(Frozen):
    id: str
    state: State
    category: str
    description: str
    location: Location = Location()
    district: str | None = None
    channel: str = "web"
    urgent: bool = False
    notify: bool = False
    photos: tuple[str, ...] = ()
    agency: AgencyRef | None = None
    referral: Referral | None = None
    received_at: datetime
    due: Due | None = None
    reopen_count: int = 0
    dispatch_seq: int = 0  # seq of the event that last sent the case to its agency; agency links name it
    dispatched_at: datetime | None = None  # when that event was: the completion's business days count from it
    completed_at: datetime | None = None  # the last completion: the dispute window runs from it
    complainant: Complainant = Complainant()
    token_hash: str  # "" once the complainant's data is erased: no tracking token matches it
    closed_at: datetime | None = None  # when the case last became closed (the retention period runs from it)
    anonymised_at: datetime | None = None  # when the complainant's personal data was erased (PDPA)
    version: int = 0  # number of history events; the optimistic-locking version
    updated_at: datetime | None = None  # the instant of the last history event (None: stored before it was kept)
    public_note: str | None = None  # the latest note of ``events.CITY_NOTES``: what the city last told the public
