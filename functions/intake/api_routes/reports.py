"""The monthly report and the fiscal-year evaluation (SPEC §8): executives, auditors, operators."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from complaints.domain.errors import BadRequest, Forbidden, Unauthorized
from complaints.domain.model import Role
from complaints.reporting import PAGE_CSP, render

from . import deps
from .responses import REPORT_FORMATS, answers

router = Router()
READERS = (Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN)
MONTH = re.compile(r"^(19|20|21)\d\d-(0[1-9]|1[0-2])$")
YEAR = re.compile(r"^(19|20|21)\d\d$")
PAGE_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": PAGE_CSP}
Format = Annotated[Literal["json", "csv", "html"] | None, Query(description="json (default), csv or html")]


def _reader() -> None:
    """Executives, auditors and operators; anyone else, signed in or not, is refused with 403."""
    try:
        deps.actor(router.current_event, *READERS)
    except Unauthorized:
        raise Forbidden("the reports are for the roles executive, auditor and admin") from None


def _wants_html(fmt: str | None) -> bool:
    accept = deps.header(router.current_event, "Accept") or ""
    return fmt == "html" or (fmt is None and "text/html" in accept)


@router.get(
    "/reports/monthly/<month>",
    summary="The month's report: JSON, ?format=csv or ?format=html",
    responses=answers(400, 401, 403, 404, content=REPORT_FORMATS),
)
def monthly_report(
    month: Annotated[
        str, Path(description="YYYY-MM, a local (Bangkok) month", json_schema_extra={"pattern": MONTH.pattern})
    ],
    format: Format = None,
) -> Response[str]:
    event = router.current_event
    _reader()
    if not MONTH.match(month):
        raise BadRequest(f"'{month}' is not a month: use YYYY-MM, e.g. 2026-11")
    doc = deps.usecases().reports.monthly(month, deps.now(event))
    if format == "csv":
        headers = {"Content-Disposition": f'attachment; filename="1555-report-{month}.csv"'}
        body = render.csv_bytes(doc).decode("utf-8")
        return Response(200, "text/csv; charset=utf-8", body, headers=headers)
    if _wants_html(format):
        page = render.html_page(doc, lambda agency_id: f"?format=html#{agency_id}")
        return Response(200, "text/html; charset=utf-8", page, headers=PAGE_HEADERS)
    return Response(200, content_types.APPLICATION_JSON, json.dumps(doc, ensure_ascii=False, separators=(",", ":")))


@router.get(
    "/reports/fiscal-year/<year>",
    summary="The fiscal year's evaluation: scores, ranks and weights",
    responses=answers(400, 401, 403, 404),
)
def fiscal_year(
    year: Annotated[
        str, Path(description="YYYY: the CE year the fiscal year ends in", json_schema_extra={"pattern": YEAR.pattern})
    ],
) -> dict[str, Any]:
    event = router.current_event
    _reader()
    if not YEAR.match(year):
        raise BadRequest(f"'{year}' is not a year: use YYYY, e.g. 2027 (fiscal year 2570)")
    return deps.usecases().reports.fiscal_year(int(year), deps.now(event))
