"""The monthly report (EventBridge Scheduler, 09:00 Asia/Bangkok on the 1st): rule 7.

"Now" is the scheduled time in the event. It freezes the month before's report (after
rolling up what the morning's sweep recorded) and e-mails it to the executives once:
a retried or re-run invocation finds the report kept and the e-mail sent. A failure
raises, so that the Scheduler retries and the operators' alarm on errors fires.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints import wiring
from complaints.clock import scheduled_at

wiring.settings()  # at cold start: a missing variable fails here, not at the first run
logger = Logger()
tracer = Tracer()
metrics = Metrics()


@metrics.log_metrics
@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    at = scheduled_at(event)
    wiring.new_invocation()  # the reference data in force (agencies' names): its version read once
    run = wiring.usecases().monthly_report.run(at)
    metrics.add_metric(name="MonthlyReportCompleted", unit=MetricUnit.Count, value=1)
    logger.info("monthly report", extra={"month": run.month, "emailed": run.emailed, "agencies": run.agencies})
    return {"at": at.isoformat(), "month": run.month, "emailed": run.emailed, "agencies": run.agencies}
