"""A month of varied traffic (May 2026, with late April and early June around it), driven through
the real handlers: the intake API, the agency actions, the citizen's feedback, the call centre's
reopen, the auditors, the operators' special holidays, the daily sweep (with its roll-up) and the
report function on the 1st.

The diary below is in time order; the scheduled jobs (the sweep every day at 08:30, the report on
the 1st at 09:00) run by themselves before the first action that comes after them, so that every
action sees the system as it would be at its instant. Deliberately:

- the sweep does not run on Wed 20 May (the next morning's roll-up catches the day up); it runs
  twice at 08:30 on Tue 12 May (a retry) and once more at 18:00 on Tue 26 May;
- the operators declare Thu 30 April a special holiday on 28 April (deadlines due that day move
  into May) and Fri 22 May one on 20 May (a first-progress deadline moves from the 22nd to the 25th);
- dispatch deadlines fall on the month's first and last days (24 hours after a complaint waiting in
  triage; one at 03:00 on 1 May, i.e. still 30 April in UTC), agency deadlines on its first and
  last business days (5 and 29 May);
- cases are re-routed, handed back (before and after their deadline), completed straight from
  ``dispatched``, reopened by the citizen, the call centre and an audit, referred by hotline and by
  letter (automatically and by hand), returned from a referral, closed in triage.

:data:`CASES` says what each case is for, in a line.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from tests.conftest import CALLCENTER, Api, act, at, complaint, ok, staff, sweep

YEAR = 2026
AUDITOR = staff("auditor", sub="auditor-1")
ADMIN = staff("admin", sub="admin-1")
EXECUTIVE = staff("executive", sub="exec-1")
SEED = 1555

#: what each case is for (the hand-over's table)
CASES = {
    "A": "road/Watthana → DIST-1039 (20 Apr): checkpoint due 30 Apr moved to 5 May by the special holiday, met; "
    "checkpoint 15 May missed, chased 3×, late report 18 May; open (in progress) at month end",
    "A2": "sidewalk/Watthana → DIST-1039, all in April; its audit decided consistent on 7 May",
    "B": "cleanliness/Phra Nakhon by phone → DIST-1001: ack missed in April; completed 14 May, citizen satisfied; "
    "reopened by the call centre from closed (25 May); first progress met on the last business day",
    "C": "flooding → DEPT-DDS (29 Apr): completed straight from dispatched 5 May (ack met, 1 business day); "
    "audit inconsistent → reopened by audit; completed again; audit consistent; closed without feedback",
    "D": "traffic → DEPT-TTD (24 Apr): first progress due 30 Apr moved to 5 May, reported on the holiday 4 May; "
    "completed 27 May (checkpoint due 2 Jun: a June figure); citizen not fixed → reopened; ack 29 May missed",
    "E": "complaint in triage filed 03:00 30 Apr (dispatch due 03:00 1 May); routed DIST-1039, handed back "
    "before its ack deadline, routed DEPT-PWD, handed back again; dispatch missed (sweep); closed in triage",
    "F": "other in triage (30 Apr) routed on 1 May (dispatch met on the 1st) → DIST-1001; ack late before any "
    "sweep; completed; citizen fixed-but-unsatisfied → reopened; first progress late on the day without "
    "sweep; completed again; reopened by the call centre; audit of its first completion inconsistent (no reopen)",
    "G": "complaint in triage by phone 21:00 30 Apr: dispatch missed (1 May); → DIST-1005; first progress "
    "missed, chased every day (the double sweep chases once), escalated; open at month end",
    "H": "water main: referred to EXT-MWA by hotline at filing; returned to triage; routed DEPT-DDS; "
    "completed; citizen satisfied; audit consistent",
    "I": "power-pole request by phone: referred to EXT-MEA by letter at filing; referral closed as done",
    "J": "inquiry: closed in triage within the hour",
    "K": "complaint with no district: referred by hand by letter (EXT-MEA), returned, referred by hotline (EXT-MWA)",
    "L": "road → DIST-1039, re-routed the same day to DIST-1001 (void); ack missed (sweep), late ack; open",
    "M": "cleanliness → DIST-1001: ack missed, chased; re-routed to DIST-1039 after the deadline; first "
    "progress due 22 May moved to 25 May by the special holiday and met; completed 29 May",
    "N": "safety → DIST-1005: handed back after its ack deadline on the day without sweep (missed, counted by "
    "the hand-back); routed DEPT-CLE; open",
    "P": "road in Phra Nakhon by phone → DIST-1001: first progress due 29 May (the last business day) missed",
    "Q": "flooding → DEPT-DDS filed 28 May: acknowledged on the last business day (met)",
    "R": "complaint in triage Sat 30 May: routed Sun 31 May (dispatch due 31 May, met); open at month end",
    "S": "complaint in triage 22:00 30 May: dispatch due 22:00 31 May missed (found by the 1 June sweep)",
    "T": "road filed 23:30 31 May: a May complaint (16:30 UTC); open at month end",
    "U": "road filed 01:00 1 June: a June complaint (still 31 May in UTC)",
    "V": "triage by phone 02:00 31 May: dispatch due 02:00 1 June (a June deadline) missed",
    "X": "tree → DIST-1039: completed; audit inconsistent → reopened; ack missed across the day without sweep; "
    "completed from dispatched; citizen satisfied",
    "Y": "noise → DIST-1001: completed from dispatched the same day (0 business days); citizen not fixed → "
    "reopened; open",
    "Z": "bridge → DEPT-PWD: handed back after acknowledging (first progress void); routed DEPT-TTD; open",
}


def instant(text: str) -> str:
    """``05-12 15:00`` → ``2026-05-12T15:00:00+07:00`` (Bangkok)."""
    day, clock = text.split()
    return f"{YEAR}-{day}T{clock}:00+07:00"


def officer(agency_id: str) -> dict[str, Any]:
    return staff("agency", agency_id, sub=f"officer-{agency_id}")


def run_report(when: str) -> dict[str, Any]:
    """The report function of the 1st (EventBridge Scheduler's event)."""
    import report

    from local.events import LambdaContext

    return report.lambda_handler({"time": at(when).astimezone().isoformat()}, LambdaContext("ReportFunction"))


def schedule() -> list[tuple[str, str]]:
    """The scheduled jobs: (instant, job), in time order."""
    jobs = []
    day = date(YEAR, 4, 20)
    while day <= date(YEAR, 6, 2):
        if day != date(YEAR, 5, 20):  # the day the sweep did not run
            jobs.append((f"{day.isoformat()}T08:30:00+07:00", "sweep"))
        day += timedelta(days=1)
    jobs += [
        ("2026-05-12T08:30:00+07:00", "sweep"),  # Scheduler retried the same instant
        ("2026-05-26T18:00:00+07:00", "sweep"),  # an operator re-ran it in the evening
        ("2026-05-01T09:00:00+07:00", "report"),
        ("2026-06-01T09:00:00+07:00", "report"),
    ]
    return sorted(jobs, key=lambda job: (at(job[0]), job[1]))


@dataclass
class Traffic:
    """Drives the API in time order; remembers case ids, tracking tokens and who holds each case."""

    api: Api
    ids: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    holder: dict[str, str | None] = field(default_factory=dict)
    jobs: list[tuple[str, str]] = field(default_factory=schedule)
    swept: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # sweep answers by instant
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)  # report runs by instant
    holidays: dict[date, datetime] = field(default_factory=dict)  # special holidays, when they were declared
    clock: datetime | None = None

    # --- time ------------------------------------------------------------------------------------

    def now(self, text: str) -> str:
        """Run the scheduled jobs due by ``text`` (a local instant, see :func:`instant`), then return it."""
        when = instant(text) if "T" not in text else text
        moment = at(when)
        assert self.clock is None or moment >= self.clock, f"the diary goes back in time at {when}"
        while self.jobs and at(self.jobs[0][0]) <= moment:
            job_at, job = self.jobs.pop(0)
            if job == "sweep":
                self.swept.setdefault(job_at, []).append(sweep(job_at))
            else:
                self.reports[job_at] = run_report(job_at)
        self.clock = moment
        return when

    def finish(self) -> None:
        """The scheduled jobs left."""
        if self.jobs:
            self.now(self.jobs[-1][0])

    # --- the citizen and the call centre ---------------------------------------------------------

    def file(self, label: str, when: str, category: str, district: str | None, channel: str = "web") -> dict:
        body = complaint(category=category, channel=channel, description=f"เรื่อง {label}: {CASES[label][:60]}")
        if district is None:
            body["location"] = {"address": "ไม่ทราบเขต"}
        else:
            body["location"] = body["location"] | {"district": district}
        claims = CALLCENTER if channel == "phone" else None
        answer = self.api.call("POST", "/complaints", body=body, claims=claims, when=self.now(when))
        assert answer.status == 201, f"{label}: {answer.body}"
        doc = answer.json
        self.ids[label], self.tokens[label] = doc["id"], doc["tracking_token"]
        self.holder[label] = (doc.get("agency") or {}).get("id")
        return doc

    def _staff(self, label: str, path: str, when: str, body: dict, claims: dict) -> dict:
        answer = self.api.call("POST", f"/complaints/{self.ids[label]}/{path}", body=body, claims=claims, when=when)
        assert answer.status == 200, f"{label} {path} at {when}: {answer.body}"
        return answer.json

    def route(self, label: str, when: str, agency_id: str, section: str | None = None) -> dict:
        body = {"agency_id": agency_id, "note": "ส่งต่อหน่วยงานที่รับผิดชอบ"} | ({"section": section} if section else {})
        doc = self._staff(label, "route", self.now(when), body, CALLCENTER)
        assert doc["agency"]["id"] == agency_id and doc["state"] == "dispatched", doc
        self.holder[label] = agency_id
        return doc

    def refer(self, label: str, when: str, org: str, channel: str) -> dict:
        body = {"external": {"agency_id": org, "channel": channel, "reference": f"REF-{label}"}, "note": "นอกอำนาจ"}
        doc = self._staff(label, "route", self.now(when), body, CALLCENTER)
        assert doc["state"] == "referred", doc
        self.holder[label] = None
        return doc

    def close(self, label: str, when: str, reason: str) -> dict:
        return self._staff(label, "close", self.now(when), {"reason": reason}, CALLCENTER)

    def return_to_triage(self, label: str, when: str) -> dict:
        doc = self._staff(label, "return-to-triage", self.now(when), {"reason": "หน่วยงานภายนอกแจ้งว่าไม่ใช่ของตน"},
                          CALLCENTER)  # fmt: skip
        assert doc["state"] == "triage", doc
        return doc

    def reopen(self, label: str, when: str) -> dict:
        doc = self._staff(label, "reopen", self.now(when), {"reason": "ผู้ร้องโทรแจ้งว่ายังไม่เรียบร้อย"}, CALLCENTER)
        assert doc["state"] == "dispatched", doc
        return doc

    def feedback(self, label: str, when: str, fixed: bool, satisfied: bool) -> dict:
        answer = self.api.call(
            "POST",
            f"/complaints/{self.ids[label]}/feedback",
            query=f"token={self.tokens[label]}",
            body={"fixed": fixed, "satisfied": satisfied, "comment": "ความเห็นของผู้ร้อง"},
            when=self.now(when),
        )
        return ok(answer)

    # --- the agency ------------------------------------------------------------------------------

    def _agency(self, label: str, action: str, when: str, body: dict) -> dict:
        agency_id = self.holder[label]
        assert agency_id, f"{label} is with no agency"
        answer = act(self.api, self.ids[label], action, self.now(when), body, claims=officer(agency_id))
        assert answer.status == 200, f"{label} {action} at {when}: {answer.body}"
        return answer.json

    def ack(self, label: str, when: str) -> dict:
        return self._agency(label, "acknowledge", when, {"note": "รับเรื่องแล้ว"})

    def progress(self, label: str, when: str) -> dict:
        return self._agency(label, "progress", when, {"note": "กำลังดำเนินการ"})

    def complete(self, label: str, when: str) -> dict:
        body = {"note": "ดำเนินการเรียบร้อย", "evidence_urls": [f"https://photos.example/{label}.jpg"]}
        return self._agency(label, "complete", when, body)

    def handback(self, label: str, when: str) -> dict:
        doc = self._agency(label, "handback", when, {"reason": "ไม่ใช่งานของหน่วยงานนี้"})
        self.holder[label] = None
        return doc

    # --- the auditors and the operators ----------------------------------------------------------

    def audit(self, label: str, when: str, verdict: str, which: str = "last") -> dict:
        """The auditor decides the open audit of ``label``'s first or last completion still open."""
        now = self.now(when)
        listing = ok(self.api.call("GET", "/audits", claims=AUDITOR, when=now))["audits"]
        mine = sorted((a["completed_seq"], a["id"]) for a in listing if a["case"]["id"] == self.ids[label])
        assert mine, f"no open audit of {label} at {now}"
        _, audit_id = mine[0] if which == "first" else mine[-1]
        body = {"verdict": verdict} | ({"note": "ไม่ตรงกับสภาพหน้างาน"} if verdict == "inconsistent" else {})
        return ok(self.api.call("POST", f"/audits/{audit_id}", body=body, claims=AUDITOR, when=now))

    def holiday(self, day: str, when: str) -> dict:
        body, now = {"name": "วันหยุดราชการเพิ่มเป็นกรณีพิเศษ"}, self.now(when)
        self.holidays[date.fromisoformat(f"{YEAR}-{day}")] = at(now)
        return ok(self.api.call("PUT", f"/holidays/{YEAR}-{day}", body=body, claims=ADMIN, when=now))

    def read(self, path: str, when: str, query: str = "") -> Any:
        return self.api.call("GET", path, claims=EXECUTIVE, query=query, when=self.now(when))


