"""The local stack's Open311 API key: ``make run`` prints it (``Open311 API key: <key>``).

One key named ``local demo``, issued through the API as an admin would (``POST /api-keys``).
It is stable across restarts: the stack persists its state, and the key (shown once by the API,
stored there only as a hash) is kept in the saved state beside the demo case (``stack.demo``,
``.local/state.json``: local only, never deployed). At each start the saved key is looked up
(``GET /api-keys``); if it was revoked, or the state is new, a new one is issued.
"""

from __future__ import annotations

import json

from local.events import claims_for
from local.stack import Stack

NAME = "local demo"
ADMIN = claims_for("admin", None, "local-stack")
JSON = {"Content-Type": "application/json"}


def ensure(stack: Stack) -> str:
    """The stack's demo key: the saved one while it is still good, else a new one (saved)."""
    saved = stack.demo.get("api_key")
    if saved and _active(stack, saved.split(".", 1)[0]):
        return str(saved)
    answer = stack.api("POST", "/api-keys", headers=JSON, body=json.dumps({"name": NAME}), claims=ADMIN)
    if answer is None or answer.status != 201:
        raise RuntimeError(f"the local stack could not issue its API key: {answer and answer.body!r}")
    key = str(answer.json["api_key"])
    stack.demo = stack.demo | {"api_key": key}
    stack.save()
    return key


def _active(stack: Stack, key_id: str) -> bool:
    answer = stack.api("GET", "/api-keys", headers=JSON, claims=ADMIN)
    if answer is None or answer.status != 200:
        return False
    return any(k["id"] == key_id and k["revoked_at"] is None for k in answer.json["api_keys"])
