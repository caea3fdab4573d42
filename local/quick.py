"""moto made fast for the local stack, its seed and the benchmarks, without changing what it answers.

One place for every speed (and memory) patch (``faster_moto`` enters them all: ``Stack.start``
for as long as the stack runs, ``bench.reports`` around its months; ``bench.sla_sweep``
enters ``cheap_transaction_backups`` alone):

- ``cheap_transaction_backups``: before each item of a ``TransactWriteItems``
  moto backs up the whole table with ``copy.deepcopy`` (to roll a cancelled
  transaction back): O(table) per item, so every write got slower as the table
  grew (most of a second per request at a few thousand cases; hours for the
  sweep benchmark). A transaction changes only the partitions it writes to: a
  copy of the table's partition map, with deep copies of those partitions,
  rolls it back just as well, and is what is backed up instead.
- ``quick_reads``: moto answers a Query by sorting every item of the table
  (``Table.all_items``), then keeping those of the partition or index key asked
  for, then sorting those again. A Query needs only the items of its partition,
  or with its index's key (and, without a Limit, within its sort key
  conditions): that is what ``all_items`` gives a Query — moto still checks
  every condition itself. A Scan gets every item in the same order as before.
- ``quick_item_sizes``: moto re-sums an item's size on each attribute it sets
  (O(attributes²) per item); a new item checks its size once, against the same limit.
- ``quick_item_answers`` and ``quick_structures``: moto writes each item of an
  answer by walking the AttributeValue shape of botocore's model, member by
  member. A value made of strings, numbers, booleans, nulls, sets, lists and
  maps of those is already what that walk writes, and is written as it is
  (binary values still take the walk).
- ``cached_lookups``: for every request moto lists the folders of its own
  package and collects the methods of the answering class by introspection;
  both are the same for as long as the process lives, and are remembered.
- ``untracked_items``: moto keeps every instance of its models in a list of
  its class, for ever (for ``/moto-api/data.json``): every DynamoDB item ever
  written, and the copies moto makes of an item at each update (two) and of the
  table at each transaction — a server's memory grew by tens of kilobytes a
  request. DynamoDB items and tables are no longer listed there (the other
  models still are); the table itself holds its items as before.
- ``parsed_updates_kept``: moto parses an UpdateExpression twice per update
  (the product's few expressions, thousands of times); each expression's tree
  is kept — moto only reads it, and validates a deep copy.

``tests/integration/test_local_quick.py`` checks the answers against plain moto.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import threading
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any
from unittest import mock


def _touched(backend: Any, transact_items: list[dict[str, Any]]) -> dict[str, set[Any]]:
    """The partition keys (moto's ``DynamoType``) each table of the transaction writes to."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    out: dict[str, set[Any]] = {}
    for item in transact_items:
        for op_type, op in item.items():
            name = op.get("TableName")
            if name not in backend.tables:
                continue
            attrs = op.get("Item") if op_type == "Put" else op.get("Key")
            hash_attr = backend.tables[name].hash_key_attr
            if attrs and hash_attr in attrs:
                out.setdefault(name, set()).add(DynamoType(attrs[hash_attr]))
    return out


_querying = threading.local()  # in this thread: the Table being queried, the partition and index keys asked for


def _wanted(item: Any, conditions: list[tuple[str, Any]]) -> bool:
    """Whether an item has the string index keys asked for (other conditions are left to moto)."""
    for name, value in conditions:
        if value.type == "S":
            found = item.attrs.get(name)
            if found is None or found.type != "S" or found.value != value.value:
                return False
    return True


def _in_range(item: Any, conditions: list[tuple[str, str, list[Any]]]) -> bool:
    """Whether an item meets the sort key conditions, as moto compares them (doubt: kept, moto decides)."""
    from moto.dynamodb.comparisons import get_comparison_func

    for name, op, values in conditions:
        compare, found = get_comparison_func(op), item.attrs.get(name)
        if compare is None:
            continue
        if found is None:
            return False
        try:
            if not compare(found.cast_value, *(v.cast_value for v in values)):
                return False
        except TypeError:
            continue
    return True


def _key(item: Any) -> Any:
    """``all_items``' sort key, with each key's value cast once (moto compares typed values by their cast)."""
    return (item.hash_key.cast_value, item.range_key.cast_value) if item.range_key else item.hash_key.cast_value


@contextlib.contextmanager
def quick_reads() -> Iterator[None]:
    from moto.dynamodb.models.table import Table

    real_query = Table.query

    def every(self: Any) -> list[Any]:
        return [i for part in self.items.values() for i in (part.values() if self.range_key_attr else [part])]

    def all_items(self: Any) -> list[Any]:
        if getattr(_querying, "table", None) is not self:
            return sorted(every(self), key=_key)
        if _querying.partition is not None:
            part = self.items.get(_querying.partition)
            found = [] if part is None else list(part.values()) if self.range_key_attr else [part]
        else:
            found = [i for i in every(self) if _wanted(i, _querying.conditions)]
        return [i for i in found if _in_range(i, _querying.ranges)] if _querying.ranges else found

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        limit = args[2] if len(args) > 2 else kwargs.get("limit")
        _querying.table, _querying.partition = self, (None if index_name else hash_key)
        _querying.conditions = list(kwargs.get("hash_key_conditions") or []) if index_name else []
        # without a Limit, leaving out what the sort key conditions rule out changes nothing of the answer
        _querying.ranges = list(kwargs.get("range_key_conditions") or []) if limit is None else []
        try:
            return real_query(self, hash_key, *args, **kwargs)
        finally:
            _querying.table = _querying.partition = None

    with mock.patch.object(Table, "query", query), mock.patch.object(Table, "all_items", all_items):
        yield


_SCALARS = {"S": str, "N": str, "NULL": bool, "BOOL": bool}


def _plain(value: Any) -> bool:
    """Whether an AttributeValue (``{"S": "x"}``…) is made only of JSON's own types, no binary."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    ((kind, inner),) = value.items()
    if kind in _SCALARS:
        return isinstance(inner, _SCALARS[kind])
    if kind in ("SS", "NS"):
        return isinstance(inner, list) and all(isinstance(v, str) for v in inner)
    if kind == "M":
        return isinstance(inner, dict) and all(isinstance(k, str) and _plain(v) for k, v in inner.items())
    if kind == "L":
        return isinstance(inner, list) and all(_plain(v) for v in inner)
    return False


@contextlib.contextmanager
def _written_as_is(method: str, as_is: Callable[[Any, Any, str], bool]) -> Iterator[None]:
    """moto's JSON serializer's ``method`` writes a value as it is when ``as_is(value, shape, key)``."""
    from moto.core.serialize import BaseJSONSerializer

    real = getattr(BaseJSONSerializer, method)

    def serialize(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if as_is(value, shape, key):
            self._default_serialize(serialized, value, shape, key)
        else:
            real(self, serialized, value, shape, key)

    with mock.patch.object(BaseJSONSerializer, method, serialize):
        yield


def quick_item_answers() -> contextlib.AbstractContextManager[None]:
    """An item (a map of AttributeValues) made only of plain values is written as it is."""

    def plain_item(value: Any, shape: Any, key: str) -> bool:
        attribute_map = getattr(shape.value, "name", None) == "AttributeValue" and isinstance(value, dict)
        return attribute_map and all(isinstance(k, str) and _plain(v) for k, v in value.items())

    return _written_as_is("_serialize_type_map", plain_item)


def quick_structures() -> contextlib.AbstractContextManager[None]:
    """A plain AttributeValue (of an item that is not all plain) is written as it is."""
    return _written_as_is(
        "_serialize_type_structure",
        lambda value, shape, key: bool(key) and shape.name == "AttributeValue" and _plain(value),
    )


@contextlib.contextmanager
def cached_lookups() -> Iterator[None]:
    from moto import backends
    from moto.core import responses

    modules = tuple(backends.list_of_moto_modules())
    method_names = functools.lru_cache(maxsize=None)(responses.method_names_from_class)
    with (
        mock.patch.object(backends, "list_of_moto_modules", lambda: modules),
        mock.patch.object(responses, "method_names_from_class", method_names),
    ):
        yield


@contextlib.contextmanager
def cheap_transaction_backups() -> Iterator[None]:
    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    real = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        touched = _touched(self, transact_items)

        def backup(obj: Any, memo: Any = None) -> Any:
            if not isinstance(obj, Table) or obj.name not in touched:
                return copy.deepcopy(obj, memo)
            snap = copy.copy(obj)
            snap.items = obj.items.copy()
            for key in touched[obj.name] & snap.items.keys():
                snap.items[key] = copy.deepcopy(obj.items[key])
            return snap

        with mock.patch.object(models, "copy", SimpleNamespace(deepcopy=backup, copy=copy.copy)):
            return real(self, transact_items)

    with mock.patch.object(models.DynamoDBBackend, "transact_write_items", transact_write_items):
        yield


@contextlib.contextmanager
def quick_item_sizes() -> Iterator[None]:
    from moto.dynamodb.exceptions import ItemSizeTooLarge
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

    def item_init(self: Any, hash_key: Any, range_key: Any, attrs: dict[str, Any]) -> None:
        self.hash_key, self.range_key, self.attrs = hash_key, range_key, LimitedSizeDict()
        for key, value in attrs.items():
            dict.__setitem__(self.attrs, key, DynamoType(value))
        if self.size() > 405_000:  # LimitedSizeDict's limit
            raise ItemSizeTooLarge

    with mock.patch.object(Item, "__init__", item_init):
        yield


@contextlib.contextmanager
def parsed_updates_kept() -> Iterator[None]:
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser

    parse = functools.lru_cache(maxsize=512)(UpdateExpressionParser.make)
    with mock.patch.object(UpdateExpressionParser, "make", staticmethod(parse)):
        yield


class _Untracked(list[Any]):
    """A model's list of instances that keeps none."""

    def append(self, instance: Any) -> None:
        pass


@contextlib.contextmanager
def untracked_items() -> Iterator[None]:
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.models.table import Table

    with (
        mock.patch.object(Item, "instances_tracked", _Untracked()),
        mock.patch.object(Table, "instances_tracked", _Untracked()),
    ):
        yield


@contextlib.contextmanager
def faster_moto() -> Iterator[None]:
    """Every speed patch of this module, until exit."""
    with (
        cheap_transaction_backups(),
        quick_reads(),
        quick_item_sizes(),
        quick_item_answers(),
        quick_structures(),
        cached_lookups(),
        parsed_updates_kept(),
        untracked_items(),
    ):
        yield
