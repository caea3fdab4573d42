"""The daily SLA sweep (EventBridge Scheduler, 08:30 Asia/Bangkok).

Placeholder of the foundation: it logs the instant it runs for. The sweep over
the due index comes with the SLA issue.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints.events import scheduled_at

logger = Logger()


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    at = scheduled_at(event)
    logger.info("sla sweep", extra={"at": at.isoformat()})
    return {"at": at.isoformat(), "chased": 0}
