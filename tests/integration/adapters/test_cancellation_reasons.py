"""How the store answers each reason DynamoDB gives for cancelling a transaction, and the
throttling left after botocore's own retries (defect 11 of #10).

moto cancels only for a failed condition, so these drive a real botocore client with
botocore's ``Stubber``: the adapter's request goes nowhere and DynamoDB's answer is the one
given. Each row is what the caller sees: a conflict (409: read again, decide again), busy
(503 with Retry-After: nothing was written, send the same request again), or our own fault
(the error as it is: 500 and the alarm).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from complaints.adapters.dynamo.audits import DynamoAudits
from complaints.adapters.dynamo.cases import DynamoCases
from complaints.adapters.dynamo.codec import Table, case_item
from complaints.adapters.dynamo.outbox import DynamoOutbox
from complaints.domain import lifecycle
from complaints.domain.audit import Candidate, Draw
from complaints.domain.calendar import BusinessCalendar
from complaints.domain.errors import Busy, Conflict
from complaints.domain.events import Notice
from complaints.domain.model import Actor, Case, Role, State
from complaints.reference import default_catalogue
from local import infra

pytestmark = pytest.mark.integration
AT = datetime.fromisoformat("2026-04-10T09:12:00+07:00")
CONFLICT, BUSY, OURS = "conflict", "busy", "ours"


def change() -> Any:
    """A new case routed to its district office: the case and two events, three items."""
    draft = Case(
        id="2604-AAAAAA",
        state=State.TRIAGE,
        category="road",
        description="x",
        district="1039",
        received_at=AT,
        token_hash="h",
    )
    catalogue = default_catalogue()
    return lifecycle.receive(draft, catalogue.route("road", "1039"), BusinessCalendar(), Actor(role=Role.CITIZEN))


@pytest.fixture
def client() -> Any:
    import boto3

    real = boto3.client("dynamodb", region_name=infra.REGION)
    with Stubber(real) as stubber:
        real.stubber = stubber
        yield real
        stubber.assert_no_pending_responses()


def cancel(client: Any, *codes: str, item: dict[str, Any] | None = None) -> None:
    """DynamoDB's answer: the transaction cancelled, one reason per item."""
    reasons: list[dict[str, Any]] = []
    for code in codes:
        reason: dict[str, Any] = {"Code": code}
        if code != "None":
            reason["Message"] = f"{code} (stubbed)"
        if code == "ConditionalCheckFailed" and item is not None and not reasons:
            reason["Item"] = item
        reasons.append(reason)
    client.stubber.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        service_message="Transaction cancelled, please refer cancellation reasons for specific reasons",
        modeled_fields={"CancellationReasons": reasons},
    )


def outcome(call: Any) -> tuple[str, Exception]:
    try:
        call()
    except Conflict as err:
        return CONFLICT, err
    except Busy as err:
        return BUSY, err
    except ClientError as err:
        return OURS, err
    raise AssertionError("the store did not refuse")


REASONS = [
    # someone else wrote first: read again, decide again
    (("ConditionalCheckFailed", "None", "None"), CONFLICT),
    (("None", "ConditionalCheckFailed", "None"), CONFLICT),  # an event of that version exists
    (("TransactionConflict", "None", "None"), CONFLICT),  # a concurrent transaction on the case
    (("None", "None", "TransactionConflict"), CONFLICT),
    # throttled: nothing written, the same request again later
    (("ThrottlingError", "None", "None"), BUSY),
    (("ProvisionedThroughputExceeded", "None", "None"), BUSY),
    (("None", "RequestLimitExceeded", "None"), BUSY),
    # a fault of ours: never hidden
    (("None", "ItemCollectionSizeLimitExceeded", "None"), OURS),
    (("ValidationError", "None", "None"), OURS),
    (("SomethingNew", "None", "None"), OURS),
    (("None", "None", "None"), OURS),
    # several at once: our fault first, then a conflict (a retry as it is could not pass)
    (("ValidationError", "ConditionalCheckFailed", "None"), OURS),
    (("ThrottlingError", "ConditionalCheckFailed", "None"), CONFLICT),
    (("TransactionConflict", "ThrottlingError", "None"), CONFLICT),
]


