"""What the report's page and e-mail show, computed from the report document (pure).

Rates are fractions in the document (``0.8333``) and percentages on the page
(``83.3%``); a change of a rate from the previous month is shown in percentage
points. ``None`` is shown as ``—`` everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..domain.calendar import BANGKOK
from ..domain.kpi.figures import DEADLINES, rate
from ..messages import thai_date
from .labels import CHANNELS, EN_MONTHS, FIELDS, HEADLINE, OVERVIEW

if TYPE_CHECKING:
    from ..domain.routing import Catalogue

DASH = "—"
RATES = {"on_time", "dispatch_rate", *(f"{kind}_rate" for kind in DEADLINES)}
TEXT_COLUMNS = ("agency_id", "name_th", "name_en")


def on_time_rate(row: Mapping[str, Any]) -> float | None:
    """The rate over an agency's three duty deadlines together (ack, first progress, checkpoint):
    met / (met + missed), 4 places; ``None`` when nothing fell due."""
    met = sum(row.get(f"{kind}_met") or 0 for kind in DEADLINES)
    missed = sum(row.get(f"{kind}_missed") or 0 for kind in DEADLINES)
    return rate(met, missed)


def lowest_on_time(rows: Iterable[Mapping[str, Any]], n: int = 10) -> list[Mapping[str, Any]]:
    """The ``n`` agencies with the lowest on-time rate, lowest first (no rate: left out; ties by agency_id)."""
    rated = [(r, on_time_rate(r)) for r in rows]
    ranked = sorted(((v, r["agency_id"], r) for r, v in rated if v is not None), key=lambda t: (t[0], t[1]))
    return [r for _, _, r in ranked[:n]]


def value_of(row: Mapping[str, Any] | None, key: str) -> Any:
    """A figure of a row, ``on_time`` derived; ``None`` when the row or the figure is missing."""
    if row is None:
        return None
    return on_time_rate(row) if key == "on_time" else row.get(key)


def fmt(key: str, value: Any) -> str:
    """A figure as people read it: ``1,234``, ``83.3%``, ``2.5`` (days), ``—`` for none."""
    if value is None:
        return DASH
    if key in RATES or key.endswith("_rate"):
        return f"{value * 100:.1f}%"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def change(key: str, value: Any, previous: Any, better: int = 0) -> dict[str, Any]:
    """The change from the previous month: ``delta`` (a rate's in percentage points), an arrow, a sign,
    and a ``tone`` (``good``/``bad``/``same``/``none``) from the way that is better."""
    out = {"key": key, "value": value, "previous": previous, "shown": fmt(key, value), "was": fmt(key, previous)}
    if value is None or previous is None:
        return out | {"delta": None, "arrow": "", "delta_shown": DASH, "tone": "none"}
    is_rate = key in RATES or key.endswith("_rate")
    delta = round((value - previous) * 100, 1) if is_rate else round(value - previous, 1)
    if isinstance(delta, float) and delta.is_integer() and not is_rate:
        delta = int(delta)
    unit = " pp" if is_rate else ""
    if delta == 0:
        return out | {"delta": delta, "arrow": "=", "delta_shown": f"±0{unit}", "tone": "same"}
    sign = 1 if delta > 0 else -1
    tone = "none" if not better else ("good" if sign == better else "bad")
    size = f"{abs(delta):.1f}" if is_rate else fmt(key, abs(delta))
    shown = f"{'+' if sign > 0 else '-'}{size}{unit}"
    return out | {"delta": delta, "arrow": "▲" if sign > 0 else "▼", "delta_shown": shown, "tone": tone}


def headline(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The headline totals, each with its labels and its change from ``previous_month``."""
    now, before = doc["totals"], doc.get("previous_month")
    out = []
    for key, better in HEADLINE:
        th, en = FIELDS[key]
        out.append(change(key, value_of(now, key), value_of(before, key), better) | {"th": th, "en": en})
    return out


def month_en(month: str) -> str:
    """``2026-11`` → ``November 2026``."""
    year, mm = month.split("-")
    return f"{EN_MONTHS[int(mm) - 1]} {year}"


def when(stamp: str | None) -> str:
    """An ISO instant as ``1 ธ.ค. 2569 09:00`` (Bangkok); the text as given when it is not one."""
    if not stamp:
        return DASH
    try:
        instant = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    local = instant.astimezone(BANGKOK)
    return f"{thai_date(local)} {local:%H:%M} น."


def bar(key: str, value: float | None) -> dict[str, Any]:
    """A bar of a rate: its width in percent (0–100, one decimal) and its label."""
    width = None if value is None else round(min(max(value, 0.0), 1.0) * 100, 1)
    return {"value": value, "width": width, "shown": fmt(key, value)}


SVG_WIDTH, SVG_TRACK, SVG_ROW = 400, 330, 34


def svg_chart(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The page's chart: one horizontal bar per agency, highest on-time rate first (no rate: last)."""
    rated = [(r, on_time_rate(r)) for r in rows]
    rated.sort(key=lambda t: (t[1] is None, -(t[1] or 0), t[0]["agency_id"]))
    bars = []
    for n, (row, value) in enumerate(rated):
        b = bar("on_time", value)
        track = 0 if b["width"] is None else round(SVG_TRACK * b["width"] / 100, 1)
        bars.append(b | {"id": row["agency_id"], "name": row["name_th"], "y": 4 + n * SVG_ROW, "length": track})
    return {"bars": bars, "width": SVG_WIDTH, "track": SVG_TRACK, "height": 8 + len(bars) * SVG_ROW}


def overview(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The e-mail's overview chart: the on-time rate of each kind of deadline, this month."""
    out = []
    for key, th, en in OVERVIEW:
        source = doc["call_centre"] if key == "dispatch_rate" else doc["totals"]
        out.append(bar(key, value_of(source, key)) | {"th": th, "en": en})
    return out


def lowest(doc: Mapping[str, Any], n: int = 10) -> list[dict[str, Any]]:
    """The e-mail's ten lowest, with their bars and missed deadlines."""
    out = []
    for rank, row in enumerate(lowest_on_time(doc["agencies"], n), 1):
        missed = sum(row[f"{kind}_missed"] for kind in DEADLINES)
        due = missed + sum(row[f"{kind}_met"] for kind in DEADLINES)
        out.append(bar("on_time", on_time_rate(row)) | {"rank": rank, "row": row, "missed": missed, "due": due})
    return out


def text_bar(width: float | None, size: int = 20) -> str:
    """A bar in plain text: ``█████░░░░░``."""
    if width is None:
        return ""
    full = round(width * size / 100)
    return "█" * full + "░" * (size - full)


def names_from(catalogue: Catalogue) -> dict[str, str]:
    """Names for the breakdowns' codes: categories and districts (``1039`` → ``เขตบางบอน · Bang Bon``)."""
    names = {code: f"{c.name_th} · {c.name_en}" for code, c in catalogue.categories.items()}
    for agency in catalogue.agencies.values():
        if agency.kind == "district" and agency.district:
            th = "เขต" + agency.name_th.removeprefix("สำนักงานเขต")
            names[agency.district] = f"{th} · {agency.name_en.removesuffix(' District Office')}"
    return names


def cell(key: str, value: Any) -> dict[str, Any]:
    """A table cell: the raw value to sort on (empty for none) and what is shown."""
    raw = "" if value is None else str(value)
    return {"raw": raw, "shown": raw if key in TEXT_COLUMNS else fmt(key, value)}


def channels(call_centre: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for code, n in call_centre.get("by_channel", {}).items():
        th, en = CHANNELS.get(code, (code, code))
        out.append({"code": code, "th": th, "en": en, "n": n, "shown": fmt("n", n)})
    return out
