"""Personal data (PDPA, ``docs/privacy.md``): an admin erases a complainant's data; the case stays,
anonymous, for the statistics."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import Router

from complaints.commands import EraseComplainant
from complaints.domain.model import Role
from complaints.schemas import Body, text
from complaints.views import plain

from . import deps
from .deps import CaseId
from .responses import CASE_ACTION, answers

router = Router()


class EraseIn(Body):
    """``DELETE /complaints/{id}/complainant``: why the complainant's data is erased (kept in the
    case's history with who erased it and when)."""

    reason: text(2000, 1)  # type: ignore[valid-type]


@router.delete(
    "/complaints/<case_id>/complainant",
    summary="Erase the complainant's personal data (admin, PDPA)",
    responses=answers(*CASE_ACTION),
)
def erase_complainant(case_id: CaseId, body: EraseIn) -> dict[str, Any]:
    """Name, phone, e-mail, the wish to be told and the tracking link go; the case stays. Erasing
    again answers 200 with ``erased: false`` and changes nothing."""
    event = router.current_event
    cmd = EraseComplainant(actor=deps.actor(event, Role.ADMIN), at=deps.now(event), case_id=case_id, reason=body.reason)
    result = plain(deps.usecases().privacy.erase(cmd))
    return {"id": result.pop("case_id"), **result}
