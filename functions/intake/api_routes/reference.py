"""``GET /agencies`` and ``GET /categories``: the reference data in force (public): the bundled data
with the admins' changes (``reference_admin``)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import Router

from . import deps
from .responses import answers

router = Router()


@router.get(
    "/agencies",
    summary="Agencies: district offices, departments, outside organisations",
    responses=answers(),
)
def list_agencies() -> dict[str, Any]:
    agencies = deps.usecases().catalogue.agencies.values()
    return {"agencies": [a.model_dump(exclude={"head_email"}) for a in agencies]}


@router.get("/categories", summary="Complaint categories and who handles them", responses=answers())
def list_categories() -> dict[str, Any]:
    return {"categories": [c.model_dump() for c in deps.usecases().catalogue.categories.values()]}
