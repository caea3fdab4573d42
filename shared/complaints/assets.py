"""The pages' own static files (``complaints/static/``): scripts, styles, the vendored map library.

The pages function serves them at ``/static/<path>`` (``find``). A page names each one with
``url(path)``, which carries a hash of the file's content (``?v=``): the file may then be
cached for a year, and a deploy that changes it changes its URL. Only files of the known
kinds, inside ``static/``, are found: no ``..``, no hidden file, no link leading out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

STATIC = Path(__file__).resolve().with_name("static")
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str

    @property
    def text(self) -> str | None:
        """The body as text, for the text kinds; None for an image (sent base64-encoded)."""
        return None if self.content_type.startswith("image/png") else self.body.decode("utf-8")


@lru_cache(maxsize=64)
def find(path: str) -> Asset | None:
    """The file at ``static/<path>``, or None (no such file, not a kind we serve, or outside)."""
    parts = path.split("/")
    if any(not p or p.startswith(".") or "\\" in p or "\x00" in p for p in parts):
        return None
    kind = TYPES.get(PurePosixPath(path).suffix.lower())
    file = STATIC.joinpath(*parts).resolve()
    if kind is None or not file.is_relative_to(STATIC) or not file.is_file():
        return None
    return Asset(file.read_bytes(), kind)


@lru_cache(maxsize=64)
def url(path: str) -> str:
    """``/static/<path>?v=<hash of its content>``; a file that is not there fails loudly."""
    asset = find(path)
    if asset is None:
        raise FileNotFoundError(f"no static file '{path}' in {STATIC}")
    return f"/static/{path}?v={hashlib.sha256(asset.body).hexdigest()[:12]}"
