"""The local outbox: the e-mails (SES) and SMS (SNS) the local stack "sent".

Nothing leaves the machine: moto keeps what the functions send in its
in-process backends, and this module reads them there (the moto server of
``make run`` runs in the same process as the HTTP front):

- SES ``send_email`` / ``send_templated_email`` / ``send_raw_email`` (and SES v2,
  which moto stores in the same SES v1 backend): ``ses_backends[account][region].sent_messages``
  (``Message``, ``TemplateMessage``, ``RawMessage``);
- SNS SMS (``publish`` with ``PhoneNumber``): ``sns_backends[account][region].sms_messages``,
  ``{message_id: (phone_number, message)}``;
- SNS topic messages (``publish`` with ``TopicArn``, e.g. escalations to the
  operators' topic): ``sns_backends[account][region].topics[arn].sent_notifications``.

Every message becomes one plain dict (an *entry*); moto's backends are empty
again after a restart, so the entries of earlier runs are kept by the stack
in ``.local/state.json`` (``local.stack``, ``local.state``) and handed back here
as the ``archive``. moto records no send time, so an entry's ``sent_at`` is the
wall-clock instant this module first saw it (the stack looks after every
request that can send).

The page (``/_outbox``) is ``templates/outbox.html``; ``/_outbox.json`` the same, as JSON.
"""

from __future__ import annotations

import base64
import email
import email.policy
import html
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup, escape

from complaints.domain.calendar import BANGKOK
from local import infra
from local.render import render

ACCOUNT = infra.ACCOUNT  # moto's default account (fake credentials map to it)

Entry = dict[str, Any]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _shown(instant: str | None) -> str:
    """``sent_at`` as people read it: Bangkok time."""
    if not instant:
        return ""
    try:
        return datetime.fromisoformat(instant).astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M:%S (Bangkok)")
    except ValueError:
        return instant


def _looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(html|body|div|p|table|br|h[1-6]|a)\b", text, re.IGNORECASE))


def _html_to_text(markup: str) -> str:
    """A readable preview of an HTML body (the page also links the rendered HTML)."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", markup)
    text = re.sub(r"(?i)<br\s*/?>|</(p|div|tr|h[1-6]|li)>", "\n", text)
    text = re.sub(r"(?is)<a\b[^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>", r"\2 (\1)", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


def _addresses(destinations: Any) -> list[str]:
    if isinstance(destinations, dict):
        out: list[str] = []
        for key in ("ToAddresses", "CcAddresses", "BccAddresses"):
            out += list(destinations.get(key) or [])
        return out
    if isinstance(destinations, list):
        return [str(d) for d in destinations]
    return []


def _raw_email(message_id: str, source: str | None, destinations: list[str], raw: str) -> Entry:
    parsed = email.message_from_string(raw, policy=email.policy.default)
    text = markup = None
    attachments = []
    for part in parsed.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        ctype = part.get_content_type()
        if filename or part.get_content_disposition() == "attachment":
            data = part.get_payload(decode=True) or b""
            attachments.append(
                {
                    "filename": filename or f"attachment-{len(attachments) + 1}",
                    "content_type": ctype,
                    "size": len(data),
                    "data": base64.b64encode(data).decode("ascii"),
                }
            )
        elif ctype == "text/plain" and text is None:
            text = part.get_content()
        elif ctype == "text/html" and markup is None:
            markup = part.get_content()
    return {
        "id": message_id,
        "channel": "email",
        "from": source or str(parsed.get("From") or ""),
        "to": destinations,
        "subject": str(parsed.get("Subject") or ""),
        "text": text if text is not None else _html_to_text(markup or ""),
        "html": markup,
        "attachments": attachments,
    }


def _ses_entry(message: Any) -> Entry | None:
    kind = type(message).__name__
    if kind == "RawMessage":
        return _raw_email(message.id, message.source, _addresses(message.destinations), message.raw_data)
    if kind == "TemplateMessage":
        return {
            "id": message.id,
            "channel": "email",
            "from": message.source,
            "to": _addresses(message.destinations),
            "subject": f"(template {message.template})",
            "text": str(message.template_data),
            "html": None,
            "attachments": [],
        }
    if kind == "Message":
        body = str(message.body or "")
        markup = body if _looks_like_html(body) else None
        return {
            "id": message.id,
            "channel": "email",
            "from": message.source,
            "to": _addresses(message.destinations),
            "subject": str(message.subject or ""),
            "text": _html_to_text(body) if markup else body,
            "html": markup,
            "attachments": [],
        }
    return None


def live_entries(region: str = infra.REGION, account: str = ACCOUNT) -> list[Entry]:
    """What moto holds now, in the order it was sent (no ``sent_at`` yet)."""
    # moto is imported when its backends are read, not with this module: only the process
    # that runs the moto server has anything to read, and importing moto is slow.
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    out: list[Entry] = []
    for message in list(ses_backends[account][region].sent_messages):
        entry = _ses_entry(message)
        if entry:
            out.append(entry)
    sns = sns_backends[account][region]
    for message_id, (phone, text) in list(sns.sms_messages.items()):
        out.append(
            {
                "id": message_id,
                "channel": "sms",
                "from": None,
                "to": [phone],
                "subject": None,
                "text": text,
                "html": None,
                "attachments": [],
            }
        )
    for arn, topic in list(sns.topics.items()):
        for message_id, text, subject, *_ in list(topic.sent_notifications):
            out.append(
                {
                    "id": message_id,
                    "channel": "topic",
                    "from": None,
                    "to": [arn],
                    "subject": subject,
                    "text": text,
                    "html": None,
                    "attachments": [],
                }
            )
    return out


class Outbox:
    """The archive of earlier runs plus what moto holds now, each entry stamped once."""

    def __init__(self, archive: Iterable[Entry] = (), region: str = infra.REGION) -> None:
        self.region = region
        self._archive = [dict(e) for e in archive]
        self._seen: dict[str, str] = {}

    def entries(self) -> list[Entry]:
        """Every entry, oldest first."""
        known = {e["id"] for e in self._archive}
        out = list(self._archive)
        for entry in live_entries(self.region):
            if entry["id"] in known:
                continue
            entry["sent_at"] = self._seen.setdefault(entry["id"], _now())
            out.append(entry)
        return out

    def newest_first(self) -> list[Entry]:
        # reversed first: entries stamped in the same instant stay newest first
        return sorted(reversed(self.entries()), key=lambda e: e.get("sent_at") or "", reverse=True)

    def find(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries() if e["id"] == entry_id), None)


# ------------------------------------------------------------------ rendering

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


def as_json(outbox: Outbox) -> str:
    """The outbox, newest first; attachments by link instead of content."""
    out = []
    for entry in outbox.newest_first():
        item = {k: v for k, v in entry.items() if k != "attachments"}
        item["attachments"] = [
            {k: v for k, v in a.items() if k != "data"} | {"url": f"/_outbox/{entry['id']}/{i}"}
            for i, a in enumerate(entry.get("attachments") or [])
        ]
        if entry.get("html"):
            item["html_url"] = f"/_outbox/{entry['id']}"
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
    return {
        "label": LABELS.get(entry["channel"], entry["channel"]),
        "sent": _shown(entry.get("sent_at")),
        "to": ", ".join(entry.get("to") or []),
        "sender": entry.get("from"),
        "subject": entry.get("subject"),
        "text": _linked(entry.get("text") or ""),
        "links": links,
    }


def page(outbox: Outbox) -> str:
    entries = outbox.newest_first()
    return render("outbox.html", count=len(entries), cards=[_card(entry) for entry in entries])
