"""No personal data in any Open311 output: a request filed with a known name, phone and e-mail,
then every answer of every resource in both formats (errors too) searched for them."""

from __future__ import annotations

import html
import json

from tests.conftest import Api, act, ok
from tests.integration.open311.conform import (
    CREATED,
    EMAIL,
    FILED,
    FORMATS,
    LATER,
    NAME,
    PERSONAL,
    Open311,
    filing,
    read,
)


def readable(body: str) -> str:
    """The body with its escapes undone (JSON's ``\\u0e2a``, XML's ``&#3626;``), as a reader sees it."""
    try:
        return json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        return html.unescape(body)


def test_no_name_phone_or_email_in_any_answer(geo: Open311, key: str) -> None:
    bodies: dict[str, str] = {}

    def keep(label: str, answer) -> None:
        bodies[label] = readable(answer.body)

    ids = []
    for fmt in FORMATS:
        answer = geo.post(filing(key), fmt, when=FILED)
        keep(f"POST requests.{fmt}", answer)
        [created] = read(answer, fmt, CREATED)
        ids.append((created["service_request_id"], created.get("token") or created["service_request_id"]))
        # an error answer must not echo the form back either
        keep(f"POST requests.{fmt} (400)", geo.post(filing(key, service_code="nope"), fmt, when=FILED))
        keep(f"POST requests.{fmt} (403)", geo.post(filing("bad-key"), fmt, when=FILED))
    referral = geo.post(filing(key, service_code="water_main"), "json", when=FILED)
    keep("POST requests.json (referral)", referral)
    # a citizen who types the contact details into the description too
    typed = filing(key, description=f"หลุมใหญ่มาก โทร 081-234-5678 คุณ{NAME[0]} หรือ {EMAIL}")
    [created] = read(geo.post(typed, "xml", when=FILED), "xml", CREATED)
    ids.append((created["service_request_id"], created["service_request_id"]))
    ok(act(Api(), ids[0][0], "complete", LATER, {"note": "ซ่อมแล้ว", "evidence_urls": ["https://photos.example/f.jpg"]}))

    for fmt in FORMATS:
        for resource in ("discovery", "services", "services/road", "requests"):
            keep(f"GET {resource}.{fmt}", geo.get(resource, fmt, when=LATER))
        keep(
            f"GET requests.{fmt}?service_request_id",
            geo.get("requests", fmt, query={"service_request_id": ",".join(i for i, _ in ids)}, when=LATER),
        )
        for request_id, token in ids:
            keep(f"GET requests/{request_id}.{fmt}", geo.get(f"requests/{request_id}", fmt, when=LATER))
            keep(f"GET tokens/{token}.{fmt}", geo.get(f"tokens/{token}", fmt, when=LATER))

    assert all(b for b in bodies.values()), [k for k, b in bodies.items() if not b]
    leaks = {label: [p for p in PERSONAL if p.casefold() in body.casefold()] for label, body in bodies.items()}
    assert {label: found for label, found in leaks.items() if found} == {}
