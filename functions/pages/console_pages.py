"""The staff console's shell (``/console`` and ``/console/{page}``): routes of the pages function
(``pages.py`` includes this router). Anyone may load the shell, which holds no data: its scripts
call the JSON API with the staff member's token, and the API decides (docs/console.md).

Thin: the settings in, the page (``complaints.console``) and its policy out.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from complaints import console, wiring
from complaints.domain.errors import NotFound

router = Router()
wiring.console_settings()  # at cold start: a malformed sign-in URL fails here

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the hosted UI's code comes back in the callback's URL
    "X-Content-Type-Options": "nosniff",
}


def _page(page: str) -> Response[str]:
    sign_in = wiring.console_settings()
    base = console.base_path(wiring.settings().public_base_url)
    body = console.console_page(page, sign_in.auth, sign_in.console_sign_in_url, sign_in.console_client_id, base)
    policy = console.content_security_policy(sign_in.console_sign_in_url, wiring.usecases().photos.store.origin())
    headers = HEADERS | {"Content-Security-Policy": policy}
    return Response(status_code=200, content_type="text/html; charset=utf-8", body=body, headers=headers)


@router.get("/console", summary="The staff console's home (HTML; its scripts call the API with the staff token)")
def console_home() -> Response[str]:
    return _page("home")


@router.get("/console/<page>", summary="A page of the staff console (HTML): callcentre, agency, audits, reports…")
def console_page(page: str) -> Response[str]:
    if page == "home" or page not in console.PAGES:
        raise NotFound("no such page")
    return _page(page)
