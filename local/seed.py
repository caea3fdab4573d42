"""Demo data for a fresh local stack (``make run`` calls it when the table is empty).

Everything goes through the API the way clients would, and through the
scheduled functions the way their schedules would, each at its own instant
(``local.timeline``: the steps are played oldest first). From ``demo.json``:

- ``history``: the two months before the current one. Cases filed on given
  days, each following a *story* (on time; late, so that the sweep chases and
  escalates; reopened by the citizen's "not fixed" or by the call centre;
  handed back and routed again; referred outside, closed or taken back; closed
  in triage; still in progress) — the agency's, the call centre's and the
  citizen's requests some hours after filing. Meanwhile the daily sweep runs
  every morning (chases, overdue marks, escalations, closing unanswered
  completions, the audit draw, the report's roll-up), the auditors decide the
  audits drawn, and the monthly report runs on each 1st at 09:00: the month
  before this one is frozen and its e-mail to the executives is in the outbox;
- ``complaints``, ``routes``, ``actions``: about twenty complaints of the last
  ten days (the first one is the banner's example case, ``stack.demo``).

A step the API refuses with ``409`` (an audit reopened the case before its
citizen answered, say) ends its case's story; nothing else is tolerated.
Reference data is not seeded: it is bundled with the code.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from complaints.domain.calendar import BANGKOK, local_date
from local.events import claims_for
from local.stack import Stack
from local.timeline import CALLCENTER, Auditors, Refused, Timeline

DEMO = Path(__file__).with_name("demo.json")  # citizens, complaints, the two months' stories
AGENCY_ACTIONS = {"acknowledge", "progress", "complete", "handback"}
FUNCTIONS = ("IntakeFunction", "SlaCheckFunction", "ReportFunction")

Case = dict[str, Any]


def demo() -> dict[str, Any]:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def _at(now: datetime, days_ago: float, hour: int) -> datetime:
    day = (now - timedelta(days=days_ago)).astimezone(BANGKOK)
    at = day.replace(hour=hour, minute=(int(days_ago * 97) % 60), second=0, microsecond=0)
    return min(at, now - timedelta(minutes=30))


def month_start(now: datetime, months_back: int) -> datetime:
    """Midnight (Bangkok) on the 1st of the month ``months_back`` before the one of ``now``."""
    first = local_date(now).replace(day=1)
    for _ in range(months_back):
        first = (first - timedelta(days=1)).replace(day=1)
    return datetime(first.year, first.month, first.day, tzinfo=BANGKOK)


@contextlib.contextmanager
def _info_logs_off() -> Iterator[None]:
    """The handlers' INFO lines (a sweep's summary, every morning) are not shown while seeding."""
    loggers = [logging.getLogger(n) for n in list(logging.root.manager.loggerDict) if n.split(".")[0] == "complaints"]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.level, logging.WARNING))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def run(stack: Stack, now: datetime | None = None) -> list[Case]:
    """Play the demo traffic, print what was made, and save once at the end."""
    now = now or datetime.now(UTC)
    started = time.monotonic()
    # The handlers' metric lines (EMF) of the demo traffic are not shown; the handlers are
    # imported first, so that their loggers keep the real stdout.
    for function in FUNCTIONS:
        stack.prepare(function)
    quiet = io.StringIO()
    stack.autosave = False
    try:
        with contextlib.redirect_stdout(quiet), _info_logs_off():
            timeline, data = Timeline(stack, now), demo()
            recent = _recent(timeline, data)
            cases = _history(timeline, data) + recent
            timeline.play()
            states = _listed(timeline)
            stack.demo = {"id": recent[0]["id"], "token": recent[0]["tracking_token"]}
    except Exception:
        sys.stderr.write(quiet.getvalue())
        raise
    finally:
        stack.autosave = True
    stack.save()
    filed = [c | states.get(c.get("id"), {}) for c in cases if c.get("id")]
    print_table(filed)
    print_summary(timeline, time.monotonic() - started)
    return filed


# ---------------------------------------------------------------- the two months before this one


def _history(timeline: Timeline, data: dict[str, Any]) -> list[Case]:
    """The schedules and the auditors from the 1st of the month before last, and each case's filing and story."""
    history = data["history"]
    first = month_start(timeline.now, 2)
    timeline.schedules(first.date())
    last_day = (month_start(timeline.now, 0) - timedelta(days=1)).date()
    verdicts = {k: v for k, v in history["bodies"].items() if k.startswith("verdict:")}
    redo = [(action, hours, history["bodies"][action]) for action, hours in history["after_inconsistent_audit"]]
    auditors = Auditors(set(history["auditor_weekdays"]), last_day, verdicts, history["inconsistent_every"], redo)
    timeline.audit_rounds(first.date(), auditors)
    cases = []
    for n, spec in enumerate(history["cases"]):
        start, end = month_start(timeline.now, -spec["month"]), month_start(timeline.now, -spec["month"] - 1)
        last = (end - timedelta(days=1)).day
        day = start.replace(day=min(spec["day"], last), hour=spec["hour"], minute=(n * 17) % 60)
        if day > timeline.now - timedelta(minutes=30):
            continue
        case: Case = {"key": spec["key"], "_at": day, "routes": list(spec.get("routes") or [])}
        _file(timeline, case, spec, data["citizens"][n % len(data["citizens"])])
        for action, hours, *_ in history["stories"][spec["story"]]:
            at = day + timedelta(hours=hours)
            if at <= timeline.now - timedelta(minutes=1):
                timeline.add(at, lambda at, c=case, a=action: _act(timeline, c, a, history["bodies"], at))
        cases.append(case)
    return cases


