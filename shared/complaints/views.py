"""What each audience sees of a case (SPEC §4). Pure functions of the case and its history.

- staff: everything with the internal notes; the complainant's contact details only for the
  roles that need them (``domain.privacy.CONTACT_ROLES``: the call centre and admins), and in no
  list and no answer to an action;
- citizen (holder of the tracking token): their own contact details, no staff
  identities, and only the notes meant for the public (progress and completion
  reports, the referral's organisation and reference).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from .domain.events import CITY_NOTES, EventType, HistoryEvent
from .domain.model import Case

#: History events whose note the citizen sees (the city's, and their own feedback); other notes are internal.
PUBLIC_NOTES = CITY_NOTES | {EventType.FEEDBACK}
#: Details of an event that both views show: the agency's expected date and its evidence, the verdict.
DETAILS = ("expected_completion", "evidence_urls", "verdict")
#: Details only staff see: the checks of the "after" photos and the flags they raised (for the audit).
STAFF_DETAILS = ("evidence_checks", "flags")

#: How a photo is shown (``usecases.photos.Photos.link``): ``{"url", "thumbnail_url"}``, signed.
Gallery = Callable[[str], dict[str, str]]


def _as_given(ref: str) -> dict[str, str]:
    return {"url": ref, "thumbnail_url": ref}


def _details(event: HistoryEvent, gallery: Gallery, staff: bool) -> dict[str, Any]:
    data = event.data.model_dump(mode="json")
    doc = {k: data[k] for k in DETAILS + (STAFF_DETAILS if staff else ()) if data.get(k)}
    if "evidence_urls" in doc:
        doc["evidence"] = [gallery(ref) for ref in doc["evidence_urls"]]
        doc["evidence_urls"] = [e["url"] for e in doc["evidence"]]
    return doc


def _due(case: Case) -> dict[str, str] | None:
    return {"kind": case.due.kind, "at": case.due.at.isoformat(timespec="milliseconds")} if case.due else None


#: Never shown: the token's hash, the lock, and the privacy bookkeeping; nor what Open311 reads off the
#: case item (the last change, the latest public note), which the history shows.
HIDDEN = frozenset({"token_hash", "version", "closed_at", "anonymised_at", "updated_at", "public_note"})


def case_summary(case: Case, contact: bool = False, gallery: Gallery = _as_given) -> dict[str, Any]:
    """The staff list entry: the case without its history; ``contact``: with the complainant's
    contact details (only for those allowed to see them). Photos as ``{"url", "thumbnail_url"}``."""
    hidden = HIDDEN if contact else HIDDEN | {"complainant"}
    doc = case.model_dump(mode="json", exclude=set(hidden)) | {"due": _due(case)}
    return doc | {"photos": [gallery(ref) for ref in case.photos]}


def staff_view(
    case: Case, history: Sequence[HistoryEvent], contact: bool = False, gallery: Gallery = _as_given
) -> dict[str, Any]:
    doc = case_summary(case, contact, gallery)
    doc["history"] = [
        {
            "type": e.type,
            "at": e.at.isoformat(),
            "by": e.by.model_dump(mode="json", exclude_none=True),
            "note": e.note,
            "state": e.state,
            **_details(e, gallery, staff=True),
        }
        for e in history
    ]
    return doc


def citizen_view(case: Case, history: Sequence[HistoryEvent], gallery: Gallery = _as_given) -> dict[str, Any]:
    doc = case_summary(case, contact=True, gallery=gallery)  # their own
    doc["history"] = [
        {
            "type": e.type,
            "at": e.at.isoformat(),
            "by": {"role": e.by.role},
            "note": e.note if e.type in PUBLIC_NOTES else None,
            "state": e.state,
            **_details(e, gallery, staff=False),
        }
        for e in history
    ]
    return doc


def plain(result: Any) -> dict[str, Any]:
    """A use case's result (a dataclass) as JSON-ready data; the API's shape of it."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in asdict(result).items()}


def holiday_entry(entry: Any) -> dict[str, Any]:
    """A holiday of ``GET /holidays``: ``removed`` only on a cancelled official holiday."""
    doc = plain(entry)
    if not doc.pop("removed"):
        return doc
    return doc | {"removed": True}


def reference_change(change: Any) -> dict[str, Any]:
    """One change of the reference data, as ``GET /reference/changes`` lists it (admins only)."""
    return {
        "version": change.version,
        "at": change.at.isoformat(),
        "by": {"role": str(change.by.role), "id": change.by.id},
        "kind": change.kind,
        "id": change.key,
        "action": change.action,
        "before": change.before,
        "after": change.after,
    }
