"""The citizen's filing page (``/report``, and the site's root ``/``) and the pages' static files
(``/static/{path+}``): routes of the pages function (``pages.py`` includes this router).

Thin: the settings and the catalogue in, the page (``complaints.pages.report_page``) and its
policy (``complaints.report_form``) out; a static file as ``complaints.assets`` finds it.
"""

from __future__ import annotations

from urllib.parse import unquote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from complaints import assets, pages, report_form, wiring
from complaints.domain.errors import NotFound
from complaints.reference import district_points

router = Router()

FILING_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "geolocation=(self)",  # asked for only when the citizen taps "use my position"
}
# A file's URL carries its content's hash (``assets.url``): that URL never changes its content.
STATIC_CACHE = "public, max-age=31536000, immutable"
STATIC_CACHE_UNVERSIONED = "public, max-age=3600"


def _filing_page() -> Response[str]:
    settings, usecases = wiring.settings(), wiring.usecases()
    body = pages.report_page(usecases.catalogue, district_points(), settings.map_tiles_url, settings.map_attribution)
    # the photos are posted to the bucket (a presigned POST from POST /uploads)
    policy = report_form.content_security_policy(settings.map_tiles_url, usecases.photos.store.origin())
    headers = FILING_HEADERS | {"Content-Security-Policy": policy}
    return Response(status_code=200, content_type="text/html; charset=utf-8", body=body, headers=headers)


@router.get("/report", summary="The citizen's filing page (HTML)")
def filing_page() -> Response[str]:
    return _filing_page()


@router.get("/", summary="The public site's root: the citizen's filing page (HTML)")
def root_page() -> Response[str]:
    return _filing_page()


@router.get("/static/.+", summary="The pages' scripts, styles and map library (static files)")
def static_file():  # no return type: powertools would then serialise the body (an image's bytes) as JSON
    """``/static/{path+}``: a file of ``complaints/static/``, cached for a year when the URL names
    its version (``?v=``); images go base64-encoded (the API's binary media types). Anything
    else is the pages' 404 page."""
    event = router.current_event
    path = (event.path_parameters or {}).get("path") or event.path.partition("/static/")[2]
    asset = assets.find(unquote(path))
    if asset is None:
        raise NotFound("no such file")
    cache = STATIC_CACHE if event.get_query_string_value("v") else STATIC_CACHE_UNVERSIONED
    headers = {"Cache-Control": cache, "X-Content-Type-Options": "nosniff"}
    body = asset.text if asset.text is not None else asset.body  # bytes: powertools sends them base64-encoded
    return Response(status_code=200, content_type=asset.content_type, body=body, headers=headers)
