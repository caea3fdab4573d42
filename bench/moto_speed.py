"""Making moto fast enough for benchmarks of tens of thousands of items, without changing what it answers."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from unittest import mock


@contextlib.contextmanager
def cheap_transaction_backups() -> Iterator[None]:
    """moto backs up the table with ``copy.deepcopy`` before each item of a TransactWriteItems (to roll
    back a cancelled one): O(table) per item, hours and tens of GB for 200 sweep transactions on
    60,000 items. A transaction of Puts replaces items and changes only the partitions it puts in:
    a copy of the table's partition map and of those partitions rolls it back just as well, and is
    used for such transactions. moto's speed changes, not the calls made nor their answers."""
    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    real = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        if any(set(t) != {"Put"} for t in transact_items):
            return real(self, transact_items)
        touched = {
            DynamoType(t["Put"]["Item"][self.get_table(t["Put"]["TableName"]).hash_key_attr]) for t in transact_items
        }

        def backup(obj: Any, memo: Any = None) -> Any:
            if not isinstance(obj, Table):
                return copy.deepcopy(obj, memo)
            snap = copy.copy(obj)
            snap.items = obj.items.copy()
            for key in touched & snap.items.keys():
                snap.items[key] = copy.copy(snap.items[key])
            return snap

        with mock.patch.object(models, "copy", SimpleNamespace(deepcopy=backup, copy=copy.copy)):
            return real(self, transact_items)

    with mock.patch.object(models.DynamoDBBackend, "transact_write_items", transact_write_items):
        yield
