"""Whether a completion's "after" photo fits its case (pure).

Traffy Fondue is criticised for cases closed with unrelated photos. Here each stored
"after" photo is checked against the complaint: a photo whose EXIF puts it more than
200 m from the complaint's point, or at a time before the complaint was filed, flags
the completion. The flag never blocks the officer (EXIF can be missing or wrong); it is
shown to auditors, and a flagged completion is always drawn for audit
(``domain.audit``). A photo without EXIF place or time is not flagged for it, and
the check says what it could not tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from .geo import distance_m
from .model import Case, Category
from .photos import PhotoFacts

FAR_M = 200


class Flag(StrEnum):
    FAR = "far_from_site"  # taken more than FAR_M from the complaint's point
    EARLY = "taken_before_filing"  # taken before the complaint was filed


class EvidenceCheck(BaseModel):
    """One "after" photo against its case: the distance and time it shows, and the flags."""

    model_config = ConfigDict(frozen=True)

    photo: str
    distance_m: int | None = None  # None: the photo or the case has no point
    taken_at: datetime | None = None
    flags: list[Flag] = []


def check(case: Case, photos: Sequence[PhotoFacts]) -> list[EvidenceCheck]:
    """One check per stored photo (URLs given by API clients carry no EXIF we could read)."""
    out = []
    loc = case.location
    for photo in photos:
        flags = []
        distance = None
        if photo.lat is not None and photo.lon is not None and loc.lat is not None and loc.lon is not None:
            distance = round(distance_m(photo.lat, photo.lon, loc.lat, loc.lon))
            if distance > FAR_M:
                flags.append(Flag.FAR)
        if photo.taken_at is not None and photo.taken_at < case.received_at:
            flags.append(Flag.EARLY)
        out.append(EvidenceCheck(photo=photo.ref, distance_m=distance, taken_at=photo.taken_at, flags=flags))
    return out


def flags_of(checks: Sequence[EvidenceCheck]) -> list[Flag]:
    """The completion's flags: each flag any of its photos raised, once, in a stable order."""
    raised = {f for c in checks for f in c.flags}
    return [f for f in Flag if f in raised]


def evidence_of(refs: Sequence[str], checks: Sequence[EvidenceCheck]) -> dict[str, Any]:
    """The evidence fields of a ``completed`` event: its photos, their checks and the flags."""
    return {"evidence_urls": list(refs), "evidence_checks": list(checks), "flags": flags_of(checks)}


def needs_after_photo(category: Category) -> bool:
    """Categories where the fix can be seen (a road, a light, a drain) need an "after" photo."""
    return category.after_photo
