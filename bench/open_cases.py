"""Open cases for the sweep benchmark, made with the domain and written straight into the table."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

LATE_FROM = datetime.fromisoformat("2026-04-01T08:00:00+07:00")  # ack due 2-7 April
ON_TIME_FROM = datetime.fromisoformat("2026-04-20T08:00:00+07:00")  # ack due 21 April, end of day
CATEGORIES = ["road", "lighting", "safety", "cleanliness", "noise", "flooding", "bridge", "traffic"]
DISTRICTS = ["1001", "1004", "1039", "1022", "1033"]
BATCH = 25


def _case_ids(n: int) -> list[str]:
    """``2604-XXXXXX``, random-looking, the same every run."""
    from complaints.domain.ids import ALPHABET, RANDOM_CHARS

    rng, ids, seen = random.Random(1555), [], set()
    while len(ids) < n:
        case_id = "2604-" + "".join(rng.choice(ALPHABET) for _ in range(RANDOM_CHARS))
        if case_id not in seen:
            seen.add(case_id)
            ids.append(case_id)
    return ids


def open_case_items(n: int, late: int) -> list[dict[str, Any]]:
    """The items of ``n`` open dispatched cases, the first ``late`` of them late on 21 April 2026."""
    from complaints.adapters.dynamo import codec as store
    from complaints.domain import lifecycle
    from complaints.domain.calendar import BusinessCalendar
    from complaints.domain.ids import hash_token
    from complaints.domain.model import Actor, Case, Complainant, Location, Role, State
    from complaints.reference import default_catalogue

    catalogue, calendar, citizen = default_catalogue(), BusinessCalendar(), Actor(role=Role.CITIZEN)
    items = []
    for i, case_id in enumerate(_case_ids(n)):
        at = (
            LATE_FROM + timedelta(minutes=(i * 20) % (3 * 24 * 60))
            if i < late
            else ON_TIME_FROM + timedelta(seconds=(i * 2) % (12 * 3600))
        )
        category, district = CATEGORIES[i % len(CATEGORIES)], DISTRICTS[i % len(DISTRICTS)]
        draft = Case(
            id=case_id,
            state=State.TRIAGE,
            category=category,
            description=f"bench case {i}: ไฟดับทั้งซอย",
            location=Location(lat=13.70 + (i % 100) / 1000, lon=100.50, address=f"ซอย {i % 97}"),
            district=district,
            channel="phone",
            received_at=at,
            notify=False,
            complainant=Complainant(name="สมชาย ใจดี", phone="+66812345678"),
            token_hash=hash_token(case_id),
        )
        change = lifecycle.receive(draft, catalogue.route(category, district), calendar, citizen)
        items.append(store.case_item(change.case))
        for event in change.events:
            item = store.event_item(case_id, event)
            item.pop("gsi_outbox_pk", None)  # its notices were sent at filing: nothing owed
            item.pop("gsi_outbox_sk", None)
            if event.notices:
                item["sent"] = {
                    "M": {
                        notice: {"M": {"outcome": {"S": "sent"}, "at": {"S": store.sortable(at)}}}
                        for notice in event.notices
                    }
                }
            items.append(item)
    return items


def load(client: Any, table_name: str, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), BATCH):
        batch = [{"PutRequest": {"Item": item}} for item in items[start : start + BATCH]]
        unprocessed = client.batch_write_item(RequestItems={table_name: batch}).get("UnprocessedItems")
        if unprocessed:
            raise RuntimeError(f"moto left {len(unprocessed[table_name])} items unprocessed")
