"""An admin changes the reference data at run time (issue #12): an agency's e-mail, head e-mail and
hotline, a category's routing unit, urgency and referral channel, a new agency or category, and
the audit trail of every change. The next routing uses a change at once (``usecases.reference``)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from complaints.commands import ChangeReference, ListReferenceChanges
from complaints.domain.model import Role
from complaints.domain.reference import Edit, Kind
from complaints.reference_schemas import AgencyIn, AgencyPatch, CategoryIn, CategoryPatch, sent
from complaints.usecases.reference import ReferenceChanged
from complaints.views import reference_change

from . import deps
from .responses import STAFF_ONLY, answers

router = Router()
AgencyId = Annotated[str, Path(pattern=r"^[A-Z][A-Z0-9]{0,9}-[A-Z0-9]{1,16}$", description="agency id, e.g. DIST-1039")]
CategoryCode = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="category code, e.g. road")]
CHANGE = answers(*STAFF_ONLY, 404, 409)
ADD = answers(*STAFF_ONLY, 409, ok=201, description="Added: the new entry and the change recorded")


def _change(kind: Kind, key: str, fields: dict[str, Any], add: bool = False) -> dict[str, Any]:
    event = router.current_event
    cmd = ChangeReference(
        actor=deps.actor(event, Role.ADMIN), at=deps.now(event), edit=Edit(kind, key, fields, add=add)
    )
    return _answer(kind, deps.usecases().reference.change(cmd))


def _answer(kind: Kind, done: ReferenceChanged) -> dict[str, Any]:
    change = reference_change(done.change) if done.change else None
    return {kind: done.entity, "version": done.version, "change": change}


def _created(body: dict[str, Any]) -> Response[dict[str, Any]]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=body)


@router.patch("/agencies/<agency_id>", summary="Change an agency's e-mail, head e-mail or hotline", responses=CHANGE)
def edit_agency(agency_id: AgencyId, body: AgencyPatch) -> dict[str, Any]:
    return _change("agency", agency_id, sent(body))


@router.post("/agencies", summary="Add a department or an outside organisation", responses=ADD)
def add_agency(body: AgencyIn) -> Response[dict[str, Any]]:
    return _created(_change("agency", body.id, body.model_dump(), add=True))


@router.patch("/categories/<code>", summary="Change a category's routing unit, urgency or referral", responses=CHANGE)
def edit_category(code: CategoryCode, body: CategoryPatch) -> dict[str, Any]:
    return _change("category", code, sent(body))


@router.post("/categories", summary="Add a category", responses=ADD)
def add_category(body: CategoryIn) -> Response[dict[str, Any]]:
    return _created(_change("category", body.code, body.model_dump(), add=True))


@router.get(
    "/reference/changes", summary="The audit trail of the reference data, newest first", responses=answers(*STAFF_ONLY)
)
def list_changes(
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> dict[str, Any]:
    event = router.current_event
    cmd = ListReferenceChanges(actor=deps.actor(event, Role.ADMIN), at=deps.now(event), limit=limit, cursor=cursor)
    page = deps.usecases().reference.changes(cmd)
    return {"changes": [reference_change(c) for c in page.changes], "next_cursor": page.cursor}
