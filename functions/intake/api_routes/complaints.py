"""The complaints resource: file, read, list and route (SPEC §4)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from complaints import wiring
from complaints.commands import (
    CloseCase,
    ListCases,
    ReadCase,
    ReferOutside,
    ReturnToTriage,
    RouteToAgency,
    SearchByPhone,
)
from complaints.domain.errors import BadRequest
from complaints.domain.model import Actor, Role, State
from complaints.domain.privacy import CONTACT_ROLES
from complaints.domain.queues import ListOrder
from complaints.filing import filing
from complaints.identity import STAFF
from complaints.ports import Page
from complaints.schemas import CloseIn, ComplaintIn, ReturnToTriageIn, RouteIn, thai_phone

from . import deps
from .deps import CaseId
from .responses import CASE_ACTION, FILED, STAFF_ONLY, answers

router = Router()

IDEMPOTENCY_TTL_SECONDS = 3600
idempotency_config = IdempotencyConfig(
    event_key_jmespath="key", payload_validation_jmespath="body", expires_after_seconds=IDEMPOTENCY_TTL_SECONDS
)


def _filed_answer(body: ComplaintIn, actor: Actor) -> dict[str, Any]:
    filed = deps.usecases().intake.file(filing(body, actor, deps.now(router.current_event)))
    deps.metrics.add_metric(name="ComplaintsFiled", unit=MetricUnit.Count, value=1)
    case = filed.case
    answer = deps.summary(case)
    answer.pop("complainant", None)
    return answer | {"tracking_token": filed.tracking_token}


@lru_cache(maxsize=1)
def _idempotent_filer() -> Callable[..., dict[str, Any]]:
    """``_filed_answer`` wrapped by powertools' idempotency, keyed by the client's Idempotency-Key.

    The record (TTL one hour) keeps the first answer, so a client that lost it
    gets the same case and token back; the same key with another body is refused.
    Built on first use, so that no client exists before the tests start moto.
    """
    persistence = DynamoDBPersistenceLayer(
        table_name=wiring.settings().table_name,
        key_attr="pk",
        sort_key_attr="sk",
        static_pk_value="IDEMPOTENCY#complaints",
        expiry_attr="ttl",
    )

    @idempotent_function(data_keyword_argument="request", persistence_store=persistence, config=idempotency_config)
    def file_once(request: dict[str, Any]) -> dict[str, Any]:
        return _filed_answer(ComplaintIn.model_validate(request["body"]), Actor.model_validate(request["actor"]))

    return file_once


@router.post(
    "/complaints",
    summary="File a complaint (routed at once where possible)",
    responses=answers(409, ok=201, description=FILED, optional_identity=True),
)
def file_complaint(body: ComplaintIn) -> tuple[dict[str, Any], int]:
    actor = deps.actor(router.current_event, Role.CITIZEN, Role.CALLCENTER)
    key = deps.header(router.current_event, "Idempotency-Key")
    if key:
        request = {"key": key, "body": body.model_dump(mode="json"), "actor": actor.model_dump(mode="json")}
        answer = _idempotent_filer()(request=request)
    else:
        answer = _filed_answer(body, actor)
    return answer, 201


@router.get(
    "/complaints/<case_id>",
    summary="A case with its deadlines and history",
    responses=answers(403, 404, optional_identity=True),
)
def get_complaint(case_id: CaseId, token: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
    actor = deps.actor(router.current_event, Role.CITIZEN, *STAFF)
    read = deps.usecases().reading.get(ReadCase(actor=actor, case_id=case_id, token=token))
    if read.as_staff:
        return deps.staff(read.case, read.history, contact=actor.role in CONTACT_ROLES)
    return deps.citizen(read.case, read.history)


def _by_phone(phone: str, limit: int, cursor: str | None, *others: object) -> Page:
    """``GET /complaints?phone=``: the caller's cases (call centre, admin), newest first."""
    actor = deps.actor(router.current_event, *CONTACT_ROLES)
    if any(others):
        raise BadRequest("phone cannot be combined with other filters: search by the caller's phone alone")
    try:
        e164 = thai_phone(phone)
    except ValueError as err:
        raise BadRequest(f"phone: {err}") from None
    cmd = SearchByPhone(actor=actor, at=deps.now(router.current_event), phone=e164, limit=limit, cursor=cursor)
    return deps.usecases().reading.by_phone(cmd)


