"""What every route needs from the request and the environment, built once per container."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from functools import lru_cache

import boto3
from aws_lambda_powertools import Metrics
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from complaints.adapters.store import DynamoCaseStore
from complaints.domain.calendar import BANGKOK
from complaints.domain.model import Actor, Role
from complaints.identity import actor_for, claims_of
from complaints.reference import default_catalogue
from complaints.service import ComplaintService

metrics = Metrics()


def table_name() -> str:
    return os.environ["TABLE_NAME"]


@lru_cache(maxsize=1)
def service() -> ComplaintService:
    """Built on first use, not at import: tests start moto before any client exists."""
    return ComplaintService(DynamoCaseStore(boto3.client("dynamodb"), table_name()), default_catalogue())


def now(event: APIGatewayProxyEvent) -> datetime:
    """The instant API Gateway received the request: the only "now" a route uses."""
    epoch_ms = event.request_context.request_time_epoch
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).astimezone(BANGKOK)


def actor(event: APIGatewayProxyEvent, *allowed: Role) -> Actor:
    return actor_for(claims_of(event.raw_event), allowed)


def header(event: APIGatewayProxyEvent, name: str) -> str | None:
    return event.headers.get(name)  # powertools' headers are case-insensitive
