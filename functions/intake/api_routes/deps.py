"""What every route needs from the request: who calls, and when (the request's own instant)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from complaints import views, wiring
from complaints.clock import request_time
from complaints.domain.events import HistoryEvent
from complaints.domain.model import Actor, Case, Role
from complaints.identity import actor_for, claims_of
from complaints.wiring import UseCases

metrics = Metrics()
CaseId = Annotated[str, Path(pattern=r"^\d{4}-[0-9A-Z]{6}$", description="case id, e.g. 2604-7KQ4XM")]


def usecases() -> UseCases:
    return wiring.usecases()


def now(event: APIGatewayProxyEvent) -> datetime:
    """The instant API Gateway received the request: the only "now" a route uses."""
    return request_time(event.request_context.request_time_epoch)


def actor(event: APIGatewayProxyEvent, *allowed: Role) -> Actor:
    return actor_for(claims_of(event.raw_event), allowed)


def header(event: APIGatewayProxyEvent, name: str) -> str | None:
    return event.headers.get(name)  # powertools' headers are case-insensitive


def summary(case: Case, contact: bool = False) -> dict[str, Any]:
    """The case as a list entry or an action's answer, its photos as signed links."""
    return views.case_summary(case, contact, gallery=usecases().photos.link)


def staff(case: Case, history: Sequence[HistoryEvent], contact: bool = False) -> dict[str, Any]:
    return views.staff_view(case, history, contact, gallery=usecases().photos.link)


def citizen(case: Case, history: Sequence[HistoryEvent]) -> dict[str, Any]:
    return views.citizen_view(case, history, gallery=usecases().photos.link)
