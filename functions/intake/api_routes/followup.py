"""After completion: the citizen's feedback, the call centre's reopen, and the auditors' work."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from complaints import wiring
from complaints.commands import GiveFeedback, ReadCase, RecordVerdict, ReopenCase
from complaints.domain.model import Role
from complaints.schemas import FeedbackIn, ReopenIn, VerdictIn
from complaints.views import plain

from . import deps
from .deps import CaseId
from .responses import CASE_ACTION, STAFF_ONLY, answers

router = Router()
AuditId = Annotated[str, Path(pattern=r"^\d{4}-[0-9A-Z]{6}-\d+$", description="audit id: <case id>-<seq>")]


@router.post(
    "/complaints/<case_id>/feedback",
    summary="The citizen's answer: fixed? satisfied? (a no reopens)",
    responses=answers(404, 409, optional_identity=True),
)
def give_feedback(
    case_id: CaseId, body: FeedbackIn, token: Annotated[str | None, Query(max_length=200)] = None
) -> dict[str, Any]:
    event = router.current_event
    usecases = deps.usecases()
    citizen = deps.actor(event, Role.CITIZEN)
    usecases.followup.feedback(
        GiveFeedback(
            actor=citizen,
            at=deps.now(event),
            case_id=case_id,
            token=token,
            fixed=body.fixed,
            satisfied=body.satisfied,
            comment=body.comment,
        )
    )
    read = usecases.reading.get(ReadCase(actor=citizen, case_id=case_id, token=token))
    return deps.citizen(read.case, read.history)


@router.post(
    "/complaints/<case_id>/reopen",
    summary="Reopen on a caller's behalf (call centre)",
    responses=answers(*CASE_ACTION),
)
def reopen(case_id: CaseId, body: ReopenIn) -> dict[str, Any]:
    event = router.current_event
    usecases = deps.usecases()
    actor = deps.actor(event, Role.CALLCENTER)
    usecases.followup.reopen(ReopenCase(actor=actor, at=deps.now(event), case_id=case_id, reason=body.reason))
    read = usecases.reading.get(ReadCase(actor=actor, case_id=case_id))
    return deps.staff(read.case, read.history)


@router.get(
    "/audits",
    summary="The audits waiting for a verdict, with their cases and evidence (auditors)",
    responses=answers(*STAFF_ONLY),
)
def list_audits() -> dict[str, Any]:
    deps.actor(router.current_event, Role.AUDITOR)
    return {
        "audits": [
            {
                "id": w.audit.id,
                "drawn_at": w.audit.drawn_at,
                "agency_id": w.audit.agency_id,
                "completed_seq": w.audit.seq,
                "flags": w.flags,
                "case": deps.staff(w.case, w.history),
            }
            for w in wiring.auditing().waiting()
        ]
    }


@router.post(
    "/audits/<audit_id>",
    summary="Record a verdict; inconsistent reopens the case (auditors)",
    responses=answers(*CASE_ACTION),
)
def decide(audit_id: AuditId, body: VerdictIn) -> dict[str, Any]:
    event = router.current_event
    cmd = RecordVerdict(
        actor=deps.actor(event, Role.AUDITOR),
        at=deps.now(event),
        audit_id=audit_id,
        verdict=body.verdict,
        note=body.note,
    )
    return plain(wiring.auditing().decide(cmd))
