"""What each audience sees of a case (SPEC §4). Pure functions of the case and its history.

- staff: everything with the internal notes; the complainant's contact details only for the
  roles that need them (``domain.privacy.CONTACT_ROLES``: the call centre and admins), and in no
  list and no answer to an action;
- citizen (holder of the tracking token): their own contact details, no staff
  identities, and only the notes meant for the public (progress and completion
  reports, the referral's organisation and reference).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from .domain.events import EventType, HistoryEvent
from .domain.model import Case

#: History events whose note the citizen sees; other notes are internal.
PUBLIC_NOTES = frozenset({EventType.PROGRESS, EventType.COMPLETED, EventType.REFERRED, EventType.FEEDBACK})
#: Details of an event that both views show: the agency's expected date and its evidence, the verdict.
DETAILS = ("expected_completion", "evidence_urls", "verdict")


def _details(event: HistoryEvent) -> dict[str, Any]:
    data = event.data.model_dump(mode="json")
    return {k: data[k] for k in DETAILS if data.get(k)}


def _due(case: Case) -> dict[str, str] | None:
    return {"kind": case.due.kind, "at": case.due.at.isoformat(timespec="milliseconds")} if case.due else None


#: Never shown: the token's hash, the lock, and the privacy bookkeeping.
HIDDEN = frozenset({"token_hash", "version", "closed_at", "anonymised_at"})


def case_summary(case: Case, contact: bool = False) -> dict[str, Any]:
    """The staff list entry: the case without its history; ``contact``: with the complainant's
    contact details (only for those allowed to see them)."""
    hidden = HIDDEN if contact else HIDDEN | {"complainant"}
    return case.model_dump(mode="json", exclude=set(hidden)) | {"due": _due(case)}


def staff_view(case: Case, history: Sequence[HistoryEvent], contact: bool = False) -> dict[str, Any]:
    doc = case_summary(case, contact)
    doc["history"] = [
        {
            "type": e.type,
            "at": e.at.isoformat(),
            "by": e.by.model_dump(mode="json", exclude_none=True),
            "note": e.note,
            "state": e.state,
            **_details(e),
        }
        for e in history
    ]
    return doc


def citizen_view(case: Case, history: Sequence[HistoryEvent]) -> dict[str, Any]:
    doc = case_summary(case, contact=True)  # their own
    doc["history"] = [
        {
            "type": e.type,
            "at": e.at.isoformat(),
            "by": {"role": e.by.role},
            "note": e.note if e.type in PUBLIC_NOTES else None,
            "state": e.state,
            **_details(e),
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
