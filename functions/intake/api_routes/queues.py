"""``GET /complaints/due-counts``: what an agency's queue shows above its list (the console)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from complaints.commands import CountDue
from complaints.usecases.reading import COUNT_ROLES

from . import deps
from .responses import STAFF_ONLY, answers

router = Router()


@router.get(
    "/complaints/due-counts",
    summary="An agency's running deadlines: how many are overdue and how many end later today (Bangkok)",
    responses=answers(*STAFF_ONLY),
)
def due_counts(
    agency: Annotated[
        str | None,
        Query(max_length=50, description="the agency (an agency officer: their own, the default)"),
    ] = None,
) -> dict[str, Any]:
    event = router.current_event
    cmd = CountDue(actor=deps.actor(event, *COUNT_ROLES), at=deps.now(event), agency=agency)
    counts = deps.usecases().reading.due_counts(cmd)
    return {
        "agency": counts.agency,
        "overdue": counts.overdue,
        "due_today": counts.due_today,
        "as_of": counts.as_of.isoformat(timespec="milliseconds"),
    }
