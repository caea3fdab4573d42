"""The contract page of the local stack: ``docs/openapi.json`` in Swagger UI at ``/docs``.

Local only (``local.front`` serves it before any API route; nothing is deployed). Swagger UI is
vendored under ``local/static/swagger-ui-<version>/`` (its ``VENDOR.md``: version, source,
SHA-256); no CDN. The page (``templates/docs.html``) loads only same-origin files, its init script
is a file (``static/docs.js``), and its Content-Security-Policy says so: scripts from this origin
only, no inline script; inline styles are allowed (Swagger UI's React sets style attributes) and
``data:`` images (its icons).

- ``GET /docs``: the page;
- ``GET /docs/openapi.json``: ``docs/openapi.json`` as committed (``make openapi`` writes it);
- ``GET /docs/docs.js``, ``/docs/docs.css``, ``/docs/swagger-ui-<version>/<file>``: the page's files.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from local import infra
from local.events import Answer, error_answer
from local.render import render

VERSION = "5.35.0"
VENDOR = f"swagger-ui-{VERSION}"
STATIC = Path(__file__).resolve().parent / "static"
OPENAPI = infra.ROOT / "docs" / "openapi.json"
#: Every file the page may load, by its path under /docs/ (no other path reads the disk).
FILES = {
    "docs.js": STATIC / "docs.js",
    "docs.css": STATIC / "docs.css",
    **{f"{VENDOR}/{name}": STATIC / VENDOR / name for name in ("swagger-ui-bundle.js", "swagger-ui.css")},
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def is_docs(path: str) -> bool:
    return path == "/docs" or path.startswith("/docs/")


def answer(path: str) -> Answer:
    """What ``GET <path>`` under ``/docs`` answers."""
    if path in ("/docs", "/docs/"):
        page = render("docs.html", vendor=VENDOR).encode("utf-8")
        return Answer(200, [("Content-Type", "text/html; charset=utf-8"), ("Content-Security-Policy", CSP)], page)
    if path == "/docs/openapi.json":
        return Answer(200, [("Content-Type", "application/json")], OPENAPI.read_bytes())
    found = FILES.get(path.removeprefix("/docs/"))
    if found is None:
        return error_answer(404, "not_found", f"no file {path} (the contract is at /docs)")
    kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith("javascript") else ""
    return Answer(200, [("Content-Type", kind + charset)], found.read_bytes())
