"""Ports of the photos (``domain.photos``): the private bucket and the uploads issued.

Re-exported by :mod:`complaints.ports`, with the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# --- photos ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredObject:
    """What the photo store knows of an object: its size and the type it was stored with."""

    size: int
    content_type: str


@dataclass(frozen=True)
class UploadForm:
    """A presigned POST for one object: the browser posts ``fields`` and then the file to ``url``."""

    url: str
    fields: dict[str, str]


class PhotoStore(Protocol):
    """The private photo bucket (``adapters/s3photos.py``): uploads arrive under ``incoming/``,
    the served copies live under ``photos/`` and the EXIF kept aside under ``exif/``."""

    def upload_form(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> UploadForm:
        """A presigned POST that accepts exactly one object at ``key``, of that type, 1..max_bytes."""

    def head(self, key: str) -> StoredObject | None:
        """The object's size and type, or None when nothing was uploaded there."""

    def read(self, key: str) -> bytes: ...
    def put(self, key: str, body: bytes, content_type: str) -> None: ...
    def delete(self, keys: Sequence[str]) -> None:
        """Remove these objects (missing ones are fine)."""

    def url(self, key: str, expires_in: int) -> str:
        """A short-lived signed GET URL of the object."""

    def origin(self) -> str:
        """``scheme://host[:port]`` of the URLs above (the pages' Content-Security-Policy)."""


@dataclass(frozen=True)
class Upload:
    """A presigned POST the centre issued: for whom, of which type, until when."""

    upload_id: str
    owner: str  # "public" (any citizen), "agency:<id>", or a staff role
    content_type: str
    issued_at: datetime
    expires_at: datetime
    claimed_by: str | None = None  # the case that used it


class UploadStore(Protocol):
    """The uploads issued, so that a body may only name a key that was issued to its caller."""

    def issue(self, upload: Upload) -> None: ...
    def get(self, upload_id: str) -> Upload | None: ...
