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

An e-mail sent raw (``send_raw_email``: the monthly report) keeps its MIME
message as sent, ``raw``: the outbox serves it as ``/_outbox/<id>.eml`` and
``make report`` writes it out. The seed stamps what it makes with the instant
of the step that sent it (``Outbox.stamp``), so that its two months of
messages read in their order.

The page (``/_outbox``, ``local.pages``) is ``templates/outbox.html``; ``/_outbox.json`` the same, as JSON.
"""

from __future__ import annotations

import base64
import email
import email.policy
import html
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from local import infra

ACCOUNT = infra.ACCOUNT  # moto's default account (fake credentials map to it)

Entry = dict[str, Any]


def _stamp(at: datetime | None = None) -> str:
    """A ``sent_at``: UTC, so that the stamps sort as text."""
    return (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="milliseconds")


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
        "to": list(dict.fromkeys(destinations)),  # moto adds the message's own To to the Destinations given
        "subject": str(parsed.get("Subject") or ""),
        "text": text if text is not None else _html_to_text(markup or ""),
        "html": markup,
        "attachments": attachments,
        "raw": raw,
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


def live_entries(
    region: str = infra.REGION, account: str = ACCOUNT, parsed: dict[str, Entry | None] | None = None
) -> list[Entry]:
    """What moto holds now, in the order it was sent (no ``sent_at`` yet). ``parsed`` keeps the
    e-mails already parsed, by id, so that each is parsed once."""
    # moto is imported when its backends are read, not with this module: only the process
    # that runs the moto server has anything to read, and importing moto is slow.
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    parsed = {} if parsed is None else parsed
    out: list[Entry] = []
    for message in list(ses_backends[account][region].sent_messages):
        if message.id not in parsed:
            parsed[message.id] = _ses_entry(message)
        entry = parsed[message.id]
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


def live_ids(region: str = infra.REGION, account: str = ACCOUNT) -> list[str]:
    """The ids of what moto holds now — cheap: no message is parsed."""
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    sns = sns_backends[account][region]
    ids = [m.id for m in list(ses_backends[account][region].sent_messages)] + list(sns.sms_messages)
    return ids + [n[0] for topic in list(sns.topics.values()) for n in list(topic.sent_notifications)]


class Outbox:
    """The archive of earlier runs plus what moto holds now, each entry stamped once."""

    def __init__(self, archive: Iterable[Entry] = (), region: str = infra.REGION) -> None:
        self.region = region
        self._archive = [dict(e) for e in archive]
        self._seen: dict[str, str] = {}
        self._parsed: dict[str, Entry | None] = {}  # the e-mails moto holds, each parsed once

    def entries(self) -> list[Entry]:
        """Every entry, oldest first."""
        known = {e["id"] for e in self._archive}
        out = list(self._archive)
        for entry in live_entries(self.region, parsed=self._parsed):
            if entry["id"] in known:
                continue
            entry["sent_at"] = self._seen.setdefault(entry["id"], _stamp())
            out.append(entry)
        return out

    def stamp(self, at: datetime) -> None:
        """Stamp what moto holds and was not seen yet as sent at ``at`` (the seed's steps)."""
        for message_id in live_ids(self.region):
            self._seen.setdefault(message_id, _stamp(at))

    def newest_first(self) -> list[Entry]:
        # reversed first: entries stamped in the same instant stay newest first
        return sorted(reversed(self.entries()), key=lambda e: e.get("sent_at") or "", reverse=True)

    def find(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries() if e["id"] == entry_id), None)

    def raw(self, entry_id: str) -> bytes | None:
        """The MIME message of an e-mail sent raw, as sent (``None``: no such e-mail)."""
        entry = self.find(entry_id)
        return entry["raw"].encode("utf-8") if entry and entry.get("raw") else None
