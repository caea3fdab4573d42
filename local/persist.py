"""Write-behind of the local stack's state: ``state.json`` at most once a second, and at stop.

Saving the whole table after every request made each write cost more as the
table grew (and held every other request back meanwhile). Instead:

- moto's DynamoDB writes (``put_item``, ``update_item``, ``delete_item`` of its
  backend: also those of a ``TransactWriteItems`` or ``BatchWriteItem``, from the
  handlers or from any client of the moto server) mark the keys they touch;
- ``WriteBehind`` keeps each item's JSON (``local.state``'s form) and, when
  woken (``touch``: the stack does after each request that is not a GET and
  each scheduled run), re-reads only the marked items — holding the stack's lock
  for that moment only, so that no handler is midway through a change — and
  writes the whole file atomically (``state.write_text``). It writes at most
  once per ``interval`` (1 s): the writes of a burst are saved together;
- ``close`` (the stack stopping: Ctrl-C, SIGTERM) writes what is left;
- each save also mirrors the photo bucket's kept objects to files (``local.photos``), read under
  the same lock, written before ``state.json``.

So a crash loses at most the last interval's changes, and a stop loses none.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from local import infra, photos, state
from local.fifo import FifoLock

INTERVAL_S = 1.0

Key = tuple[Any, Any]  # moto's DynamoType of the partition key, and of the sort key (or None)


def _table() -> Any:
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[infra.ACCOUNT][infra.REGION].get_table(infra.LOCAL_TABLE)


def _item_json(item: Any) -> str:
    return json.dumps(state.encode_item(state.decode_item(item.to_json()["Attributes"])), ensure_ascii=False)


@contextlib.contextmanager
def marked_writes(mark: Callable[[Key], None]) -> Iterator[None]:
    """Until exit, every write of moto's DynamoDB backend to the local table calls ``mark`` with its key."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType

    def marking(real: Callable[..., Any], keys_arg: str) -> Callable[..., Any]:
        def write(self: Any, *args: Any, **kwargs: Any) -> Any:
            name = args[0] if args else kwargs.get("table_name")
            attrs = args[1] if len(args) > 1 else kwargs.get(keys_arg)
            table = self.tables.get(name) if name == infra.LOCAL_TABLE else None
            if table is not None and isinstance(attrs, dict) and table.hash_key_attr in attrs:
                sort = attrs.get(table.range_key_attr) if table.range_key_attr else None
                mark((DynamoType(attrs[table.hash_key_attr]), DynamoType(sort) if sort else None))
            return real(self, *args, **kwargs)

        return write

    with (
        mock.patch.object(DynamoDBBackend, "put_item", marking(DynamoDBBackend.put_item, "item_attrs")),
        mock.patch.object(DynamoDBBackend, "update_item", marking(DynamoDBBackend.update_item, "key")),
        mock.patch.object(DynamoDBBackend, "delete_item", marking(DynamoDBBackend.delete_item, "key")),
    ):
        yield


class WriteBehind:
    """The state file kept up to date behind the stack's back: see the module's docstring."""

    def __init__(
        self,
        path: Path,
        lock: FifoLock,
        extras: Callable[[], dict[str, Any]],
        mirror: photos.Mirror | None = None,
        interval: float = INTERVAL_S,
    ):
        self.path = path
        self.mirror = mirror
        self.lock = lock
        self.extras = extras  # {"outbox": entries, "demo": ..., "link_secret": ...}, read under the lock
        self.interval = interval
        self._items: dict[Key, str] = {}  # each item's JSON, as last read
        self._outbox: dict[str, str] = {}  # each outbox entry's JSON, by id (an entry does not change)
        self._dirty: set[Key] = set()
        self._dirty_lock = threading.Lock()
        self._flushing = threading.Lock()
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None
        self.saves = 0

    def mark(self, key: Key) -> None:
        with self._dirty_lock:
            self._dirty.add(key)

    def start(self) -> None:
        """Read every item once (after the state was loaded), then save in the background."""
        with self.lock:
            table = _table()
            self._items = {(i.hash_key, i.range_key): _item_json(i) for i in list(table.all_items())}
        with self._dirty_lock:
            self._dirty.clear()
        self._thread = threading.Thread(target=self._run, name="state-write-behind", daemon=True)
        self._thread.start()

    def touch(self) -> None:
        """Something changed: save within ``interval``."""
        self._wake.set()

    def flush(self) -> None:
        """Save now: the items marked since the last save are read again, and the file written."""
        with self._flushing:
            self._wake.clear()
            with self._dirty_lock:
                dirty, self._dirty = self._dirty, set()
            self.lock.acquire(first=True)
            try:
                table = _table()
                changed = {key: table.get_item(*key) for key in dirty}
                found = {key: _item_json(item) for key, item in changed.items() if item is not None}
                extras = self.extras()
                objects = self.mirror.changes() if self.mirror else None
            except BaseException:
                with self._dirty_lock:
                    self._dirty |= dirty  # read again next time
                raise
            finally:
                self.lock.release()
            for key in dirty:
                if key in found:
                    self._items[key] = found[key]
                else:
                    self._items.pop(key, None)
            if self.mirror and objects:
                self.mirror.write(objects)
            outbox = []
            for entry in extras.pop("outbox"):
                if entry["id"] not in self._outbox:
                    self._outbox[entry["id"]] = json.dumps(entry, ensure_ascii=False)
                outbox.append(self._outbox[entry["id"]])
            text = state.document(table=infra.LOCAL_TABLE, items=self._items.values(), outbox=outbox, **extras)
            state.write_text(self.path, text)
            self.saves += 1

    def close(self) -> None:
        """Stop the background saves and write what is left, if anything is."""
        pending = self._wake.is_set()
        self._closing.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        with self._dirty_lock:
            pending = pending or bool(self._dirty)
        if pending:
            self.flush()

    def _run(self) -> None:
        last = 0.0
        while True:
            self._wake.wait()
            if self._closing.wait(max(0.0, last + self.interval - time.monotonic())):
                return  # close() writes what is left
            try:
                self.flush()
            except Exception:
                traceback.print_exc()
                print(f"warning: could not save the state to {self.path}; will try again", flush=True)
                self._wake.set()
            last = time.monotonic()