@pytest.mark.parametrize(("codes", "expected"), REASONS, ids=["+".join(c) for c, _ in REASONS])
def test_each_cancellation_reason_of_a_change_is_answered_deliberately(client, codes, expected):
    store = DynamoCases(Table(client, "t"))
    cancel(client, *codes)
    kind, err = outcome(lambda: store.save(change()))
    assert kind == expected
    if kind == BUSY:
        assert err.status == 503 and err.retry_after > 0
    if kind == CONFLICT:
        assert err.status == 409


def test_a_failed_condition_on_the_case_names_the_state_it_is_in_now(client):
    store = DynamoCases(Table(client, "t"))
    now = change().case.model_copy(update={"state": State.ACKNOWLEDGED})
    cancel(client, "ConditionalCheckFailed", "None", "None", item=case_item(now))
    with pytest.raises(Conflict, match="it is now 'acknowledged'"):
        store.save(change())


def test_a_new_case_whose_transaction_conflicts_is_a_conflict_the_intake_retries_with_another_id(client):
    store = DynamoCases(Table(client, "t"))
    cancel(client, "TransactionConflict", "None", "None")
    with pytest.raises(Conflict):
        store.create(change())


THROTTLED = ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"]


@pytest.mark.parametrize("code", [*THROTTLED, "TransactionInProgressException"])
def test_a_throttled_or_busy_transaction_is_busy(client, code):
    client.stubber.add_client_error("transact_write_items", service_error_code=code, http_status_code=400)
    with pytest.raises(Busy):
        DynamoCases(Table(client, "t")).save(change())


@pytest.mark.parametrize("code", THROTTLED)
def test_throttling_outside_transactions_is_busy(client, code):
    """What is left after botocore's retries, on reads and single writes alike."""
    client.stubber.add_client_error("get_item", service_error_code=code, http_status_code=400)
    client.stubber.add_client_error("query", service_error_code=code, http_status_code=400)
    client.stubber.add_client_error("update_item", service_error_code=code, http_status_code=400)
    table = Table(client, "t")
    with pytest.raises(Busy):
        DynamoCases(table).get_case("2604-AAAAAA")
    with pytest.raises(Busy):
        DynamoCases(table).get("2604-AAAAAA")
    with pytest.raises(Busy):
        DynamoOutbox(table).claim("2604-AAAAAA", 1, [Notice.CITIZEN_SMS], AT, AT)


@pytest.mark.parametrize("code", ["InternalServerError", "ValidationException", "ResourceNotFoundException"])
def test_other_errors_are_raised_as_they_are(client, code):
    client.stubber.add_client_error("transact_write_items", service_error_code=code, http_status_code=400)
    with pytest.raises(ClientError) as raised:
        DynamoCases(Table(client, "t")).save(change())
    assert raised.value.response["Error"]["Code"] == code


# --- the audit draw: a conflict means another draw took the candidates; throttling is not that ---


def draws() -> list[Draw]:
    return [Draw(Candidate("2604-AAAAAA", 5, "DIST-1039", "2026-04"), 0.01, True)]


@pytest.mark.parametrize("codes", [("ConditionalCheckFailed",), ("None", "TransactionConflict")])
def test_a_draw_that_another_draw_beat_records_nothing(client, codes):
    cancel(client, *codes)
    assert DynamoAudits(Table(client, "t")).record("2026-04-20", "DIST-1039", draws(), 0.05, "test", AT) == []


def test_a_throttled_draw_is_busy_not_taken_for_a_draw_done_elsewhere(client):
    """Before: any cancellation was read as "another draw took them", so a throttled draw was
    silently skipped. Now the sweep fails and its retry draws."""
    cancel(client, "None", "ThrottlingError")
    with pytest.raises(Busy):
        DynamoAudits(Table(client, "t")).record("2026-04-20", "DIST-1039", draws(), 0.05, "test", AT)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [(("ConditionalCheckFailed", "None", "None"), CONFLICT), (("ThrottlingError", "None", "None"), BUSY),
     (("ValidationError", "None", "None"), OURS)],
)  # fmt: skip
def test_the_month_minimum_audit_is_settled_once_and_never_skipped_for_a_throttle(client, codes, expected):
    audits = DynamoAudits(Table(client, "t"))
    cancel(client, *codes)
    candidate = draws()[0].candidate
    if expected == CONFLICT:
        assert audits.settle("2026-04", "DIST-1039", candidate, ["x"], 0, "test", AT) is False
    else:
        kind, _ = outcome(lambda: audits.settle("2026-04", "DIST-1039", candidate, ["x"], 0, "test", AT))
        assert kind == expected