def april(t: Traffic) -> None:
    t.file("A", "04-20 09:00", "road", "1039")
    t.ack("A", "04-21 10:00")
    t.file("A2", "04-21 10:30", "sidewalk", "1039", channel="mobile")
    t.ack("A2", "04-21 11:00")
    t.progress("A", "04-22 10:00")  # checkpoint due Thu 30 April
    t.complete("A2", "04-23 10:00")
    t.file("D", "04-24 09:00", "traffic", "1005", channel="mobile")
    t.feedback("A2", "04-24 10:00", fixed=True, satisfied=True)
    t.file("B", "04-27 09:30", "cleanliness", "1001", channel="phone")
    t.ack("D", "04-27 10:00")  # first progress due Thu 30 April
    moved = t.holiday("04-30", "04-28 16:00")
    assert moved["deadlines_moved"] == 2, moved  # A's checkpoint and D's first progress: to Tue 5 May
    t.ack("B", "04-29 10:00")  # late: the 08:30 sweep found it overdue
    t.file("C", "04-29 14:00", "flooding", "1039")
    t.file("E", "04-30 03:00", "complaint", "1039")  # dispatch due 03:00 on 1 May (20:00 UTC on 30 April)
    t.route("E", "04-30 10:00", "DIST-1039")
    t.file("F", "04-30 14:00", "other", "1001", channel="line")
    t.file("G", "04-30 21:00", "complaint", "1005", channel="phone")


