"""The agency's actions on a case, for officers of the case's agency (Cognito role ``agency``)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import Router

from complaints.domain.model import Role
from complaints.schemas import AcknowledgeIn, CompleteIn, HandbackIn, ProgressIn
from complaints.views import case_summary

from . import deps
from .deps import CaseId

router = Router()


def _act(case_id: str, action: str, **kwargs: Any) -> dict[str, Any]:
    event = router.current_event
    case = deps.service().act(case_id, action, deps.actor(event, Role.AGENCY), deps.now(event), **kwargs)
    return case_summary(case)


@router.post("/complaints/<case_id>/acknowledge", summary="Acknowledge (agency)")
def acknowledge(case_id: CaseId, body: AcknowledgeIn) -> dict[str, Any]:
    return _act(case_id, "acknowledge", note=body.note)


@router.post("/complaints/<case_id>/progress", summary="Report progress (agency)")
def report_progress(case_id: CaseId, body: ProgressIn) -> dict[str, Any]:
    return _act(case_id, "progress", note=body.note, expected_completion=body.expected_completion)


@router.post("/complaints/<case_id>/complete", summary="Report completion, with evidence (agency)")
def complete(case_id: CaseId, body: CompleteIn) -> dict[str, Any]:
    return _act(case_id, "complete", note=body.note, evidence_urls=tuple(str(u) for u in body.evidence_urls))


@router.post("/complaints/<case_id>/handback", summary="Hand back: not this agency's (agency)")
def handback(case_id: CaseId, body: HandbackIn) -> dict[str, Any]:
    return _act(case_id, "handback", note=body.reason)
