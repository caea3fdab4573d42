"""The agency's actions on a case, for officers of the case's agency (Cognito role ``agency``)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import Router

from complaints.commands import Acknowledge, Complete, HandBack, ReportProgress
from complaints.domain.model import Role
from complaints.schemas import AcknowledgeIn, CompleteIn, HandbackIn, ProgressIn

from . import deps
from .deps import CaseId
from .responses import CASE_ACTION, answers

router = Router()


def _who() -> dict[str, Any]:
    event = router.current_event
    return {"actor": deps.actor(event, Role.AGENCY), "at": deps.now(event)}


@router.post("/complaints/<case_id>/acknowledge", summary="Acknowledge (agency)", responses=answers(*CASE_ACTION))
def acknowledge(case_id: CaseId, body: AcknowledgeIn) -> dict[str, Any]:
    return deps.summary(deps.usecases().agency.act(Acknowledge(case_id=case_id, note=body.note, **_who())))


@router.post("/complaints/<case_id>/progress", summary="Report progress (agency)", responses=answers(*CASE_ACTION))
def report_progress(case_id: CaseId, body: ProgressIn) -> dict[str, Any]:
    cmd = ReportProgress(case_id=case_id, note=body.note, expected_completion=body.expected_completion, **_who())
    return deps.summary(deps.usecases().agency.act(cmd))


@router.post(
    "/complaints/<case_id>/complete",
    summary="Report completion, with evidence (agency)",
    responses=answers(*CASE_ACTION),
)
def complete(case_id: CaseId, body: CompleteIn) -> dict[str, Any]:
    cmd = Complete(case_id=case_id, note=body.note, evidence_urls=tuple(str(u) for u in body.evidence_urls), **_who())
    return deps.summary(deps.usecases().agency.act(cmd))


@router.post(
    "/complaints/<case_id>/handback",
    summary="Hand back: not this agency's (agency)",
    responses=answers(*CASE_ACTION),
)
def handback(case_id: CaseId, body: HandbackIn) -> dict[str, Any]:
    return deps.summary(deps.usecases().agency.act(HandBack(case_id=case_id, reason=body.reason, **_who())))
