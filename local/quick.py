"""moto made fast enough for the local stack and its seed, without changing what it answers.

Two changes of speed only, entered by ``Stack.start`` for as long as the stack runs:

- ``in_process_transport``: the boto3 clients of the stack's own process (the
  handlers') reach moto's WSGI application — the one the moto server serves —
  by a direct call instead of a socket: no connection, no server thread per
  request. Requests and answers are the same bytes; anything else (the AWS
  CLI, the tests, another process) still goes through the moto server's port.
- ``quick_reads``: moto answers a Query by sorting every item of the table
  (``Table.all_items``, comparing moto's typed values pair by pair), then
  keeping those of the partition or index key asked for, then sorting those
  again. Within a Query the first sort changes nothing (the second one orders
  the results by their whole key), and a Query needs only the items of its
  partition, or with its index's key (and, without a Limit, within its sort
  key conditions): so that is what ``all_items`` gives a Query — moto still
  checks every condition itself. A Scan gets every item in
  the same order as before, sorted on each key's value cast once.
- ``quick_item_answers``: moto writes each item of an answer by walking the
  AttributeValue shape of botocore's model, member by member, for every
  attribute. An item whose values are strings, numbers, booleans, nulls, sets,
  lists and maps of those is already exactly what that walk writes, and is
  written as it is (binary values still take the walk).
- ``cached_lookups``: for every request moto lists the folders of its own
  package (to tell a service's name from a host name) and collects the
  methods of the answering class by introspection; both are the same for as
  long as the process lives, and are remembered.
- ``cheap_transaction_backups``: before each item of a ``TransactWriteItems`` moto backs up the whole table with
``copy.deepcopy`` (to roll a cancelled transaction back): O(table) per item, so
every write of the stack gets slower as the table grows — with the seed's two
months of history, most of a second per request. A transaction changes only
the partitions it writes to: a copy of the table's partition map, with deep
copies of those partitions, rolls it back just as well, and is what is backed
up instead (``bench/moto_speed.py`` does the same for the benchmarks'
transactions of Puts). moto's answers and rollbacks are unchanged.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from unittest import mock
from urllib.parse import urlsplit


class _Direct:
    """A botocore ``before-send`` handler: a request to ``endpoint`` answered by moto's app in this thread."""

    def __init__(self, endpoint: str, app: Any) -> None:
        self.endpoint = endpoint
        self.app = app

    def __call__(self, request: Any, **kwargs: Any) -> Any:
        if not self.endpoint or not request.url.startswith(self.endpoint + "/"):
            return None
        from botocore.awsrequest import AWSResponse
        from moto.core.botocore_stubber import MockRawResponse
        from werkzeug.test import EnvironBuilder, run_wsgi_app

        url = urlsplit(request.url)
        body = request.body.read() if hasattr(request.body, "read") else request.body
        headers = {k: v.decode("utf-8") if isinstance(v, bytes) else v for k, v in request.headers.items()}
        environ = EnvironBuilder(
            method=request.method, path=url.path, query_string=url.query, headers=headers | {"Host": url.netloc},
            data=body or b"",
        ).get_environ()  # fmt: skip
        answer, status, response_headers = run_wsgi_app(self.app, environ)
        try:
            data = b"".join(answer)
        finally:
            getattr(answer, "close", lambda: None)()
        return AWSResponse(request.url, int(status.split()[0]), dict(response_headers), MockRawResponse(data))


@contextlib.contextmanager
def in_process_transport(endpoint: str) -> Iterator[None]:
    """Until exit, boto3 sessions made after entry send their requests to ``endpoint`` straight to moto's app."""
    from botocore.handlers import BUILTIN_HANDLERS
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    direct = _Direct(endpoint, DomainDispatcherApplication(create_backend_app))
    BUILTIN_HANDLERS.append(("before-send", direct))
    try:
        yield
    finally:
        direct.endpoint = ""  # sessions made meanwhile keep the handler: it stands aside
        BUILTIN_HANDLERS.remove(("before-send", direct))


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
def quick_item_answers() -> Iterator[None]:
    from moto.core.serialize import BaseJSONSerializer

    real = BaseJSONSerializer._serialize_type_map

    def serialize_map(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        attribute_map = getattr(shape.value, "name", None) == "AttributeValue" and isinstance(value, dict)
        if attribute_map and all(isinstance(k, str) and _plain(v) for k, v in value.items()):
            self._default_serialize(serialized, value, shape, key)
        else:
            real(self, serialized, value, shape, key)

    with mock.patch.object(BaseJSONSerializer, "_serialize_type_map", serialize_map):
        yield


@contextlib.contextmanager
def cached_lookups() -> Iterator[None]:
    import functools

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
