"""Every figure of SPEC §8 — the month's report and the fiscal year — recomputed from the raw
history alone (``history``), each figure the SPEC's sentence written again: counts of the events of
the month (local, Asia/Bangkok), deadlines by the month of their final instant and their fate, open
cases at the month's last instant. The previous month is taken as its report was frozen (09:00 on
the 1st after it); a running month as of the last roll-up the caller names.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from tests.integration.reports.history import BANGKOK, Deadline, History, Step, month_of

RATED = ("ack", "first_progress", "checkpoint")
#: The per-agency fields of SPEC §8, in its order.
AGENCY_FIELDS = (
    "agency_id", "name_th", "name_en", "dispatched", "handed_back", "acknowledged",
    "ack_met", "ack_missed", "ack_rate", "first_progress_met", "first_progress_missed", "first_progress_rate",
    "checkpoint_met", "checkpoint_missed", "checkpoint_rate", "completed", "median_business_days_to_complete",
    "reopened", "reopened_by_citizen", "reopened_by_audit", "audits", "audits_inconsistent", "chases",
    "escalations", "citizens_satisfied", "citizens_unsatisfied", "open_at_month_end",
)  # fmt: skip
FIGURES = AGENCY_FIELDS[3:]
COUNTS = tuple(f for f in FIGURES if not f.endswith("_rate") and f != "median_business_days_to_complete")
CENTRE_FIELDS = ("received", "by_channel", "routed_automatically", "dispatch_met", "dispatch_missed",
                 "dispatch_rate", "referred_hotline", "referred_letter", "closed_in_triage")  # fmt: skip
#: SPEC §8's default weights of the fiscal-year score (the template's ReportWeights)
WEIGHTS = {"ack_rate": 0.25, "first_progress_rate": 0.25, "checkpoint_rate": 0.20, "reopened": 0.15, "audits": 0.15}


def last_instant(month: str) -> datetime:
    """The month's last instant, in Bangkok."""
    year, mm = (int(p) for p in month.split("-"))
    first_next = date(year + mm // 12, mm % 12 + 1, 1)
    return datetime.combine(first_next, datetime.min.time(), BANGKOK) - timedelta(milliseconds=1)


def previous(month: str) -> str:
    year, mm = (int(p) for p in month.split("-"))
    return f"{year - 1}-12" if mm == 1 else f"{year}-{mm - 1:02d}"


def frozen_at(month: str) -> datetime:
    """When the month's report is frozen: 09:00 on the 1st of the next month."""
    return last_instant(month) + timedelta(hours=9, milliseconds=1)


def rate(met: int, missed: int) -> float | None:
    return round(met / (met + missed), 4) if met + missed else None


# --- the month's report -------------------------------------------------------------------------


def _count(
    steps: Iterable[Step], kind: str, who: Callable[[Step], Any], value: Any, also: Callable[[Step], bool] | None = None
) -> int:
    """Steps of ``kind`` whose ``who`` is ``value`` (and that pass ``also``)."""
    return sum(1 for s in steps if s.type == kind and who(s) == value and (also is None or also(s)))


def _deadline_figures(row: dict[str, Any], deadlines: list[tuple[Deadline, str]], owner: str | None) -> None:
    for kind in RATED:
        met = sum(1 for d, fate in deadlines if d.kind == kind and d.owner == owner and fate == "met")
        missed = sum(1 for d, fate in deadlines if d.kind == kind and d.owner == owner and fate == "missed")
        row |= {f"{kind}_met": met, f"{kind}_missed": missed, f"{kind}_rate": rate(met, missed)}


def _before(s: Step) -> str | None:
    return s.agency_before


def _after(s: Step) -> str | None:
    return s.agency_after


def _audited(s: Step) -> str | None:
    return s.audited_agency


def _happy(s: Step) -> bool:
    return s.data.fixed and s.data.satisfied


def _unhappy(s: Step) -> bool:
    return not _happy(s)


def _for_the_citizen(s: Step) -> bool:
    """A reopen by the citizen's feedback, or by the call centre on the citizen's behalf."""
    return s.role in ("citizen", "callcenter")


def _by_audit(s: Step) -> bool:
    return s.role == "auditor"


def _inconsistent(s: Step) -> bool:
    return s.data.verdict == "inconsistent"


def agency_row(h: History, agency: str, steps: list[Step], deadlines: list, opened: list[Step]) -> dict[str, Any]:
    """One agency's row of the month (SPEC §8, field by field)."""
    before, after = _before, _after
    days = [s.business_days for s in steps if s.type == "completed" and s.agency_before == agency]
    row: dict[str, Any] = {
        "agency_id": agency,
        "name_th": h.names[agency]["name_th"],
        "name_en": h.names[agency]["name_en"],
        "dispatched": _count(steps, "routed", after, agency),
        "handed_back": _count(steps, "handed_back", before, agency),
        "acknowledged": _count(steps, "acknowledged", before, agency),
    }
    _deadline_figures(row, deadlines, agency)
    row |= {
        "completed": len(days),
        "median_business_days_to_complete": statistics.median(days) if days else None,
        "reopened": _count(steps, "reopened", after, agency),
        "reopened_by_citizen": _count(steps, "reopened", after, agency, _for_the_citizen),
        "reopened_by_audit": _count(steps, "reopened", after, agency, _by_audit),
        "audits": _count(steps, "audited", _audited, agency),
        "audits_inconsistent": _count(steps, "audited", _audited, agency, _inconsistent),
        "chases": _count(steps, "chased", before, agency),
        "escalations": _count(steps, "escalated", before, agency),
        "citizens_satisfied": _count(steps, "feedback", before, agency, _happy),
        "citizens_unsatisfied": _count(steps, "feedback", before, agency, _unhappy),
        "open_at_month_end": sum(1 for s in opened if s.agency_after == agency),
    }
    return {f: row[f] for f in AGENCY_FIELDS}


def call_centre(steps: list[Step], deadlines: list[tuple[Deadline, str]]) -> dict[str, Any]:
    received = [s for s in steps if s.type == "received"]
    met = sum(1 for d, fate in deadlines if d.kind == "dispatch" and fate == "met")
    missed = sum(1 for d, fate in deadlines if d.kind == "dispatch" and fate == "missed")
    referred = Counter(s.data.channel for s in steps if s.type == "referred")
    return {
        "received": len(received),
        "by_channel": dict(Counter(s.case.channel for s in received)),
        "routed_automatically": sum(1 for s in steps if s.type in ("routed", "referred") and s.role == "system"),
        "dispatch_met": met,
        "dispatch_missed": missed,
        "dispatch_rate": rate(met, missed),
        "referred_hotline": referred["hotline"],
        "referred_letter": referred["letter"],
        "closed_in_triage": sum(1 for s in steps if s.type == "closed" and s.state_before == "triage"),
    }


def breakdowns(steps: list[Step], opened: list[Step]) -> tuple[dict[str, dict], dict[str, dict]]:
    """by_category and by_district, keyed by code; rows whose figures are all zero left out."""
    categories: dict[str, Counter] = defaultdict(Counter)
    districts: dict[str, Counter] = defaultdict(Counter)
    for s in steps:
        if s.type in ("received", "completed", "reopened"):
            categories[s.case.category][s.type] += 1
            if s.case.district and s.type != "reopened":
                districts[s.case.district][s.type] += 1
    for s in opened:
        if s.case.district:
            districts[s.case.district]["open_at_month_end"] += 1
    by_category = {c: {"category": c} | {f: n[f] for f in ("received", "completed", "reopened")}
                   for c, n in categories.items()}  # fmt: skip
    by_district = {d: {"district": d} | {f: n[f] for f in ("received", "completed", "open_at_month_end")}
                   for d, n in districts.items()}  # fmt: skip
    return by_category, by_district


def totals(rows: Iterable[dict[str, Any]], steps: list[Step]) -> dict[str, Any]:
    """Sums of the agency figures, rates recomputed from the sums; the median over every completion."""
    rows = list(rows)
    out: dict[str, Any] = {f: sum(r[f] for r in rows) for f in COUNTS}
    for kind in RATED:
        out[f"{kind}_rate"] = rate(out[f"{kind}_met"], out[f"{kind}_missed"])
    days = [s.business_days for s in steps if s.type == "completed"]
    out["median_business_days_to_complete"] = statistics.median(days) if days else None
    return {f: out[f] for f in FIGURES}


def monthly_rows(h: History, month: str, now: datetime) -> list[dict[str, Any]]:
    """The agencies' rows of a month: every agency with a non-zero figure."""
    steps, deadlines = h.steps_of(month, now), h.deadlines_of(month, now)
    opened = h.open_at(min(last_instant(month), now))
    candidates = {a for s in h.steps for a in (s.agency_before, s.agency_after, s.audited_agency) if a}
    rows = [agency_row(h, a, steps, deadlines, opened) for a in sorted(candidates)]
    return [r for r in rows if any(r[f] for f in COUNTS)]


def monthly(h: History, month: str, now: datetime) -> dict[str, Any]:
    """The report of ``month`` as SPEC §8 defines it, from what the history says at ``now``; the
    previous month as its report was frozen (09:00 on the 1st after it)."""
    steps, deadlines = h.steps_of(month, now), h.deadlines_of(month, now)
    rows = {r["agency_id"]: r for r in monthly_rows(h, month, now)}
    by_category, by_district = breakdowns(steps, h.open_at(min(last_instant(month), now)))
    before = previous(month)
    then = min(now, frozen_at(before))
    return {
        "month": month,
        "final": now >= frozen_at(month),
        "agencies": rows,
        "call_centre": call_centre(steps, deadlines),
        "by_category": by_category,
        "by_district": by_district,
        "totals": totals(rows.values(), steps),
        "previous_month": totals(monthly_rows(h, before, then), h.steps_of(before, then)),
    }


# --- the fiscal year ----------------------------------------------------------------------------


def fiscal_months(year: int, now: datetime) -> list[str]:
    months, y, m = [], year - 1, 10
    while (y, m) <= (year, 9) and f"{y:04d}-{m:02d}" <= month_of(now):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def score(row: dict[str, Any]) -> float | None:
    """round(100 × Σ wᵢ·rᵢ / Σ wᵢ, 1) over the components that are not null (SPEC §8)."""
    components = {
        "ack_rate": row["ack_rate"],
        "first_progress_rate": row["first_progress_rate"],
        "checkpoint_rate": row["checkpoint_rate"],
        "reopened": 1 - min(1, row["reopened"] / row["completed"]) if row["completed"] else None,
        "audits": 1 - row["audits_inconsistent"] / row["audits"] if row["audits"] else None,
    }
    present = {k: v for k, v in components.items() if v is not None}
    if not present:
        return None
    return round(100 * sum(WEIGHTS[k] * v for k, v in present.items()) / sum(WEIGHTS[k] for k in present), 1)


def fiscal_year(h: History, year: int, now: datetime) -> dict[str, Any]:
    """Per agency, its monthly counts summed over the months begun (each month as its report has it:
    frozen on the 1st after, the running one now), rates recomputed, the score and the rank."""
    months = fiscal_months(year, now)
    sums: dict[str, dict[str, Any]] = {}
    for month in months:
        for r in monthly_rows(h, month, min(now, frozen_at(month))):
            agg = sums.setdefault(r["agency_id"], {f: r[f] for f in AGENCY_FIELDS[:3]} | dict.fromkeys(COUNTS, 0))
            for f in COUNTS:
                agg[f] = r[f] if f == "open_at_month_end" else agg[f] + r[f]  # open: the latest month's
    for agg in sums.values():
        for kind in RATED:
            agg[f"{kind}_rate"] = rate(agg[f"{kind}_met"], agg[f"{kind}_missed"])
        agg["score"] = score(agg)
    ranked = sorted(sums.values(), key=lambda a: (a["score"] is None, -(a["score"] or 0), a["agency_id"]))
    for n, agg in enumerate(ranked, 1):
        agg["rank"] = n if agg["score"] is not None else None
    return {"fiscal_year": year, "fiscal_year_be": year + 543, "from": f"{year - 1}-10-01", "to": f"{year}-09-30",
            "months": months, "agencies": {a["agency_id"]: a for a in ranked}}  # fmt: skip
