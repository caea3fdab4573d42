"""Photos (``domain.photos``): issuing uploads, accepting the ones a body names, serving them.

Accepting is done before the case change and undone if the change fails: every named
upload is checked (issued to this caller, not used, present, at most 10 MB, really an
image) and processed before anything is written; then the copies are written, and the
change claims the uploads in its own transaction (``ports.ClaimUpload``). A refused
request leaves nothing behind: no copy, no claim, no case.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from ..domain import photos as ph
from ..domain.model import Actor
from ..domain.photos import PhotoFacts, PhotoRefused
from ..ports import ClaimUpload, PhotoStore, Upload, UploadStore

POST_EXPIRES = timedelta(minutes=10)  # the presigned POST: time to send the file
CLAIM_WITHIN = timedelta(days=1)  # then the bucket's lifecycle removes the raw upload
URL_EXPIRES_SECONDS = 3600  # served copies: signed GET URLs for an hour


class Exif(Protocol):
    taken_at: datetime | None
    lat: float | None
    lon: float | None

    def as_json(self) -> dict[str, Any]: ...


class Processed(Protocol):
    """What the image processor (``adapters.imaging.process``) makes of an upload."""

    content_type: str
    thumbnail: bytes
    web: bytes
    exif: Exif


@dataclass(frozen=True)
class IssueUpload:
    actor: Actor
    at: datetime
    content_type: str
    size: int


@dataclass(frozen=True)
class UploadTicket:
    key: str
    url: str
    fields: dict[str, str]
    max_bytes: int
    expires_at: datetime


@dataclass(frozen=True)
class Taken:
    """The photos of a body, ready for the change: its references, what their EXIF says, and
    what to claim, remove on failure (copies) and remove on success (raw uploads)."""

    refs: tuple[str, ...] = ()
    facts: tuple[PhotoFacts, ...] = ()
    uploads: tuple[str, ...] = ()
    owner: str = ph.PUBLIC
    written: tuple[str, ...] = ()

    def claims(self, case_id: str, at: datetime) -> list[ClaimUpload]:
        return [ClaimUpload(u, self.owner, case_id, at) for u in self.uploads]


class Photos:
    def __init__(
        self,
        store: PhotoStore,
        uploads: UploadStore,
        process: Callable[[bytes], Processed],
        new_id: Callable[[], str] = lambda: secrets.token_urlsafe(16),
    ):
        self.store = store
        self.uploads = uploads
        self.process = process
        self.new_id = new_id

    def issue(self, cmd: IssueUpload) -> UploadTicket:
        """A presigned POST for one image, at a key the server chose."""
        if cmd.content_type not in ph.TYPES:
            raise PhotoRefused(f"'{cmd.content_type}' is not accepted; send JPEG, PNG, WebP or HEIC")
        if not 0 < cmd.size <= ph.MAX_BYTES:
            raise PhotoRefused(f"a photo is at most {ph.MAX_BYTES // (1024 * 1024)} MB")
        upload_id = self.new_id()
        key = ph.UPLOAD_PREFIX + upload_id
        form = self.store.upload_form(key, cmd.content_type, ph.MAX_BYTES, int(POST_EXPIRES.total_seconds()))
        owner = ph.owner_of(cmd.actor)
        self.uploads.issue(Upload(upload_id, owner, cmd.content_type, cmd.at, cmd.at + CLAIM_WITHIN))
        return UploadTicket(key, form.url, form.fields, ph.MAX_BYTES, cmd.at + POST_EXPIRES)

    def take(self, refs: Sequence[str], actor: Actor, at: datetime) -> Taken:
        """Check and process every upload ``refs`` names (URLs pass as they are), then write the
        copies; :class:`PhotoRefused` (or the processor's refusal) before anything is written."""
        if not any(ph.is_upload_key(r) for r in refs):
            return Taken(refs=tuple(refs))
        if len(set(refs)) != len(refs):
            raise PhotoRefused("the same photo is named twice")
        owner = ph.owner_of(actor)
        ready: dict[str, Processed] = {}
        for ref in refs:
            if ph.is_upload_key(ref):
                ready[ph.upload_id(ref)] = self._check(ref, owner, at)
        written: list[str] = []
        try:
            for upload_id, image in ready.items():
                self._write(upload_id, image, written)
        except Exception:
            self.store.delete(written)
            raise
        stored = [ph.STORED_PREFIX + ph.upload_id(r) if ph.is_upload_key(r) else r for r in refs]
        facts = [PhotoFacts(ph.STORED_PREFIX + i, p.exif.taken_at, p.exif.lat, p.exif.lon) for i, p in ready.items()]
        return Taken(tuple(stored), tuple(facts), tuple(ready), owner, tuple(written))

    def _check(self, key: str, owner: str, at: datetime) -> Processed:
        upload = self.uploads.get(ph.upload_id(key))
        if upload is None or upload.owner != owner:  # one answer for both: keys cannot be probed
            raise PhotoRefused(f"'{key}' was not issued to you; ask POST /uploads for a key")
        if upload.claimed_by is not None:
            raise PhotoRefused(f"'{key}' is already used by another case; upload the photo again")
        if at > upload.expires_at:
            raise PhotoRefused(f"'{key}' has expired; upload the photo again")
        found = self.store.head(key)
        if found is None:
            raise PhotoRefused(f"nothing was uploaded to '{key}'; send the file to the upload form first")
        if found.size > ph.MAX_BYTES:
            raise PhotoRefused(f"'{key}' is larger than {ph.MAX_BYTES // (1024 * 1024)} MB")
        return self.process(self.store.read(key))

    def _write(self, upload_id: str, image: Processed, written: list[str]) -> None:
        exif = json.dumps(image.exif.as_json() | {"content_type": image.content_type}, ensure_ascii=False)
        for key, body, kind in (
            (ph.thumbnail_key(upload_id), image.thumbnail, "image/jpeg"),
            (ph.web_key(upload_id), image.web, "image/jpeg"),
            (ph.exif_key(upload_id), exif.encode(), "application/json"),
        ):
            written.append(key)
            self.store.put(key, body, kind)

    def undo(self, taken: Taken) -> None:
        """The change failed: remove the copies (the raw uploads stay until they expire)."""
        if taken.written:
            self.store.delete(taken.written)

    def done(self, taken: Taken) -> None:
        """The change is stored: the raw uploads (with their EXIF) are no longer needed."""
        if taken.uploads:
            self.store.delete([ph.UPLOAD_PREFIX + u for u in taken.uploads])

    def forget_places(self, refs: Sequence[str]) -> None:
        """The complainant's data is erased: so is the EXIF kept aside of their photos (where and
        when each was taken, perhaps at home). The copies stay, as the case's evidence, with no
        metadata in them. Idempotent: done before the erasure is stored, so a retry does it again."""
        keys = [ph.exif_key(i) for i in (ph.stored_id(r) for r in refs) if i]
        if keys:
            self.store.delete(keys)

    def link(self, ref: str) -> dict[str, str]:
        """How a photo is shown: its web-size copy and thumbnail, as short-lived signed URLs (a URL
        that an API client gave is shown as it is)."""
        photo_id = ph.stored_id(ref)
        if photo_id is None:
            return {"url": ref, "thumbnail_url": ref}
        return {
            "url": self.store.url(ph.web_key(photo_id), URL_EXPIRES_SECONDS),
            "thumbnail_url": self.store.url(ph.thumbnail_key(photo_id), URL_EXPIRES_SECONDS),
        }
