"""What a flow left behind, as a user could notice it: cases with their whole histories, report
figures, audits, and the messages sent — without what differs from run to run (ids, tokens)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from local import infra
from tests.conftest import sent_emails, table_items
from tests.integration.faults.flows import dumps
from tests.integration.helpers import ACCOUNT, plain

IDS = re.compile(r"\d{4}-[0-9A-Z]{6}")
URLS = re.compile(r"https?://[^\s\"<>]+")


def anonymous(text: str) -> str:
    """Texts without what differs from run to run (case ids, tokens in links)."""
    return IDS.sub("<id>", URLS.sub("<link>", text))


def assert_whole(items: list[dict[str, Any]]) -> None:
    """Every case has its whole history and nothing more: events 1..version, no orphan events."""
    cases: dict[str, int] = {}
    events: dict[str, list[int]] = {}
    for item in items:
        pk, sk = item["pk"]["S"], item["sk"]["S"]
        if not pk.startswith("CASE#"):
            continue
        if sk == "META":
            cases[pk] = int(item["version"]["N"])
        else:
            events.setdefault(pk, []).append(int(sk.removeprefix("EVT#")))
    assert set(events) == set(cases), "history without a case"
    for pk, version in cases.items():
        assert sorted(events[pk]) == list(range(1, version + 1)), f"{pk}: state and history disagree"


def messages() -> dict[str, Any]:
    from moto.sns.models import sns_backends

    sns = sns_backends[ACCOUNT][infra.REGION]
    mails = sent_emails()
    return {
        "emails": sorted(
            (",".join(m.destinations.get("ToAddresses", [])), anonymous(m.subject))
            for m in mails
            if not hasattr(m, "raw_data")
        ),
        "raw emails": sorted(",".join(m.destinations) for m in mails if hasattr(m, "raw_data")),
        "sms": sorted((number, anonymous(text)) for number, text, *_ in sns.sms_messages.values()),
        "operators": sorted(anonymous(n[2]) for t in sns.topics.values() for n in t.sent_notifications),
    }


def snapshot(aws: Any) -> dict[str, Any]:
    """What a user (citizen, agency, executive) could notice, without run-to-run ids."""
    items = table_items(aws)
    assert_whole(items)
    docs = [plain(i) for i in items if not i["pk"]["S"].startswith("IDEMPOTENCY#")]
    histories = {}
    for d in docs:
        if d["sk"] == "META" and d["pk"].startswith("CASE#"):
            histories[d["pk"]] = [d["state"], int(d["version"])]
    for d in sorted(docs, key=lambda d: (d["pk"], d["sk"])):
        if d.get("entity") == "event":
            histories[d["pk"]].append(d["type"])
    return {
        "cases": sorted(histories.values()),
        "items": Counter(d.get("entity") or d["pk"].split("#")[0] for d in docs),
        "owed": sum("gsi_outbox_pk" in d for d in docs),
        "figures": {f"{d['pk']}/{d['sk']}": dumps(d) for d in docs if d["pk"].startswith("KPI#")},
        "reports": sorted((d["pk"], d["sk"], d.get("status")) for d in docs if d["pk"].startswith("REPORT#")),
        "audits": sorted(anonymous(d["pk"]) for d in docs if d["pk"].startswith(("AUDIT#", "DRAW#"))),
        **messages(),
    }
