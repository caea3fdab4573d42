"""What every route needs from the request and the environment, built once per container."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Annotated

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from complaints import wiring
from complaints.domain.calendar import BANGKOK
from complaints.domain.model import Actor, Role
from complaints.identity import actor_for, claims_of
from complaints.service import ComplaintService

metrics = Metrics()
CaseId = Annotated[str, Path(pattern=r"^\d{4}-[0-9A-Z]{6}$", description="case id, e.g. 2604-7KQ4XM")]


def table_name() -> str:
    return os.environ["TABLE_NAME"]


def service() -> ComplaintService:
    return wiring.service()


def now(event: APIGatewayProxyEvent) -> datetime:
    """The instant API Gateway received the request: the only "now" a route uses."""
    epoch_ms = event.request_context.request_time_epoch
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).astimezone(BANGKOK)


def actor(event: APIGatewayProxyEvent, *allowed: Role) -> Actor:
    return actor_for(claims_of(event.raw_event), allowed)


def header(event: APIGatewayProxyEvent, name: str) -> str | None:
    return event.headers.get(name)  # powertools' headers are case-insensitive
