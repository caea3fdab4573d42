"""After completion: the citizen's feedback, the call centre's reopen, and the auditors' work."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from complaints import wiring
from complaints.domain.model import Role
from complaints.schemas import FeedbackIn, ReopenIn, VerdictIn
from complaints.views import citizen_view, staff_view

from . import deps
from .deps import CaseId

router = Router()
AuditId = Annotated[str, Path(pattern=r"^\d{4}-[0-9A-Z]{6}-\d+$", description="audit id: <case id>-<seq>")]


@router.post("/complaints/<case_id>/feedback", summary="The citizen's answer: fixed? satisfied? (a no reopens)")
def give_feedback(case_id: CaseId, body: FeedbackIn,
                  token: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
    event = router.current_event
    service = deps.service()
    service.feedback(case_id, token, body.fixed, body.satisfied, body.comment, deps.now(event))
    case, history, _ = service.get(case_id, deps.actor(event, Role.CITIZEN), token)
    return citizen_view(case, history)


@router.post("/complaints/<case_id>/reopen", summary="Reopen on a caller's behalf (call centre)")
def reopen(case_id: CaseId, body: ReopenIn) -> dict[str, Any]:
    event = router.current_event
    service = deps.service()
    service.reopen(case_id, body.reason, deps.actor(event, Role.CALLCENTER), deps.now(event))
    case, history = service.store.get(case_id)
    return staff_view(case, history)


@router.get("/audits", summary="The audits waiting for a verdict, with their cases and evidence (auditors)")
def list_audits() -> dict[str, Any]:
    deps.actor(router.current_event, Role.AUDITOR)
    return {"audits": wiring.auditing().waiting()}


@router.post("/audits/<audit_id>", summary="Record a verdict; inconsistent reopens the case (auditors)")
def decide(audit_id: AuditId, body: VerdictIn) -> dict[str, Any]:
    event = router.current_event
    return wiring.auditing().decide(audit_id, body.verdict, body.note, deps.actor(event, Role.AUDITOR),
                                    deps.now(event))