def early_may(t: Traffic) -> None:
    t.route("F", "05-01 10:00", "DIST-1001", "cleansing_parks")  # the 1st (a holiday): dispatch met
    t.route("G", "05-02 09:00", "DIST-1005", "law_enforcement")  # dispatch missed: the 08:30 sweep saw it
    t.progress("D", "05-04 10:00")  # on Coronation Day; first progress due 5 May: met
    t.file("X", "05-05 09:00", "tree", "1039")
    t.progress("A", "05-05 10:00")  # checkpoint due 5 May (moved from 30 April): met
    t.complete("C", "05-05 10:30")  # straight from dispatched: ack met, 1 business day
    t.handback("E", "05-05 11:00")  # ack due 5 May: void
    t.ack("X", "05-05 11:30")
    t.ack("G", "05-05 14:00")
    t.route("E", "05-05 15:00", "DEPT-PWD")
    t.ack("F", "05-06 08:00")  # ack due 5 May, late, before any sweep saw it
    t.file("H", "05-06 09:00", "water_main", "1039")  # referred to EXT-MWA by hotline at filing
    t.ack("E", "05-06 10:00")
    t.audit("C", "05-07 09:00", "inconsistent")  # reopened by the audit, back to DEPT-DDS
    t.audit("A2", "05-07 09:10", "consistent")
    t.progress("B", "05-07 10:00")
    t.file("I", "05-07 10:15", "power_service", "1001", channel="phone")  # EXT-MEA by letter at filing
    t.progress("X", "05-07 10:30")
    t.return_to_triage("H", "05-07 11:00")
    t.route("H", "05-07 14:00", "DEPT-DDS")
    t.ack("C", "05-08 09:00")
    t.file("J", "05-08 09:10", "inquiry", "1039")
    t.ack("H", "05-08 09:30")
    t.close("J", "05-08 10:00", "ตอบคำถามทางโทรศัพท์แล้ว")
    t.handback("E", "05-08 11:00")  # first progress due 11 May: void; dispatch due 11:00 Sat 9 May
    t.file("K", "05-11 09:00", "complaint", None)
    t.close("E", "05-11 10:00", "ซ้ำกับเรื่องอื่น")  # closed in triage, its dispatch deadline already missed
    t.progress("F", "05-11 10:30")
    t.refer("K", "05-11 11:00", "EXT-MEA", "letter")
    t.complete("H", "05-11 14:00")


