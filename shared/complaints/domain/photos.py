"""Photos the centre stores (pure): upload keys, stored photos and the keys of their copies.

A browser or app asks ``POST /uploads`` for a presigned POST and gets a key that the
server chose, ``incoming/<id>``; a later body (a complaint's ``photos``, a completion's
evidence) names that key. Once accepted, the photo is a *stored photo*, written in the
case as ``photo:<id>``: its thumbnail and web-size copy (EXIF stripped) are served through
short-lived signed URLs, and its EXIF is kept aside. A URL given by an API client stays
a URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from .errors import InvalidInput
from .model import Actor, Role

MAX_BYTES = 10 * 1024 * 1024
TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")
UPLOAD_PREFIX = "incoming/"
STORED_PREFIX = "photo:"
UPLOAD_KEY = re.compile(r"^incoming/([A-Za-z0-9_-]{22})$")
PUBLIC = "public"  # the owner of an anonymous citizen's upload


class PhotoRefused(InvalidInput):
    """A named photo cannot be used: never uploaded, not an image, too big, someone else's or used."""

    code = "photo_refused"
    status = 400


def is_upload_key(ref: str) -> bool:
    return UPLOAD_KEY.match(ref) is not None


def upload_id(key: str) -> str:
    match = UPLOAD_KEY.match(key)
    if match is None:
        raise PhotoRefused(f"'{key}' is not an upload key (incoming/<id>)")
    return match.group(1)


def stored_id(ref: str) -> str | None:
    """The id of a stored photo (``photo:<id>``); None for a URL."""
    return ref[len(STORED_PREFIX) :] if ref.startswith(STORED_PREFIX) else None


def thumbnail_key(photo_id: str) -> str:
    return f"photos/{photo_id}/thumb.jpg"


def web_key(photo_id: str) -> str:
    return f"photos/{photo_id}/web.jpg"


def exif_key(photo_id: str) -> str:
    return f"exif/{photo_id}.json"


@dataclass(frozen=True)
class PhotoFacts:
    """What a stored photo's EXIF says about where and when it was taken (None: it does not say)."""

    ref: str
    taken_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None


def owner_of(actor: Actor) -> str:
    """Whose uploads an actor may name: an anonymous citizen's belong to the public (the key
    itself is the secret), an agency's to that agency, other staff's to their role."""
    if actor.role is Role.CITIZEN:
        return PUBLIC
    if actor.role is Role.AGENCY:
        return f"agency:{actor.agency_id}"
    return actor.role.value
