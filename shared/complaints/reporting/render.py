"""The monthly report as CSV, as the executives' page and as the e-mail to them (SPEC §8), pure.

No AWS and no I/O: each function takes the report document that ``figures.monthly``
builds (as stored, JSON-ready) and returns bytes, text or a MIME message.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formatdate
from typing import Any

from markupsafe import Markup

from ..domain.kpi.figures import AGENCY_FIELDS
from ..messages import render
from .labels import CALL_CENTRE, CATEGORY_FIELDS, DISTRICT_FIELDS, FIELDS
from .view import (
    TEXT_COLUMNS,
    cell,
    channels,
    fmt,
    headline,
    lowest,
    month_en,
    overview,
    svg_chart,
    text_bar,
    value_of,
    when,
)

#: The agencies table's columns: the fields of SPEC §8 with the on-time rate after the names.
COLUMNS = (*AGENCY_FIELDS[:3], "on_time", *AGENCY_FIELDS[3:])

#: The page's one script: sorts a table by the column whose header is clicked. Without it
#: the tables stay as served (agencies by ID) and the headers are plain text.
SORT_SCRIPT = """
(function () {
  "use strict";
  function key(row, i, numeric) {
    var v = row.cells[i].getAttribute("data-value");
    if (v === null) { v = row.cells[i].textContent.trim(); }
    if (!numeric) { return v; }
    return v === "" ? null : parseFloat(v);
  }
  function order(x, y, numeric) {
    if (x === null || y === null) { return x === y ? 0 : (x === null ? 1 : -1); }
    return numeric ? x - y : x.localeCompare(y, "th");
  }
  function sort(table, i, numeric, dir) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, i, numeric), y = key(b, i, numeric);
      var c = (x === null || y === null) ? order(x, y, numeric) : dir * order(x, y, numeric);
      return c || a.sortIndex - b.sortIndex;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function sortable(table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row, n) { row.sortIndex = n; });
    Array.prototype.forEach.call(heads, function (th, i) {
      var type = th.getAttribute("data-sort");
      if (!type) { return; }
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        sort(table, i, type === "number", dir);
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);
})();
"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SORT_SCRIPT.encode("utf-8")).digest()).decode("ascii")
#: The Content-Security-Policy the page is served with: nothing from the network, its own script only.
PAGE_CSP = (
    f"default-src 'none'; script-src '{SCRIPT_HASH}'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)


# --- CSV --------------------------------------------------------------------------------------------


def _csv_cell(field: str, value: Any) -> str:
    if value is None:
        return ""
    if field in TEXT_COLUMNS or isinstance(value, str):
        return str(value)
    return json.dumps(value)  # numbers exactly as the JSON document has them


def csv_bytes(doc: Mapping[str, Any], fields: Sequence[str] = AGENCY_FIELDS) -> bytes:
    """The ``agencies`` table as CSV: UTF-8 with a BOM (so spreadsheet programs read the Thai), the
    field names of SPEC §8 as the header, one row an agency, null as an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    for row in doc["agencies"]:
        writer.writerow([_csv_cell(f, row.get(f)) for f in fields])
    return out.getvalue().encode("utf-8-sig")


# --- the page ---------------------------------------------------------------------------------------


def _common(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What the page and the e-mail both show."""
    return {
        "doc": doc,
        "month_en": month_en(doc["month"]),
        "generated": when(doc.get("generated_at")),
        "headline": headline(doc),
        "has_previous": doc.get("previous_month") is not None,
    }


def _agency_rows(doc: Mapping[str, Any], link: Callable[[str], str]) -> list[dict[str, Any]]:
    return [
        {"id": row["agency_id"], "href": link(row["agency_id"]), "name": row["name_th"],
         "cells": [(c, cell(c, value_of(row, c))) for c in COLUMNS]}
        for row in doc["agencies"]
    ]  # fmt: skip


def _table(
    fields: Mapping[str, tuple[str, str]], rows: Sequence[Mapping[str, Any]], names: Mapping[str, str]
) -> dict[str, Any]:
    """A breakdown table: its headers and its rows (the code's name from ``names`` when known)."""
    code = next(iter(fields))
    body = []
    for row in rows:
        cells = [(f, cell(f, row.get(f))) for f in fields]
        body.append({"code": row[code], "name": names.get(str(row[code])), "cells": cells})
    return {"heads": [(f, th, en, f != code) for f, (th, en) in fields.items()], "rows": body}


def html_page(doc: Mapping[str, Any], links: Callable[[str], str], names: Mapping[str, str] | None = None) -> str:
    """The executives' page (``report_page.html``): Thai first with English, phone first.

    ``links`` gives the URL of an agency's figures from its ID (an object with an ``agency``
    method is taken too); ``names`` names the breakdowns' category and district codes
    (``names_from(catalogue)`` makes one)."""
    link = getattr(links, "agency", links)
    names = names or {}
    return render(
        "report_page.html",
        **_common(doc),
        chart=svg_chart(doc["agencies"]),
        columns=[(c, *FIELDS[c], c not in TEXT_COLUMNS) for c in COLUMNS],
        agencies=_agency_rows(doc, link),
        totals=[(c, cell(c, value_of(doc["totals"], c))) for c in COLUMNS[3:]],
        centre=[(k, th, en, fmt(k, doc["call_centre"].get(k))) for k, (th, en) in CALL_CENTRE.items()],
        channels=channels(doc["call_centre"]),
        categories=_table(CATEGORY_FIELDS, doc["by_category"], names),
        districts=_table(DISTRICT_FIELDS, doc["by_district"], names),
        script=Markup(SORT_SCRIPT),  # noqa: S704 - our own constant, never data
    )


# --- the e-mail -------------------------------------------------------------------------------------


def subject(doc: Mapping[str, Any]) -> str:
    """``[1555] รายงานประจำเดือน พฤศจิกายน 2569`` (marked while the month is still running)."""
    draft = "" if doc.get("final") else " (ข้อมูลถึงปัจจุบัน)"
    return f"[1555] รายงานประจำเดือน {doc['month_th']}{draft}"


def _date(doc: Mapping[str, Any]) -> str:
    try:
        return format_datetime(datetime.fromisoformat(doc["generated_at"]))
    except (KeyError, TypeError, ValueError):
        return formatdate(usegmt=True)


def email_message(
    doc: Mapping[str, Any],
    sender: str,
    recipients: Sequence[str],
    csv_name: str | None = None,
    page_url: str | None = None,
) -> EmailMessage:
    """The report e-mailed to the executives, as SES ``send_raw_email`` takes it (``.as_bytes()``):
    ``multipart/mixed`` of a ``multipart/alternative`` (Thai text and HTML: the headline figures
    against the previous month, the ten agencies with the lowest on-time rates, bars as HTML) and
    the agencies table as a CSV attachment (``csv_name``, by default ``1555-report-<month>.csv``).
    Every part is base64 and every header ASCII (RFC 2047), as SES asks."""
    if not recipients:
        raise ValueError("the report e-mail needs at least one recipient")
    context = _common(doc) | {
        "subject": subject(doc),
        "overview": overview(doc),
        "lowest": lowest(doc),
        "page_url": page_url,
        "text_bar": text_bar,
    }
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = context["subject"]
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = _date(doc)
    msg["Content-Language"] = "th"
    msg.set_content(render("report_email.txt", **context), subtype="plain", charset="utf-8", cte="base64")
    msg.add_alternative(render("report_email.html", **context), subtype="html", charset="utf-8", cte="base64")
    msg.add_attachment(
        csv_bytes(doc),
        maintype="text",
        subtype="csv",
        filename=csv_name or f"1555-report-{doc['month']}.csv",
        params={"charset": "utf-8"},
    )
    return msg
