"""What the local front shows of its own, and what ``make run`` prints.

- the index page (``/``, ``templates/index.html``): what to try, how to act as
  each role, the reports of the seeded months, the template's routes;
- the banner ``python -m local run`` prints once the stack is up;
- the outbox page (``/_outbox``, ``templates/outbox.html``) and its JSON
  (``/_outbox.json``), from the entries of ``local.outbox``.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

from complaints.domain.calendar import BANGKOK
from local import infra
from local.outbox import Entry, Outbox
from local.render import render
from local.reports import fiscal_year, previous_month
from local.stack import Stack

ROLE_HELP = [
    ("citizen", "no header (the default)", ""),
    ("callcenter", "-H 'X-Local-Role: callcenter'", "as=callcenter"),
    ("agency", "-H 'X-Local-Role: agency' -H 'X-Local-Agency: DIST-1039'", "as=agency:DIST-1039"),
    ("auditor", "-H 'X-Local-Role: auditor'", "as=auditor"),
    ("executive", "-H 'X-Local-Role: executive'", "as=executive"),
    ("admin", "-H 'X-Local-Role: admin'", "as=admin"),
]
SCHEDULED_JOBS = (
    "make sweep AT=2026-12-01T08:30:00+07:00",
    "make report AT=2026-12-01T09:00:00+07:00",
    "make report MONTH=2026-11   # the month's report as files in .local/reports/",
)


def report_links(now: datetime | None = None) -> list[tuple[str, str]]:
    """The executives' views of the previous month and of its fiscal year (the seed's history)."""
    month = previous_month(now)
    year = fiscal_year(month)
    return [
        (f"/reports/monthly/{month}?format=html&as=executive", f"the monthly report of {month}, as an executive"),
        (f"/reports/fiscal-year/{year}?as=executive", f"fiscal year {year} (Oct {year - 1} – Sep {year}), executive"),
    ]


def curl_examples(base: str, demo: dict[str, Any]) -> list[tuple[str, str]]:
    case_id, token = demo.get("id") or "<id>", demo.get("token") or "<token>"
    body = (
        '{"category":"road","description":"ถนนเป็นหลุม","location":{"district":"1039"},'
        '"complainant":{"phone":"0812345678"},"notify":true}'
    )
    return [
        (
            "file a complaint (as a citizen)",
            f"curl -s -X POST {base}/complaints -H 'Content-Type: application/json' -d '{body}'",
        ),
        (
            "read a case as its citizen (token from the 201 answer)",
            f"curl -s '{base}/complaints/{case_id}?token={token}'",
        ),
        ("list cases as the call centre", f"curl -s {base}/complaints -H 'X-Local-Role: callcenter'"),
        (
            "list cases as an agency officer",
            f"curl -s {base}/complaints -H 'X-Local-Role: agency' -H 'X-Local-Agency: DIST-1039'",
        ),
        (
            "route a case (call centre)",
            f"curl -s -X POST {base}/complaints/{case_id}/route -H 'X-Local-Role: callcenter' "
            "-H 'Content-Type: application/json' -d '{\"agency_id\":\"DIST-1001\"}'",
        ),
    ]


def banner(base: str, stack: Stack) -> str:
    """What ``python -m local run`` prints once the stack is up."""
    lines = [
        "",
        "1555 complaint centre — local stack",
        "",
        f"  API         {base}",
        f"  file        {base}/report  (the citizen's filing page)",
        f"  what to try {base}/_local",
        f"  contract    {base}/docs  (docs/openapi.json in Swagger UI)",
        f"  outbox      {base}/_outbox",
        f"  moto        {stack.endpoint}  (aws --endpoint-url {stack.endpoint} --region {infra.REGION} ...)",
        f"  state       {stack.state_dir}",
        "",
        f"  Open311 API key: {stack.demo.get('api_key') or '(none)'}",
        "    (kept across restarts; admins list and revoke keys at /api-keys)",
        "",
    ]
    for title, cmd in curl_examples(base, stack.demo):
        lines += [f"  # {title}", f"  {cmd}"]
    lines += ["", "  Reports (the seeded months):"]
    lines += [f"    {base}{href}" for href, _ in report_links()]
    lines += ["", "  Act as a role: a header for curl, or ?as=... in a browser:"]
    for role, header, query in ROLE_HELP:
        lines.append(f"    {role:<10} {header}" + (f"   or ?{query}" if query else ""))
    lines += [
        "",
        "  Scheduled jobs (against this stack while it runs):",
        *(f"    {job}" for job in SCHEDULED_JOBS),
        "",
        "Ctrl-C stops (the state is saved).",
    ]
    return "\n".join(lines)


def index_page(base: str, stack: Stack) -> str:
    """``/_local``: what to try, how to act as each role, the template's routes (``templates/index.html``)."""
    links = [
        ("/report", "the citizen's filing page (phone-first, with the map)"),
        ("/docs", "the API's contract (docs/openapi.json) in Swagger UI"),
        ("/agencies", "agencies (public)"),
        ("/categories", "categories (public)"),
        ("/complaints?as=callcenter", "all cases, as the call centre"),
        ("/complaints?as=agency:DIST-1039", "the cases of Watthana district office, as its officer"),
        ("/complaints?as=callcenter&state=triage", "cases waiting for triage"),
        *report_links(),
        ("/audits?as=auditor", "the audits waiting for a verdict, as an auditor"),
        ("/_outbox", "the outbox: e-mails and SMS the stack sent"),
    ]
    if stack.demo.get("id") and stack.demo.get("token"):
        links.insert(
            2,
            (
                f"/complaints/{stack.demo['id']}?token={stack.demo['token']}",
                f"case {stack.demo['id']} as its citizen (tracking token)",
            ),
        )
        links.insert(
            3, (f"/complaints/{stack.demo['id']}?as=callcenter", f"case {stack.demo['id']} as the call centre")
        )
    routes = [
        {
            "method": r.method,
            "path": r.path,
            "function": r.function,
            "linked": r.method == "GET" and "{" not in r.path,
            "who": {None: "anyone", "OptionalStaff": "anyone (staff: signed in)"}.get(r.authorizer, "staff (Cognito)"),
        }
        for r in infra.routes()
    ]
    return render(
        "index.html",
        base=base,
        endpoint=stack.endpoint,
        region=infra.REGION,
        links=links,
        roles=ROLE_HELP,
        curls=curl_examples(base, stack.demo),
        routes=routes,
        jobs=SCHEDULED_JOBS,
    )


