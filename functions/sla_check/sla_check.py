"""The daily SLA sweep (EventBridge Scheduler, 08:30 Asia/Bangkok): rule 4 of the handling rules,
then the daily roll-up of the report's aggregates (rule 7, ``docs/kpi.md``), then the retention of
personal data (``docs/privacy.md``).

"Now" is the scheduled time in the event. Thin: the sweep itself is
``complaints.usecases.sweep``; this reports what it did as CloudWatch metrics (EMF).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints import wiring
from complaints.clock import scheduled_at
from complaints.usecases.sweep import SweepReport

wiring.settings()  # at cold start: a missing variable fails here, not at the first run
logger = Logger()
tracer = Tracer()
metrics = Metrics()


def publish(report: SweepReport) -> None:
    """What operators watch: late cases (the alarm's gauge), new misses by kind, chases,
    escalations, notices retried and failed, and a heartbeat that the sweep finished."""
    metrics.add_metric(name="LateCases", unit=MetricUnit.Count, value=sum(report.late.values()))
    for kind in ("dispatch", "ack", "first_progress", "checkpoint"):
        metrics.add_metric(name=f"Overdue_{kind}", unit=MetricUnit.Count, value=report.overdue.get(kind, 0))
    metrics.add_metric(name="Chases", unit=MetricUnit.Count, value=report.chased)
    metrics.add_metric(name="Escalations", unit=MetricUnit.Count, value=report.escalated)
    metrics.add_metric(name="NoticesRetried", unit=MetricUnit.Count, value=report.notices_retried)
    metrics.add_metric(name="NoticeFailures", unit=MetricUnit.Count, value=report.notices_failed)
    metrics.add_metric(name="ClosedWithoutFeedback", unit=MetricUnit.Count, value=report.closed_without_feedback)
    metrics.add_metric(
        name="AuditsDrawn",
        unit=MetricUnit.Count,
        value=report.audits.get("audits_drawn", 0) + report.audits.get("audits_month_minimum", 0),
    )
    metrics.add_metric(name="SweepCompleted", unit=MetricUnit.Count, value=1)


@metrics.log_metrics
@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    at = scheduled_at(event)
    wiring.new_invocation()  # the reference data in force: its version read once for the whole run
    report = wiring.sweep().run(at)
    publish(report)
    logger.info("sla sweep done", extra=report.as_dict() | {"at": at.isoformat()})
    # Then the report's daily roll-up: yesterday complete (and any day missed), today so far.
    rolled = wiring.usecases().rollup.run(at)
    metrics.add_metric(name="RollupDays", unit=MetricUnit.Count, value=len(rolled.days))
    logger.info("report roll-up done", extra={"days": rolled.days, "events": rolled.events})
    # Last, the retention (docs/privacy.md): closed cases kept long enough lose the complainant's data.
    kept = wiring.usecases().privacy.retain(at)
    metrics.add_metric(name="ComplainantsAnonymised", unit=MetricUnit.Count, value=kept.anonymised)
    logger.info("retention done", extra={"anonymised": kept.anonymised, "more": kept.more, "cutoff": str(kept.cutoff)})
    return {"at": at.isoformat(), **report.as_dict(), "rolled_up": rolled.days, "anonymised": kept.anonymised}
