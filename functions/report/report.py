"""The monthly report (EventBridge Scheduler, 09:00 Asia/Bangkok on the 1st).

Placeholder of the foundation: it logs the month it would report. The report
itself comes with the reports issue.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints.clock import scheduled_at
from complaints.domain.calendar import BANGKOK

logger = Logger()


def previous_month(at: datetime) -> str:
    first = at.astimezone(BANGKOK).date().replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    at = scheduled_at(event)
    month = previous_month(at)
    logger.info("monthly report", extra={"month": month})
    return {"month": month}