def mid_may(t: Traffic) -> None:
    t.file("L", "05-12 09:00", "road", "1039")
    t.complete("F", "05-12 10:00")
    t.feedback("H", "05-12 11:00", fixed=True, satisfied=True)
    t.route("L", "05-12 15:00", "DIST-1001", "public_works")  # re-routed before its ack deadline: void
    t.feedback("F", "05-13 10:00", fixed=True, satisfied=False)  # reopened by the citizen
    t.audit("H", "05-13 11:00", "consistent")
    t.file("M", "05-14 09:00", "cleanliness", "1001")
    t.progress("G", "05-14 10:00")  # late first progress (escalated at 08:30)
    t.ack("F", "05-14 10:30")
    t.complete("C", "05-14 11:00")
    t.return_to_triage("K", "05-14 12:00")
    t.complete("B", "05-14 14:00")
    t.refer("K", "05-14 15:00", "EXT-MWA", "hotline")
    t.complete("X", "05-15 10:00")
    t.ack("L", "05-15 10:00")  # late, after the sweep found it
    t.feedback("B", "05-15 10:10", fixed=True, satisfied=True)
    t.progress("G", "05-15 10:30")
    t.progress("D", "05-15 11:00")
    # A's checkpoint of 15 May passes: chased on 16, 17 and 18 May
    t.route("M", "05-18 09:00", "DIST-1039", "cleansing_parks")  # re-routed after its ack deadline: missed
    t.file("N", "05-18 09:10", "safety", "1005")
    t.progress("A", "05-18 10:00")
    t.audit("C", "05-18 10:10", "consistent")
    t.audit("X", "05-18 10:20", "inconsistent")  # reopened by the audit, back to DIST-1039
    t.audit("B", "05-18 10:30", "consistent")
    t.file("Y", "05-19 09:00", "noise", "1001", channel="mobile")
    t.ack("M", "05-19 10:00")  # first progress due Fri 22 May
    t.progress("L", "05-19 11:00")
    t.complete("Y", "05-19 15:00")  # straight from dispatched, the same day
    # Wed 20 May: no sweep
    t.progress("F", "05-20 10:00")  # first progress due 19 May: late, and no sweep saw it
    t.handback("N", "05-20 11:00")  # ack due 19 May: missed, counted by the hand-back
    t.close("I", "05-20 12:00", "การประปาแจ้งว่าดำเนินการเรียบร้อย")  # the referral is done
    moved = t.holiday("05-22", "05-20 16:00")
    assert moved["deadlines_moved"] == 1, moved  # M's first progress: to Mon 25 May
    t.feedback("Y", "05-21 09:00", fixed=False, satisfied=True)  # reopened by the citizen
    t.route("N", "05-21 10:00", "DEPT-CLE")
    t.complete("X", "05-21 10:30")  # from dispatched, its ack deadline (19 May) missed
    t.audit("F", "05-22 10:00", "inconsistent", which="first")  # counted; no reopen (the case moved on)
    t.feedback("X", "05-22 11:00", fixed=True, satisfied=True)


