"""Fault injection at botocore's door: every AWS call of the code under test goes through
``BaseClient._make_api_call`` (after botocore's own retries have given up, as far as the code
can tell), so a fault planted there is what DynamoDB, SES or SNS would answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from botocore.exceptions import ClientError, EndpointConnectionError

#: What each service answers when it throttles us, and when it fails.
THROTTLED = {"dynamodb": "ProvisionedThroughputExceededException", "ses": "Throttling", "sns": "Throttled"}
FAILED = {"dynamodb": "InternalServerError", "ses": "ServiceUnavailable", "sns": "InternalError"}


def throttled(service: str, operation: str) -> Exception:
    return ClientError({"Error": {"Code": THROTTLED[service], "Message": "Rate exceeded"}}, operation)


def failed(service: str, operation: str) -> Exception:
    return ClientError({"Error": {"Code": FAILED[service], "Message": "injected failure"}}, operation)


def unreachable(service: str, operation: str) -> Exception:
    return EndpointConnectionError(endpoint_url=f"https://{service}.ap-southeast-1.amazonaws.com/")


def conflicting(service: str, operation: str) -> Exception:
    """A transaction DynamoDB cancelled because another one was writing the same item."""
    return ClientError(
        {
            "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
            "CancellationReasons": [{"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}],
        },
        operation,
    )


KINDS: dict[str, Callable[[str, str], Exception]] = {
    "throttled": throttled,
    "failed": failed,
    "unreachable": unreachable,
    "conflict": conflicting,
}


@dataclass
class Fault:
    """The ``nth`` call of ``service.operation`` fails with ``kind`` (and, for an ``outage``, every
    later one too) until the fault is lifted."""

    service: str
    operation: str
    nth: int
    kind: str
    outage: bool = False
    seen: int = 0
    fired: int = 0
    armed: bool = True

    def hit(self, service: str, operation: str) -> Exception | None:
        if not self.armed or (service, operation) != (self.service, self.operation):
            return None
        self.seen += 1
        if self.seen == self.nth or (self.outage and self.seen > self.nth):
            self.fired += 1
            return KINDS[self.kind](service, operation)
        return None


@dataclass
class Injector:
    faults: list[Fault] = field(default_factory=list)

    def plant(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def lift(self) -> None:
        for f in self.faults:
            f.armed = False
