"""The scheduled functions take "now" from the EventBridge event's time."""

import json
from pathlib import Path

import pytest

from local.events import LambdaContext

pytestmark = pytest.mark.integration
EVENT = Path(__file__).resolve().parents[2] / "events" / "scheduled_event.json"


def scheduled(time: str) -> dict:
    return json.loads(EVENT.read_text(encoding="utf-8")) | {"time": time}


def test_sla_sweep_runs_for_the_instant_of_the_event(api):
    import sla_check

    out = sla_check.lambda_handler(scheduled("2026-12-01T01:30:00Z"), LambdaContext("SlaCheckFunction"))
    assert out["at"] == "2026-12-01T08:30:00+07:00"


@pytest.mark.parametrize(
    ("time", "month"),
    [
        ("2026-12-01T02:00:00Z", "2026-11"),
        ("2027-01-01T02:00:00Z", "2026-12"),
        ("2026-11-30T17:30:00Z", "2026-11"),  # 00:30 on 1 Dec in Bangkok
    ],
)
def test_monthly_report_is_for_the_month_before_in_bangkok(api, time, month):
    import report

    assert report.lambda_handler(scheduled(time), LambdaContext("ReportFunction"))["month"] == month


def test_a_scheduled_event_without_time_is_refused():
    import sla_check

    with pytest.raises(ValueError, match="time"):
        sla_check.lambda_handler({"detail": {}}, LambdaContext("SlaCheckFunction"))