def late_may(t: Traffic) -> None:
    t.file("P", "05-25 09:00", "road", "1001", channel="phone")
    t.progress("M", "05-25 10:00")  # due 25 May after the move: met
    t.ack("N", "05-25 10:10")
    t.ack("Y", "05-25 11:00")
    t.reopen("B", "05-25 14:00")  # the call centre, from closed
    t.file("Z", "05-26 09:00", "bridge", "1039")
    t.ack("P", "05-26 10:00")
    t.ack("B", "05-26 10:30")
    t.complete("F", "05-26 11:00")
    t.reopen("F", "05-27 09:00")  # the call centre, from completed
    t.complete("D", "05-27 10:00")
    t.ack("Z", "05-27 10:10")
    t.progress("Y", "05-27 11:00")
    t.handback("Z", "05-27 15:00")  # first progress due 2 June: void
    t.file("Q", "05-28 08:00", "flooding", "1005")
    t.route("Z", "05-28 09:00", "DEPT-TTD")
    t.feedback("D", "05-28 10:00", fixed=False, satisfied=False)  # reopened by the citizen
    t.ack("F", "05-28 10:10")
    t.progress("N", "05-28 11:00")
    t.progress("B", "05-29 10:00")  # first progress due 29 May: met on the last business day
    t.complete("M", "05-29 14:00")
    t.ack("Q", "05-29 16:00")  # ack due 29 May: met
    t.ack("Z", "05-29 17:00")
    # P's first progress and D's ack (both due 29 May) pass: the 30 May sweep finds them
    t.file("R", "05-30 11:00", "complaint", "1039")
    t.file("S", "05-30 22:00", "complaint", "1001")
    t.file("V", "05-31 02:00", "other", "1005", channel="phone")
    t.route("R", "05-31 09:00", "DIST-1039")  # dispatch due 11:00 on the 31st: met
    t.file("T", "05-31 23:30", "road", "1039")