def _file(timeline: Timeline, case: Case, spec: dict[str, Any], citizen: dict[str, Any]) -> None:
    notify = bool(citizen.get("phone") or citizen.get("email"))
    body = {"complainant": citizen, "notify": notify} | spec["body"]
    claims = CALLCENTER if spec.get("role") == "callcenter" else None

    def file(at: datetime) -> None:
        case.update(timeline.post("/complaints", at, body, claims))

    timeline.add(case["_at"], file)


def _act(timeline: Timeline, case: Case, action: str, bodies: dict[str, Any], at: datetime) -> None:
    """One step of a case's story: as its agency, the call centre or its citizen."""
    if case.get("refused"):
        return
    path, query, claims = f"/complaints/{case['id']}/{action.split(':')[0]}", "", CALLCENTER
    body = case["routes"].pop(0) if action == "route" else bodies[action]
    if action in AGENCY_ACTIONS:
        claims = claims_for("agency", agency_id=(case.get("agency") or {}).get("id"), user="local-seed")
    elif action.startswith("feedback"):
        query, claims = f"token={case['tracking_token']}", None
    try:
        answer = timeline.post(path, at, body, claims, query=query)
    except Refused:
        case["refused"] = True
        timeline.tally["stories_cut_short"] += 1
        return
    case.update({k: v for k, v in answer.items() if k in ("state", "agency", "referral")})


# ---------------------------------------------------------------- the last ten days


def _recent(timeline: Timeline, data: dict[str, Any]) -> list[Case]:
    now, citizens = timeline.now, data["citizens"]
    filed: dict[str, Case] = {}
    for n, c in enumerate(data["complaints"]):
        case: Case = {"key": c["key"], "_at": _at(now, c["days_ago"], c["hour"]), "routes": []}
        _file(timeline, case, c, citizens[n % len(citizens)])
        filed[c["key"]] = case
    for r in data["routes"]:
        case = filed[r["key"]]
        case["routes"].append(r["body"])
        at = min(case["_at"] + timedelta(hours=r["hours"]), now - timedelta(minutes=5))
        timeline.add(at, lambda at, c=case: _act(timeline, c, "route", {}, at))
    for a in data["actions"]:
        case = filed[a["key"]]
        at = min(case["_at"] + timedelta(hours=a["hours"]), now - timedelta(minutes=1))
        body = {k: v for k, v in a["body"].items() if v is not None}
        step = {a["action"]: body}
        timeline.add(at, lambda at, c=case, s=step: _act(timeline, c, next(iter(s)), s, at))
    return list(filed.values())


# ---------------------------------------------------------------- what was made


def _listed(timeline: Timeline) -> dict[str, Case]:
    """Every case as the call centre lists it now (the sweeps and audits moved some)."""
    out, cursor = {}, None
    while True:
        query = "limit=100" + (f"&cursor={cursor}" if cursor else "")
        page = timeline.get("/complaints", timeline.now, CALLCENTER, query=query)
        out |= {c["id"]: c for c in page["complaints"]}
        cursor = page.get("next_cursor")
        if not cursor:
            return out


def print_table(cases: list[Case]) -> None:
    """id, state, category and who has it — no personal data."""
    print(f"\nSeeded {len(cases)} demo complaints:\n")
    print(f"  {'id':<12} {'received (Bangkok)':<17} {'state':<12} {'category':<13} agency")
    for c in sorted(cases, key=lambda c: c["_at"]):
        who = (c.get("agency") or {}).get("id") or (c.get("referral") or {}).get("agency_id") or "—"
        when = c["_at"].astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")
        print(f"  {c['id']:<12} {when:<17} {c['state']:<12} {c['category']:<13} {who}")


def print_summary(timeline: Timeline, seconds: float) -> None:
    t = timeline.tally
    print(
        f"\n  {t['sweeps']} daily sweeps: {t['overdue']} deadlines missed, {t['chased']} chases, "
        f"{t['escalated']} escalations, {t['closed_without_feedback']} closed without feedback; "
        f"{t['audits_drawn'] + t['audits_month_minimum']} audits drawn, {t['audits_decided']} decided "
        f"({t['audits_inconsistent']} inconsistent)"
        + (
            f"; {t['stories_cut_short']} stories cut short (the case had moved on, an audit reopened it)"
            if t["stories_cut_short"]
            else ""
        )
    )
    for r in timeline.reports:
        print(f"  monthly report of {r['month']}: frozen, {r['agencies']} agencies, e-mailed: {r['emailed']}")
    print(f"  seeded in {seconds:.1f} s")
