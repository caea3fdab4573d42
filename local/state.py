"""The local stack's saved state: ``state.json`` under the state directory.

One JSON document: ``format``, ``saved_at``, ``table``, the table's ``items``
(DynamoDB JSON as the low-level client speaks it, binary values in base64 —
``encode_item``/``decode_item``), the outbox entries and the demo case. Written
atomically (a temporary file, then a rename); a file that cannot be read is
moved aside, never deleted (``move_aside``).
"""

from __future__ import annotations

import base64
import json
import os
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


def write(path: Path, *, table: str, items: list[Item], outbox: list[dict[str, Any]], demo: dict[str, Any]) -> None:
    state = {
        "format": FORMAT,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "table": table,
        "items": [encode_item(item) for item in items],
        "outbox": outbox,
        "demo": demo,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".state.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
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
