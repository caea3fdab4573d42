"""The staff console's shell (``/console``, ``/console/<page>``): its pages and whom each is for,
the page's configuration (the body's data attributes and a JSON block the scripts read) and its
Content-Security-Policy. Pure: settings in, HTML and a header out.

The console is a client of the JSON API: each page is a script (``static/console/<page>.js``) on
``static/console/core.js`` (docs/console.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from . import assets
from .domain.model import Role
from .messages import LABELS, render
from .report_form import origin_of


@dataclass(frozen=True)
class ConsolePage:
    th: str
    en: str
    roles: tuple[Role, ...]  # who finds it in the menu (the API decides what each may do)
    uses: tuple[str, ...] = ()  # shared scripts (static/console/<name>.js) loaded before the page's own


STAFF = (Role.CALLCENTER, Role.AGENCY, Role.AUDITOR, Role.EXECUTIVE, Role.ADMIN)
PAGES = {
    "home": ConsolePage("หน้าแรก", "Home", STAFF),
    "callcentre": ConsolePage(
        "ศูนย์รับเรื่อง",
        "Call centre",
        (Role.CALLCENTER, Role.ADMIN),
        ("case", "pickers", "callcentre-file", "callcentre-actions"),
    ),
    "agency": ConsolePage("งานของหน่วยงาน", "Agency queue", (Role.AGENCY, Role.ADMIN), ("case", "agency-actions")),
    "audits": ConsolePage("ตรวจสอบผลงาน", "Audits", (Role.AUDITOR, Role.ADMIN), ("case",)),
    "reports": ConsolePage("รายงาน", "Reports", (Role.EXECUTIVE, Role.ADMIN)),
    "admin": ConsolePage(
        "ผู้ดูแลระบบ", "Administration", (Role.ADMIN,), ("case", "pickers", "admin-reference", "admin-reference-add")
    ),
    "callback": ConsolePage("กำลังลงชื่อเข้าใช้", "Signing in", ()),  # the hosted UI's redirect
}
ROLES = {
    Role.CALLCENTER: ("เจ้าหน้าที่ศูนย์ 1555", "Call centre"),
    Role.AGENCY: ("เจ้าหน้าที่หน่วยงาน", "Agency officer"),
    Role.AUDITOR: ("ผู้ตรวจสอบ", "Auditor"),
    Role.EXECUTIVE: ("ผู้บริหาร", "Executive"),
    Role.ADMIN: ("ผู้ดูแลระบบ", "Administrator"),
}


#: The core every page loads first: window.Console, then its paginated list (Console.pager).
CORE = ("console/core.js", "console/pager.js")


def base_path(public_base_url: str) -> str:
    """The stage's base path of the API (``https://…/v1`` → ``/v1``; a bare host → ``""``): the
    console's links and API calls start with it."""
    return urlsplit(public_base_url).path.rstrip("/")


def config(base: str) -> dict[str, Any]:
    """What the scripts read from ``#console-config``: the pages in the menu's order (title, roles), the roles' names,
    the labels of states, deadlines and events, and the base path."""
    return {
        "base": base,
        "pages": [{"name": k, "th": p.th, "en": p.en, "roles": [r.value for r in p.roles]} for k, p in PAGES.items()],
        "roles": {r.value: {"th": th, "en": en} for r, (th, en) in ROLES.items()},
        "labels": LABELS,
    }


def _script(base: str, path: str) -> str | None:
    return base + assets.url(path) if assets.find(path) else None


def console_page(page: str, auth: str, sign_in_url: str, client_id: str, base: str) -> str:
    """The shell of one page: header, menu, an empty view, and the scripts in order (the core, the
    auth script of the mode, the shared scripts the page uses, then the page's own when there is one)."""
    scripts = [_script(base, path) for path in CORE] + [_script(base, f"console/auth-{auth}.js")]
    scripts += [_script(base, f"console/{name}.js") for name in PAGES[page].uses]
    scripts.append(_script(base, f"console/{page}.js"))
    return render(
        "console.html",
        page=page,
        title=PAGES[page],
        auth=auth,
        sign_in_url=sign_in_url,
        client_id=client_id,
        base=base,
        style=base + assets.url("console/console.css"),
        scripts=[s for s in scripts if s],
        config=config(base),
    )


def content_security_policy(sign_in_url: str, photo_origin: str | None) -> str:
    """Our own scripts and styles only; the API, the hosted UI's token endpoint and the photo bucket
    (the agency's "after" photo) to talk to; photos from the bucket, and evidence that API clients
    gave as https URLs; not framed."""
    sign_in = origin_of(sign_in_url) if sign_in_url else None
    photos = origin_of(photo_origin) if photo_origin else None
    connect = " ".join(o for o in ("'self'", sign_in, photos) if o)
    images = " ".join(o for o in ("'self' data: blob: https:", photos) if o)
    return (
        f"default-src 'none'; script-src 'self'; style-src 'self'; img-src {images}; connect-src {connect}; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
