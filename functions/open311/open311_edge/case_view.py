"""A case as GeoReport v2's service request: what anyone may see of it, never who complained.

Only the fields named here leave (a list of fields, not a copy of the case with some left out), so
a field added to the case later cannot reach Open311 by accident; the complainant's phone and
e-mail, the tracking token's hash and the history's internal notes never leave. The description
and the public note are free text a citizen or an officer typed: the contact details in them
(phone numbers, e-mail addresses, the complainant's name) are hidden
(``domain.redaction.hide_contacts``); the name is read for that alone.

- ``status``: ``open`` while the city works on it (triage, dispatched, acknowledged, in progress);
  ``closed`` once completed, referred outside the city or closed (a reopened case is open again).
- ``status_notes``: the latest public note (``Case.public_note``: the agency's progress or
  completion report, or the referral's).
- ``agency_responsible``: the agency in charge, or the outside organisation it was referred to, or
  the 1555 call centre while in triage; Thai and English.
- ``service_notice``: what happens next and by when (``next_step``: the tracking page's words);
  for a referral, whom to call.
- ``requested_datetime``, ``updated_datetime``, ``expected_datetime`` (the running duty deadline):
  W3C date-times in Bangkok time, with the offset.
- ``media_url``: the first photo, a signed link (an hour) to the centre's copy, or the URL given.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from complaints.domain.calendar import BANGKOK
from complaints.domain.deadlines import SlaPolicy
from complaints.domain.model import DUTY_KINDS, OPEN_STATES, Case, State
from complaints.domain.redaction import hide_contacts
from complaints.domain.routing import Catalogue
from complaints.next_step import next_step
from complaints.views import Gallery

from .services import both

OPEN, CLOSED = "open", "closed"
#: Open311's two statuses, as our states.
STATES = {OPEN: tuple(OPEN_STATES), CLOSED: tuple(s for s in State if s not in OPEN_STATES)}
CALL_CENTRE = both("ศูนย์รับเรื่องร้องเรียน 1555", "the 1555 call centre")


def w3c(instant: datetime | None) -> str | None:
    """``2026-04-10T09:12:00+07:00``."""
    return instant.astimezone(BANGKOK).isoformat(timespec="seconds") if instant else None


def status(case: Case) -> str:
    return OPEN if case.state in STATES[OPEN] else CLOSED


def agency_responsible(case: Case) -> str:
    if case.state is State.REFERRED and case.referral is not None:
        return both(case.referral.name_th, case.referral.name_en)
    if case.agency is not None:
        return both(case.agency.name_th, case.agency.name_en)
    return CALL_CENTRE


def service_notice(case: Case, now: datetime, policy: SlaPolicy) -> str | None:
    """Who acts next and by when; for a referral, whom to call. None once the city's part is done
    (completed: the citizen's answer is asked on the tracking page, which Open311 clients do not show)."""
    if case.state is State.COMPLETED:
        return None
    words = next_step(case, now, policy)
    return both(words.th, words.en) if words else None


def updated(case: Case) -> datetime:
    """The last change; a case stored before its last change was kept: the latest instant it holds."""
    if case.updated_at is not None:
        return case.updated_at
    known = [case.received_at, case.dispatched_at, case.completed_at, case.closed_at]
    known.append(case.referral.referred_at if case.referral else None)
    return max(at for at in known if at is not None)


class Requests:
    """Cases as service requests, at ``now``, naming categories from ``catalogue``."""

    def __init__(self, catalogue: Catalogue, policy: SlaPolicy, gallery: Gallery, now: datetime):
        self.catalogue = catalogue
        self.policy = policy
        self.gallery: Callable[[str], dict[str, str]] = gallery
        self.now = now

    def service_name(self, code: str) -> str | None:
        category = self.catalogue.categories.get(code)
        return both(category.name_th, category.name_en) if category else None

    def request(self, case: Case) -> dict[str, Any]:
        loc = case.location
        due = case.due
        return {
            "service_request_id": case.id,
            "status": status(case),
            "status_notes": hide_contacts(case.public_note, [case.complainant.name]),
            "service_name": self.service_name(case.category),
            "service_code": case.category,
            "description": hide_contacts(case.description, [case.complainant.name]),
            "agency_responsible": agency_responsible(case),
            "service_notice": service_notice(case, self.now, self.policy),
            "requested_datetime": w3c(case.received_at),
            "updated_datetime": w3c(updated(case)),
            "expected_datetime": w3c(due.at) if due and due.kind in DUTY_KINDS else None,
            "address": loc.address,
            "address_id": None,
            "zipcode": None,
            "lat": loc.lat,
            "long": loc.lon,
            "media_url": self.gallery(case.photos[0])["url"] if case.photos else None,
        }
