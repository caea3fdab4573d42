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


def _plain(value: Any) -> bool:
    """An AttributeValue that moto's serializer would copy as it is: no binary anywhere in it."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    ((kind, v),) = value.items()
    if kind in ("S", "N", "BOOL", "NULL"):
        return isinstance(v, bool if kind in ("BOOL", "NULL") else str)
    if kind in ("SS", "NS"):
        return isinstance(v, list) and all(isinstance(e, str) for e in v)
    if kind == "M":
        return isinstance(v, dict) and all(_plain(e) for e in v.values())
    return kind == "L" and isinstance(v, list) and all(_plain(e) for e in v)


@contextlib.contextmanager
def faster_moto() -> Iterator[None]:
    """moto, minutes instead of hours at 20,000 cases, the same answers (checked against plain moto on a
    300-case month: every page of every Query, GetItem, binary attributes, the 400 KB limit): a Query is
    handed only the items its key condition can match (moto sorted the whole table, then filtered);
    an item checks its size once when made (moto re-summed it on each attribute: O(attributes²)); a
    plain AttributeValue is copied into the answer (moto walked each through the service model)."""
    from moto.core.serialize import BaseJSONSerializer
    from moto.dynamodb.exceptions import ItemSizeTooLarge
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
    from moto.dynamodb.models.table import Table

    real_query, real_structure = Table.query, BaseJSONSerializer._serialize_type_structure

    def query(self: Any, hash_key: Any, comparison: Any, range_objs: Any, *args: Any, **kwargs: Any) -> Any:
        index_name, conditions = (
            args[4] if len(args) > 4 else kwargs.get("index_name"),
            kwargs.get("hash_key_conditions"),
        )
        if not self.range_key_attr or (index_name and not conditions) or (not index_name and hash_key is None):
            return real_query(self, hash_key, comparison, range_objs, *args, **kwargs)

        def candidates() -> list[Any]:
            if not index_name:
                return list(self.items[hash_key].values()) if hash_key in self.items else []
            rk = {k["KeyType"]: k["AttributeName"] for k in self.get_index(index_name).schema}.get("RANGE")
            return [
                i for p in self.items.values() for i in p.values()
                if all(a in i.attrs and i.attrs[a] == v for a, v in conditions)
                and not (comparison and rk and not (rk in i.attrs and i.attrs[rk].compare(comparison, range_objs)))
            ]  # fmt: skip

        with mock.patch.object(self, "all_items", candidates):
            return real_query(self, hash_key, comparison, range_objs, *args, **kwargs)

    def item_init(self: Any, hash_key: Any, range_key: Any, attrs: dict[str, Any]) -> None:
        self.hash_key, self.range_key, self.attrs = hash_key, range_key, LimitedSizeDict()
        for key, value in attrs.items():
            dict.__setitem__(self.attrs, key, DynamoType(value))
        if self.size() > 405_000:  # LimitedSizeDict's limit
            raise ItemSizeTooLarge

    def structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if key and shape.name == "AttributeValue" and _plain(value):
            self._default_serialize(serialized, value, shape, key)
        else:
            real_structure(self, serialized, value, shape, key)

    with (
        mock.patch.object(Table, "query", query),
        mock.patch.object(Item, "__init__", item_init),
        mock.patch.object(BaseJSONSerializer, "_serialize_type_structure", structure),
    ):
        yield