# ---------------------------------------------------------------- the outbox


def _shown(instant: str | None) -> str:
    """``sent_at`` as people read it: Bangkok time."""
    if not instant:
        return ""
    try:
        return datetime.fromisoformat(instant).astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M:%S (Bangkok)")
    except ValueError:
        return instant


_URL = re.compile(r"https?://[^\s<>\"']+")


def _linkify(escaped: str) -> str:
    """Make the URLs of already-escaped text clickable."""

    def link(m: re.Match[str]) -> str:
        url = m.group(0)
        tail = ""
        while url and url[-1] in ".,;:)]":
            url, tail = url[:-1], url[-1] + tail
        return f'<a href="{url}">{url}</a>{tail}'

    return _URL.sub(link, escaped)


def _linked(text: str) -> Markup:
    """``text`` escaped, then its URLs made clickable."""
    return Markup(_linkify(str(escape(text))))  # noqa: S704 - every character of text was escaped first


def outbox_json(outbox: Outbox) -> str:
    """The outbox, newest first; attachments by link instead of content."""
    out = []
    for entry in outbox.newest_first():
        item = {k: v for k, v in entry.items() if k not in ("attachments", "raw")}
        item["attachments"] = [
            {k: v for k, v in a.items() if k != "data"} | {"url": f"/_outbox/{entry['id']}/{i}"}
            for i, a in enumerate(entry.get("attachments") or [])
        ]
        if entry.get("html"):
            item["html_url"] = f"/_outbox/{entry['id']}"
        if entry.get("raw"):
            item["eml_url"] = f"/_outbox/{entry['id']}.eml"
        out.append(item)
    return json.dumps({"messages": out, "count": len(out)}, ensure_ascii=False, indent=2)


LABELS = {"email": "e-mail (SES)", "sms": "SMS (SNS)", "topic": "SNS topic"}


def _card(entry: Entry) -> dict[str, Any]:
    """What the page shows of one entry (``templates/outbox.html``)."""
    links = []
    if entry.get("html"):
        links.append({"url": f"/_outbox/{entry['id']}", "text": "view the HTML as sent", "detail": None})
    for i, att in enumerate(entry.get("attachments") or []):
        links.append(
            {
                "url": f"/_outbox/{entry['id']}/{i}",
                "text": att["filename"],
                "detail": f"{att['content_type']}, {att['size']} bytes",
            }
        )
    if entry.get("raw"):
        links.append({"url": f"/_outbox/{entry['id']}.eml", "text": "the message as sent (.eml)", "detail": None})
    return {
        "label": LABELS.get(entry["channel"], entry["channel"]),
        "sent": _shown(entry.get("sent_at")),
        "to": ", ".join(entry.get("to") or []),
        "sender": entry.get("from"),
        "subject": entry.get("subject"),
        "text": _linked(entry.get("text") or ""),
        "links": links,
    }


def outbox_page(outbox: Outbox) -> str:
    entries = outbox.newest_first()
    return render("outbox.html", count=len(entries), cards=[_card(entry) for entry in entries])
