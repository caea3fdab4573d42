"""A stack started by ``make run``, seen from another process (``make sweep``, ``make report``).

``server.json`` in the state directory names the running stack's process and
URL (``python -m local run`` writes it once it is up, and removes it when it
stops). One writer of the local state at a time: while that stack runs, the
commands ask it over HTTP (``POST /_local/invoke/...``, the API, the outbox)
rather than loading the saved state themselves.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote


def running_server(state: Path) -> dict[str, Any] | None:
    """The stack ``make run`` started on this state directory, if its process is alive."""
    try:
        info = json.loads((state / "server.json").read_text(encoding="utf-8"))
        os.kill(int(info["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return info


def invoke(url: str, function: str, at: datetime) -> tuple[int, Any]:
    """Run a scheduled function inside the running stack: its status and the handler's result."""
    request = urllib.request.Request(  # noqa: S310 - our own local URL
        f"{url}/_local/invoke/{quote(function)}?at={quote(at.isoformat())}", method="POST", data=b""
    )
    try:
        with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def get(url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """``GET url + path``: the status and the body, also of an error."""
    request = urllib.request.Request(url + path, headers=headers or {})  # noqa: S310 - our own local URL
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
