"""How the adapters answer DynamoDB's refusals (``docs/data-model.md``, "When DynamoDB says no").

A cancelled transaction carries one reason per item, in order:

- ``ConditionalCheckFailed``, ``TransactionConflict``: someone else wrote first (or is writing).
  A conflict: the caller reads again and decides again (409 if it still cannot).
- ``ThrottlingError``, ``ProvisionedThroughputExceeded``, ``RequestLimitExceeded``: nothing was
  written, try later: :class:`Busy` (503 with ``Retry-After``).
- ``None``: that item was fine.
- anything else (``ValidationError``, ``ItemCollectionSizeLimitExceeded``…): a fault of ours; the
  ``ClientError`` is raised as it is (500, the alarm on errors).

Outside a transaction, the throttling codes that are left after botocore's own retries are
:class:`Busy` too (every call through :class:`Guarded`).
"""

from __future__ import annotations

import functools
from typing import Any

from botocore.exceptions import ClientError

from ...domain.errors import Busy

CANCELLED = "TransactionCanceledException"
CONFLICT_REASONS = frozenset({"ConditionalCheckFailed", "TransactionConflict"})
BUSY_REASONS = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"})
BUSY_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TransactionInProgressException",
    }
)


def reasons(err: ClientError) -> list[str]:
    """The cancellation reason of each item of a cancelled transaction ("None" where it was fine)."""
    return [str(r.get("Code") or "None") for r in err.response.get("CancellationReasons") or []]


def cancelled_by_conflict(err: ClientError) -> bool:
    """True when a transaction was cancelled because another writer came first (a condition
    failed, or a concurrent transaction). Raises :class:`Busy` when it was throttled. False for
    anything else: the caller raises the error as it is."""
    if err.response.get("Error", {}).get("Code") != CANCELLED:
        return False
    found = set(reasons(err)) - {"None"}
    if not found or found - CONFLICT_REASONS - BUSY_REASONS:
        return False  # unknown, or a reason that is our fault: never hidden
    if found & CONFLICT_REASONS:
        return True
    raise Busy("the store is busy; nothing was written, try again shortly") from err


def busy(err: ClientError) -> bool:
    return err.response.get("Error", {}).get("Code") in BUSY_CODES


class Guarded:
    """A DynamoDB client whose calls raise :class:`Busy` for throttling, every other error as it is."""

    def __init__(self, client: Any):
        self._client = client

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if name.startswith("_") or not callable(attr):
            return attr

        @functools.wraps(attr)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return attr(*args, **kwargs)
            except ClientError as err:
                if busy(err):
                    raise Busy("the store is busy; try again shortly") from err
                raise

        return call
