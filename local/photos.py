"""The local photo bucket kept across restarts, as the table is (``local.persist``, ``local.state``).

moto keeps objects in memory only. The objects under ``incoming/``, ``photos/`` and ``exif/`` of
the local bucket (``infra.LOCAL_BUCKET``) are mirrored to files under the state directory:
``photos/<key>`` holds an object's bytes, ``photos/index.json`` each kept key's content type and
ETag. Files are written atomically and readable by their owner only (``state.write_bytes``);
``index.json`` is written last, so a file it does not name (a save cut short) is ignored.

- ``Mirror.reload`` (at start, once the bucket exists) puts every saved object back;
- ``Mirror.changes`` (with the stack's lock held, by the write-behind's save) compares the
  bucket, read from moto's backend in this process, with what was saved last: what to write,
  what to remove; ``Mirror.write`` (outside the lock) writes it.

Uploads that browsers post straight to moto are saved with the next save (the next API request
that is not a GET, or the stop): an upload left unnamed when the stack dies is lost, as it would
expire in a day in AWS anyway.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from local import infra, state

KEPT = ("incoming/", "photos/", "exif/")
INDEX = "index.json"


@dataclass
class Changes:
    written: dict[str, tuple[bytes, str, str]] = field(default_factory=dict)  # key → (bytes, type, ETag)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.written or self.removed)


def _kept(key: str) -> bool:
    """Under a kept prefix, and a plain relative path (no ``..``, no empty part): a file name."""
    parts = PurePosixPath(key).parts
    return key.startswith(KEPT) and ".." not in parts and "" not in key.split("/") and not key.startswith("/")


def _bucket() -> Any:
    from moto.s3.models import s3_backends

    return s3_backends[infra.ACCOUNT]["aws"].get_bucket(infra.LOCAL_BUCKET)


class Mirror:
    """The local bucket's kept objects under ``<state dir>/photos``: see the module's docstring."""

    def __init__(self, state_dir: Path) -> None:
        self.root = state_dir / "photos"
        self.saved: dict[str, dict[str, str]] = {}  # key → {"type", "etag"}, as in index.json

    def path(self, key: str) -> Path:
        return self.root.joinpath(*PurePosixPath(key).parts)

    def reload(self, s3: Any) -> int:
        """Put the saved objects back into the bucket (an S3 client of the stack); how many."""
        index = self.root / INDEX
        if not index.exists():
            return 0
        try:
            saved = json.loads(index.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            aside = index.with_name(f"{INDEX}.unreadable")
            index.replace(aside)
            print(f"warning: could not read {index} ({exc}); moved it to {aside.name}", file=sys.stderr)
            return 0
        for key, meta in saved.items():
            path = self.path(key)
            if not (_kept(key) and path.is_file()):
                print(f"warning: the saved photo object {key} has no file; left out", file=sys.stderr)
                continue
            answer = s3.put_object(Bucket=infra.LOCAL_BUCKET, Key=key, Body=path.read_bytes(), ContentType=meta["type"])
            self.saved[key] = {"type": meta["type"], "etag": answer["ETag"]}
        return len(self.saved)

    def changes(self) -> Changes:
        """What differs between the bucket and the files (call with the stack's lock held)."""
        out = Changes()
        present = set()
        for key, obj in _bucket().keys.items():  # a copy of moto's dict: uploads may go on meanwhile
            if not _kept(key) or not hasattr(obj, "value"):  # not kept, or a delete marker
                continue
            present.add(key)
            kind = obj.metadata.get("Content-Type") or "binary/octet-stream"
            if self.saved.get(key) != {"type": kind, "etag": obj.etag}:
                try:
                    out.written[key] = (obj.value, kind, obj.etag)
                except ValueError:  # replaced (and its buffer closed) while read: saved next time
                    present.discard(key)
        out.removed = sorted(set(self.saved) - present)
        return out

    def write(self, changes: Changes) -> None:
        """Write the changed objects' files, remove the deleted ones', then the index."""
        if not changes:
            return
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        for key, (body, kind, etag) in changes.written.items():
            state.write_bytes(self.path(key), body)
            self.saved[key] = {"type": kind, "etag": etag}
        for key in changes.removed:
            self.path(key).unlink(missing_ok=True)
            self.saved.pop(key, None)
        state.write_text(self.root / INDEX, json.dumps(self.saved, ensure_ascii=False, sort_keys=True))
