"""Demo complaints for a fresh local stack (``make run`` calls it when the table is empty).

Everything goes through the API the way a client would — ``POST /complaints``
as citizens (and as the call centre for phone complaints), then
``POST /complaints/{id}/route`` as the call centre for the cases that landed in
triage and for one re-route — each call an API Gateway event handed to the
intake handler (``Stack.api``), stamped with an instant over the last ten days.
Reference data is not seeded: it is bundled with the code.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from complaints.domain.calendar import BANGKOK
from local.events import claims_for
from local.stack import Stack

DEMO = Path(__file__).with_name("demo.json")  # citizens, complaints, routes and agencies' actions


def demo() -> dict[str, Any]:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def _at(now: datetime, days_ago: float, hour: int) -> datetime:
    day = (now - timedelta(days=days_ago)).astimezone(BANGKOK)
    at = day.replace(hour=hour, minute=(int(days_ago * 97) % 60), second=0, microsecond=0)
    return min(at, now - timedelta(minutes=30))


def run(stack: Stack, now: datetime | None = None) -> list[dict[str, Any]]:
    """File the demo complaints, route some, print what was made, and save once at the end."""
    now = now or datetime.now(UTC)
    # The metric lines (EMF, printed by each invocation) of the demo data are not shown; the
    # handler is imported first, so that its logger keeps the real stdout.
    stack.prepare("IntakeFunction")
    quiet = io.StringIO()
    stack.autosave = False
    try:
        with contextlib.redirect_stdout(quiet):
            cases = _file_and_route(stack, now)
    except Exception:
        sys.stderr.write(quiet.getvalue())
        raise
    finally:
        stack.autosave = True
    stack.save()
    print_table(cases)
    return cases


def _call(
    stack: Stack, path: str, at: datetime, body: dict[str, Any], claims: dict[str, Any] | None, expect: int, what: str
) -> dict[str, Any]:
    """One POST through the stack as a client would make it; the answer's JSON."""
    answer = stack.api(
        "POST",
        path,
        headers={"Content-Type": "application/json"},
        at=at,
        body=json.dumps(body, ensure_ascii=False),
        claims=claims,
    )
    if answer is None or answer.status != expect:
        detail = answer and answer.body.decode("utf-8", "replace")
        raise RuntimeError(f"{what} failed: {answer and answer.status} {detail}")
    return answer.json


def _file_and_route(stack: Stack, now: datetime) -> list[dict[str, Any]]:
    data = demo()
    callcenter = claims_for("callcenter", user="local-seed")
    citizens = data["citizens"]
    filed: dict[str, dict[str, Any]] = {}
    for n, c in enumerate(data["complaints"]):
        complainant = citizens[n % len(citizens)]
        notify = bool(complainant.get("phone") or complainant.get("email"))
        at = _at(now, c["days_ago"], c["hour"])
        claims = callcenter if c["role"] == "callcenter" else None
        body = {"complainant": complainant, "notify": notify} | c["body"]
        filed[c["key"]] = _call(stack, "/complaints", at, body, claims, 201, f"seeding '{c['key']}'") | {"_at": at}
    for r in data["routes"]:
        case = filed[r["key"]]
        at = min(case["_at"] + timedelta(hours=r["hours"]), now - timedelta(minutes=5))
        answer = _call(
            stack, f"/complaints/{case['id']}/route", at, r["body"], callcenter, 200, f"routing '{r['key']}'"
        )
        filed[r["key"]] = answer | {"_at": case["_at"], "tracking_token": case.get("tracking_token")}
    for a in data["actions"]:
        case = filed[a["key"]]
        at = min(case["_at"] + timedelta(hours=a["hours"]), now - timedelta(minutes=1))
        body = {k: v for k, v in a["body"].items() if v is not None}
        officer = claims_for("agency", agency_id=a["agency"], user="local-seed")
        path = f"/complaints/{case['id']}/{a['action']}"
        answer = _call(stack, path, at, body, officer, 200, f"{a['action']} '{a['key']}'")
        filed[a["key"]] = answer | {"_at": case["_at"], "tracking_token": case.get("tracking_token")}
    first = filed[data["complaints"][0]["key"]]
    stack.demo = {"id": first["id"], "token": first["tracking_token"]}
    return list(filed.values())


def print_table(cases: list[dict[str, Any]]) -> None:
    """id, state, category and who has it — no personal data."""
    print(f"\nSeeded {len(cases)} demo complaints:\n")
    print(f"  {'id':<12} {'received (Bangkok)':<17} {'state':<11} {'category':<13} agency")
    for c in sorted(cases, key=lambda c: c["_at"]):
        who = (c.get("agency") or {}).get("id") or (c.get("referral") or {}).get("agency_id") or "—"
        when = c["_at"].astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")
        print(f"  {c['id']:<12} {when:<17} {c['state']:<11} {c['category']:<13} {who}")
