"""A month's report and the fiscal year's evaluation from the summed counters (SPEC §8), pure.

``Counters`` maps a scope (``agency:<id>``, ``centre``, ``category:<code>``,
``district:<code>``) to its counters for one month, as ``facts.increments`` names them.
``open`` is a running balance: its month-end value is the previous month-end's plus
the month's change, which the caller passes in (``open_at_month_end``).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ..routing import Catalogue
from .facts import CENTRE

Counters = Mapping[str, Mapping[str, int]]

DEADLINES = ("ack", "first_progress", "checkpoint")
#: The per-agency fields of the report, in order (SPEC §8).
AGENCY_FIELDS = (
    "agency_id", "name_th", "name_en", "dispatched", "handed_back", "acknowledged",
    "ack_met", "ack_missed", "ack_rate", "first_progress_met", "first_progress_missed", "first_progress_rate",
    "checkpoint_met", "checkpoint_missed", "checkpoint_rate", "completed", "median_business_days_to_complete",
    "reopened", "reopened_by_citizen", "reopened_by_audit", "audits", "audits_inconsistent", "chases",
    "escalations", "citizens_satisfied", "citizens_unsatisfied", "open_at_month_end",
)  # fmt: skip
COUNTS = tuple(
    f for f in AGENCY_FIELDS[3:] if not f.endswith("_rate") and f not in ("median_business_days_to_complete",)
)
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")  # fmt: skip
#: The fiscal-year score's components, in the order of the template's ``ReportWeights``.
WEIGHT_NAMES = ("ack_rate", "first_progress_rate", "checkpoint_rate", "reopen_component", "audit_component")


def rate(met: int, missed: int) -> float | None:
    """met / (met + missed), 4 places; None when nothing fell due."""
    return round(met / (met + missed), 4) if met + missed else None


def month_th(month: str) -> str:
    """``2026-11`` → ``พฤศจิกายน 2569``."""
    year, mm = (int(p) for p in month.split("-"))
    return f"{THAI_MONTHS[mm - 1]} {year + 543}"


def median_days(counters: Mapping[str, int]) -> float | int | None:
    """The median of the completions' business days (``days_to_complete:<n>`` counters)."""
    values = [
        int(k.split(":", 1)[1]) for k, n in counters.items() if k.startswith("days_to_complete:") for _ in range(n)
    ]
    return statistics.median(values) if values else None


def agency_row(agency_id: str, counters: Mapping[str, int], open_at_month_end: int, catalogue: Catalogue) -> dict:
    known = catalogue.agencies.get(agency_id)
    row: dict[str, Any] = {"agency_id": agency_id, "name_th": known.name_th if known else agency_id,
                           "name_en": known.name_en if known else agency_id}  # fmt: skip
    for field in AGENCY_FIELDS[3:]:
        row[field] = counters.get(field, 0)
    for kind in DEADLINES:
        row[f"{kind}_rate"] = rate(row[f"{kind}_met"], row[f"{kind}_missed"])
    row["median_business_days_to_complete"] = median_days(counters)
    row["open_at_month_end"] = open_at_month_end
    return {f: row[f] for f in AGENCY_FIELDS}


def totals(rows: Iterable[Mapping[str, Any]], histogram: Mapping[str, int]) -> dict[str, Any]:
    """The sums of the agency figures, rates recomputed from the summed counts (never averaged)."""
    rows = list(rows)
    out: dict[str, Any] = {f: sum(r[f] for r in rows) for f in COUNTS}
    for kind in DEADLINES:
        out[f"{kind}_rate"] = rate(out[f"{kind}_met"], out[f"{kind}_missed"])
    out["median_business_days_to_complete"] = median_days(histogram)
    return out


def call_centre(counters: Mapping[str, int]) -> dict[str, Any]:
    channels = {k.split(":", 1)[1]: n for k, n in sorted(counters.items()) if k.startswith("channel:")}
    met, missed = counters.get("dispatch_met", 0), counters.get("dispatch_missed", 0)
    return {"received": counters.get("received", 0), "by_channel": channels,
            "routed_automatically": counters.get("routed_automatically", 0), "dispatch_met": met,
            "dispatch_missed": missed, "dispatch_rate": rate(met, missed),
            "referred_hotline": counters.get("referred_hotline", 0),
            "referred_letter": counters.get("referred_letter", 0),
            "closed_in_triage": counters.get("closed_in_triage", 0)}  # fmt: skip


def _scoped(counters: Counters, prefix: str) -> dict[str, Mapping[str, int]]:
    return {scope.split(":", 1)[1]: c for scope, c in counters.items() if scope.startswith(prefix)}


