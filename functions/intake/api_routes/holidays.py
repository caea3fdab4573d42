"""Special holidays (admin): the SLA engine uses them from the moment they are stored."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from complaints.commands import DeleteHoliday, PutHoliday
from complaints.domain.model import Role
from complaints.schemas import HolidayIn, IsoDate
from complaints.views import holiday_entry, plain

from . import deps
from .responses import STAFF_ONLY, answers

router = Router()


@router.get("/holidays", summary="The year's holidays: official, special, and removed", responses=answers(*STAFF_ONLY))
def list_holidays(year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> dict[str, Any]:
    deps.actor(router.current_event, Role.ADMIN)
    year = year or deps.now(router.current_event).year
    return {"year": year, "holidays": [holiday_entry(e) for e in deps.usecases().holidays.year(year)]}


@router.put(
    "/holidays/<day>",
    summary="Add a special holiday, or remove an official one",
    responses=answers(*STAFF_ONLY, 404, 409),
)
def put_holiday(day: Annotated[IsoDate, Path()], body: HolidayIn) -> dict[str, Any]:
    event = router.current_event
    cmd = PutHoliday(
        actor=deps.actor(event, Role.ADMIN), at=deps.now(event), day=day, name=body.name, removed=body.removed
    )
    return plain(deps.usecases().holidays.put(cmd))


@router.delete(
    "/holidays/<day>", summary="Take back a special holiday or a removal", responses=answers(*STAFF_ONLY, 404, 409)
)
def delete_holiday(day: Annotated[IsoDate, Path()]) -> dict[str, Any]:
    event = router.current_event
    return plain(
        deps.usecases().holidays.delete(DeleteHoliday(actor=deps.actor(event, Role.ADMIN), at=deps.now(event), day=day))
    )