def early_june(t: Traffic) -> dict[str, Any]:
    """June's first days; the reports read on the way (JSON, CSV, the fiscal year)."""
    t.file("U", "06-01 01:00", "road", "1039")
    reads: dict[str, Any] = {"may_live": ok(t.read("/reports/monthly/2026-05", instant("06-01 08:45")))}
    t.route("S", "06-01 10:00", "DIST-1001", "public_works")  # after the report run of 09:00
    t.route("V", "06-01 10:10", "DIST-1005")
    t.audit("M", "06-01 10:20", "consistent")
    t.progress("P", "06-01 11:00")
    for label in ("D", "R", "T"):
        t.ack(label, "06-02 07:00")  # D late (after the sweep found it), R and T in time
    t.finish()  # the sweep of 2 June, 08:30
    when = instant("06-02 10:00")
    reads["may_frozen"] = ok(t.read("/reports/monthly/2026-05", when))
    reads["may_csv"] = t.read("/reports/monthly/2026-05", when, query="format=csv")
    reads["april_frozen"] = ok(t.read("/reports/monthly/2026-04", when))
    reads["june_live"] = ok(t.read("/reports/monthly/2026-06", when))
    reads["fiscal_year"] = ok(t.read("/reports/fiscal-year/2026", when))
    return reads


def build(api: Api, auditing: Any) -> tuple[Traffic, dict[str, Any]]:
    """The whole diary; the reports as read through the API."""
    auditing.rate = 1.0  # every completion is drawn for audit
    auditing.rng = lambda: random.Random(SEED)
    t = Traffic(api)
    april(t)
    early_may(t)
    mid_may(t)
    late_may(t)
    return t, early_june(t)