def monthly(
    month: str,
    counters: Counters,
    open_at_month_end: Mapping[str, int],
    catalogue: Catalogue,
    previous_totals: Mapping[str, Any] | None,
    generated_at: str,
    final: bool,
) -> dict[str, Any]:
    """The report document of SPEC §8. ``open_at_month_end`` maps ``agency:<id>`` / ``district:<code>`` to
    the open cases at the month's last instant."""
    agencies = _scoped(counters, "agency:")
    ids = sorted(
        set(agencies) | {s.split(":", 1)[1] for s, n in open_at_month_end.items() if s.startswith("agency:") and n}
    )
    rows = [agency_row(a, agencies.get(a, {}), open_at_month_end.get(f"agency:{a}", 0), catalogue) for a in ids]
    rows = [r for r in rows if any(r[f] for f in COUNTS)]
    histogram = Counter()
    for c in agencies.values():
        histogram.update({k: n for k, n in c.items() if k.startswith("days_to_complete:")})
    categories = _scoped(counters, "category:")
    districts = _scoped(counters, "district:")
    district_codes = sorted(set(districts) | {s.split(":", 1)[1] for s, n in open_at_month_end.items()
                                              if s.startswith("district:") and n})  # fmt: skip
    return {
        "month": month, "month_th": month_th(month), "generated_at": generated_at, "final": final,
        "totals": totals(rows, histogram), "previous_month": previous_totals,
        "call_centre": call_centre(counters.get(CENTRE, {})), "agencies": rows,
        "by_category": [{"category": c, "received": n.get("received", 0), "completed": n.get("completed", 0),
                         "reopened": n.get("reopened", 0)} for c, n in sorted(categories.items())],
        "by_district": [{"district": d, "received": districts.get(d, {}).get("received", 0),
                         "completed": districts.get(d, {}).get("completed", 0),
                         "open_at_month_end": open_at_month_end.get(f"district:{d}", 0)} for d in district_codes],
    }  # fmt: skip


# --- the fiscal year -------------------------------------------------------------------------------


def fiscal_months(year: int, until: date) -> list[str]:
    """The months of Thai fiscal year ``year`` (1 October of year−1 to 30 September) up to ``until``."""
    months, y, m = [], year - 1, 10
    while (y, m) <= (year, 9) and date(y, m, 1) <= until:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def score(row: Mapping[str, Any], weights: Mapping[str, float]) -> float | None:
    """round(100 × Σ wᵢ·rᵢ / Σ wᵢ, 1) over the components that are not null (SPEC §8)."""
    components = {
        "ack_rate": row["ack_rate"], "first_progress_rate": row["first_progress_rate"],
        "checkpoint_rate": row["checkpoint_rate"],
        "reopen_component": 1 - min(1, row["reopened"] / row["completed"]) if row["completed"] else None,
        "audit_component": 1 - row["audits_inconsistent"] / row["audits"] if row["audits"] else None,
    }  # fmt: skip
    present = {k: v for k, v in components.items() if v is not None}
    if not present:
        return None
    total = sum(weights[k] for k in present)
    return round(100 * sum(weights[k] * v for k, v in present.items()) / total, 1) if total else None


def fiscal_year(
    year: int, months: list[str], rows_by_month: Iterable[Iterable[Mapping[str, Any]]], weights: Mapping[str, float]
) -> dict[str, Any]:
    """Per agency, the sums of its monthly counts, rates recomputed, a score and a rank."""
    sums: dict[str, dict[str, Any]] = {}
    for rows in rows_by_month:
        for r in rows:
            agg = sums.setdefault(r["agency_id"], {"agency_id": r["agency_id"], "name_th": r["name_th"],
                                                   "name_en": r["name_en"]} | dict.fromkeys(COUNTS, 0))  # fmt: skip
            for f in COUNTS:
                if f != "open_at_month_end":
                    agg[f] += r[f]
            agg["open_at_month_end"] = r["open_at_month_end"]  # the latest month's
    agencies = []
    for agg in sums.values():
        for kind in DEADLINES:
            agg[f"{kind}_rate"] = rate(agg[f"{kind}_met"], agg[f"{kind}_missed"])
        agg["score"] = score(agg, weights)
        agencies.append(agg)
    agencies.sort(key=lambda a: (a["score"] is None, -(a["score"] or 0), a["agency_id"]))
    for n, a in enumerate(agencies, 1):
        a["rank"] = n if a["score"] is not None else None
    return {"fiscal_year": year, "fiscal_year_be": year + 543, "from": f"{year - 1}-10-01", "to": f"{year}-09-30",
            "months": months, "weights": dict(weights), "agencies": agencies}  # fmt: skip
