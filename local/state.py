"""The local stack's saved state: ``state.json`` under the state directory.

One JSON document: ``format``, ``saved_at``, ``table``, the table's ``items``
(DynamoDB JSON as the low-level client speaks it, binary values in base64 —
``encode_item``/``decode_item``), the outbox entries, the demo case and the
link-signing secret (so that the links sent before a restart still open after
it). Written atomically (a temporary file, then a rename), readable by its
owner only; a file that cannot be read is moved aside, never deleted (``move_aside``).
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FORMAT = 1

Item = dict[str, dict[str, Any]]


def _encode_value(av: dict[str, Any]) -> dict[str, Any]:
    ((kind, value),) = av.items()
    if kind == "B":
        return {"B": base64.b64encode(value).decode("ascii")}
    if kind == "BS":
        return {"BS": [base64.b64encode(v).decode("ascii") for v in value]}
    if kind == "M":
        return {"M": {k: _encode_value(v) for k, v in value.items()}}
    if kind == "L":
        return {"L": [_encode_value(v) for v in value]}
    return av


def _decode_value(av: dict[str, Any]) -> dict[str, Any]:
    ((kind, value),) = av.items()
    if kind == "B":
        return {"B": base64.b64decode(value)}
    if kind == "BS":
        return {"BS": [base64.b64decode(v) for v in value]}
    if kind == "M":
        return {"M": {k: _decode_value(v) for k, v in value.items()}}
    if kind == "L":
        return {"L": [_decode_value(v) for v in value]}
    return av


def encode_item(item: Item) -> Item:
    """A DynamoDB item as JSON can hold it (bytes in base64)."""
    return {k: _encode_value(v) for k, v in item.items()}


def decode_item(item: Item) -> Item:
    return {k: _decode_value(v) for k, v in item.items()}


def document(
    *, table: str, items: Iterable[str], outbox: Iterable[str], demo: dict[str, Any], link_secret: str | None
) -> str:
    """The state file's text, from items (``encode_item``'s form) and outbox entries already in JSON:
    the write-behind (``local.persist``) keeps each one's JSON and re-encodes only what changed."""
    head = {
        "format": FORMAT,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "table": table,
        "demo": demo,
        "link_secret": link_secret,
    }
    return (
        json.dumps(head, ensure_ascii=False)[:-1] + f', "items": [{",".join(items)}], "outbox": [{",".join(outbox)}]}}'
    )


def write_text(path: Path, text: str) -> None:
    """Write the state atomically, readable by this user only (``write_bytes``)."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file of the state atomically — a temporary file, flushed to disk, then a rename —
    readable by this user only (it holds complainants' data, their photos, the link-signing secret)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def read(path: Path) -> tuple[list[Item], dict[str, Any]]:
    """The items (decoded) and the whole state; ``OSError``, ``ValueError``, ``TypeError`` or
    ``AttributeError`` when the file cannot be read as a state of this format."""
    state = json.loads(path.read_text(encoding="utf-8"))
    if state.get("format") != FORMAT:
        raise ValueError(f"state format {state.get('format')!r}, expected {FORMAT}")
    return [decode_item(item) for item in state.get("items") or []], state


def move_aside(path: Path) -> Path:
    """Keep an unreadable state file under another name; where it went."""
    aside = path.with_name(f"state.unreadable-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json")
    os.replace(path, aside)
    return aside
