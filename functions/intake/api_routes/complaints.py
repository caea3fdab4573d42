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

from complaints.domain.model import Actor, Role, State
from complaints.identity import STAFF
from complaints.schemas import ComplaintIn, RouteIn
from complaints.views import case_summary, citizen_view, staff_view

from . import deps
from .deps import CaseId

router = Router()

IDEMPOTENCY_TTL_SECONDS = 3600
idempotency_config = IdempotencyConfig(event_key_jmespath="key", payload_validation_jmespath="body",
                                       expires_after_seconds=IDEMPOTENCY_TTL_SECONDS)


def _filed_answer(body: ComplaintIn, actor: Actor) -> dict[str, Any]:
    filed = deps.service().file(body, actor, deps.now(router.current_event))
    deps.metrics.add_metric(name="ComplaintsFiled", unit=MetricUnit.Count, value=1)
    case = filed.case
    answer = case_summary(case)
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
        table_name=deps.table_name(), key_attr="pk", sort_key_attr="sk",
        static_pk_value="IDEMPOTENCY#complaints", expiry_attr="ttl")

    @idempotent_function(data_keyword_argument="request", persistence_store=persistence,
                         config=idempotency_config)
    def file_once(request: dict[str, Any]) -> dict[str, Any]:
        return _filed_answer(ComplaintIn.model_validate(request["body"]), Actor.model_validate(request["actor"]))

    return file_once


@router.post("/complaints", summary="File a complaint (routed at once where possible)")
def file_complaint(body: ComplaintIn) -> tuple[dict[str, Any], int]:
    actor = deps.actor(router.current_event, Role.CITIZEN, Role.CALLCENTER)
    key = deps.header(router.current_event, "Idempotency-Key")
    if key:
        request = {"key": key, "body": body.model_dump(mode="json"), "actor": actor.model_dump(mode="json")}
        answer = _idempotent_filer()(request=request)
    else:
        answer = _filed_answer(body, actor)
    return answer, 201


@router.get("/complaints/<case_id>", summary="A case with its deadlines and history")
def get_complaint(case_id: CaseId, token: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
    actor = deps.actor(router.current_event, Role.CITIZEN, *STAFF)
    case, history, as_staff = deps.service().get(case_id, actor, token)
    return staff_view(case, history) if as_staff else citizen_view(case, history)


@router.get("/complaints", summary="List cases (agency officers see only their agency)")
def list_complaints(
    agency: Annotated[str | None, Query(max_length=50)] = None,
    state: Annotated[State | None, Query()] = None,
    district: Annotated[str | None, Query(max_length=100)] = None,
    category: Annotated[str | None, Query(max_length=50)] = None,
    overdue: Annotated[bool, Query()] = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> dict[str, Any]:
    actor = deps.actor(router.current_event, *STAFF)
    page = deps.service().list(actor, deps.now(router.current_event), limit, cursor, agency=agency,
                               state=state, district=district, category=category, overdue=overdue)
    return {"complaints": [case_summary(c) for c in page.cases], "next_cursor": page.cursor}


@router.post("/complaints/<case_id>/route", summary="Route, re-route or refer outside (call centre)")
def route_complaint(case_id: CaseId, body: RouteIn) -> dict[str, Any]:
    actor = deps.actor(router.current_event, Role.CALLCENTER)
    case = deps.service().route(case_id, body, actor, deps.now(router.current_event))
    return case_summary(case)
