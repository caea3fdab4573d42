"""The instant "now", read from the events that start our functions (never from the wall clock), so
that every day can be replayed: API Gateway's ``requestTimeEpoch``, the schedule's ``time``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from .domain.calendar import BANGKOK


def scheduled_at(event: Mapping[str, Any]) -> datetime:
    """The instant of an EventBridge (Scheduler) event: its ``time``, in Bangkok time."""
    try:
        return datetime.fromisoformat(str(event["time"]).replace("Z", "+00:00")).astimezone(BANGKOK)
    except (KeyError, ValueError) as err:
        raise ValueError("a scheduled event needs an ISO 8601 'time'") from err


def request_time(epoch_ms: int) -> datetime:
    """The instant API Gateway received a request (``requestContext.requestTimeEpoch``), in Bangkok time."""
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).astimezone(BANGKOK)