@router.get(
    "/complaints",
    summary="List cases (agency officers see only their agency), or a caller's cases by phone (call centre, admin)",
    responses=answers(*STAFF_ONLY),
)
def list_complaints(
    agency: Annotated[str | None, Query(max_length=50)] = None,
    state: Annotated[State | None, Query()] = None,
    district: Annotated[str | None, Query(max_length=100)] = None,
    category: Annotated[str | None, Query(max_length=50)] = None,
    overdue: Annotated[bool, Query()] = False,
    order: Annotated[
        ListOrder,
        Query(
            description="newest (by receipt, the default), oldest (by receipt), or deadline (an agency's running"
            " duty deadlines, overdue first; needs an agency, an agency officer's own by default)"
        ),
    ] = ListOrder.NEWEST,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    phone: Annotated[
        str | None,
        Query(max_length=40, description="the caller's phone (0812345678 or +66…): alone, no other filter"),
    ] = None,
) -> dict[str, Any]:
    if phone is not None:
        others = (agency, state, district, category, overdue, order is not ListOrder.NEWEST)
        page = _by_phone(phone, limit, cursor, *others)
    else:
        cmd = ListCases(
            actor=deps.actor(router.current_event, *STAFF),
            at=deps.now(router.current_event),
            limit=limit,
            cursor=cursor,
            agency=agency,
            state=state,
            district=district,
            category=category,
            overdue=overdue,
            order=order,
        )
        page = deps.usecases().reading.list(cmd)
    return {"complaints": [deps.summary(c) for c in page.cases], "next_cursor": page.cursor}


@router.post(
    "/complaints/<case_id>/route",
    summary="Route, re-route or refer outside (call centre)",
    responses=answers(*CASE_ACTION),
)
def route_complaint(case_id: CaseId, body: RouteIn) -> dict[str, Any]:
    event = router.current_event
    who: dict[str, Any] = {"actor": deps.actor(event, Role.CALLCENTER), "at": deps.now(event), "case_id": case_id}
    callcentre = deps.usecases().callcentre
    if body.external is not None:
        ext = body.external
        case = callcentre.refer(
            ReferOutside(agency_id=ext.agency_id, channel=ext.channel, reference=ext.reference, note=body.note, **who)
        )
    else:
        case = callcentre.route(
            RouteToAgency(agency_id=body.agency_id or "", section=body.section, note=body.note, **who)
        )
    return deps.summary(case)


@router.post(
    "/complaints/<case_id>/close",
    summary="Close a triage case (not actionable) or a referral (call centre)",
    responses=answers(*CASE_ACTION),
)
def close_complaint(case_id: CaseId, body: CloseIn) -> dict[str, Any]:
    event = router.current_event
    cmd = CloseCase(actor=deps.actor(event, Role.CALLCENTER), at=deps.now(event), case_id=case_id, reason=body.reason)
    return deps.summary(deps.usecases().callcentre.close(cmd))


@router.post(
    "/complaints/<case_id>/return-to-triage",
    summary="A referral came back: to triage (call centre)",
    responses=answers(*CASE_ACTION),
)
def return_to_triage(case_id: CaseId, body: ReturnToTriageIn) -> dict[str, Any]:
    event = router.current_event
    cmd = ReturnToTriage(
        actor=deps.actor(event, Role.CALLCENTER), at=deps.now(event), case_id=case_id, reason=body.reason
    )
    return deps.summary(deps.usecases().callcentre.return_to_triage(cmd))
