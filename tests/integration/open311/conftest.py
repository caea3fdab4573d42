"""Fixtures of the Open311 tests: the Open311 function beside the JSON API (one moto account), an
API key issued by an admin, and readers of both formats."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conftest import Answer, Api, at

WHEN = "2026-04-10T09:12:00+07:00"  # a Friday
BASE = "/open311/v2"


class Open311(Api):
    """The Open311 function, called as API Gateway would."""

    def __init__(self) -> None:
        super().__init__("Open311Function")

    def get(self, document: str, when: str = WHEN, **query: str) -> Answer:
        return self.call("GET", f"{BASE}/{document}", query=urlencode(query), when=when)

    def post(self, fields: dict[str, str], fmt: str = "json", when: str = WHEN, query: str = "") -> Answer:
        return self.call(
            "POST",
            f"{BASE}/requests.{fmt}",
            raw=urlencode(fields),
            query=query,
            when=when,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


@pytest.fixture
def open311(api: Api) -> Open311:
    return Open311()


@pytest.fixture
def api_key(open311: Open311) -> str:
    """A key an admin issued (through the use case: the route is the API keys' own)."""
    from complaints import wiring
    from complaints.commands import IssueApiKey
    from complaints.domain.model import Actor, Role

    admin = Actor(role=Role.ADMIN, id="admin-1")
    return wiring.usecases().api_keys.issue(IssueApiKey(actor=admin, at=at(WHEN), name="FixMyStreet Bangkok")).key


def xml(answer: Answer) -> ET.Element:
    assert answer.headers["Content-Type"].startswith("text/xml"), answer.headers
    return ET.fromstring(answer.body.encode("utf-8"))  # noqa: S314 - our own answer, in a test


def as_dicts(root: ET.Element) -> list[dict[str, Any]]:
    """``<service_requests><request><a>1</a>…`` → ``[{"a": "1"}, …]`` (flat items; empty → None)."""
    return [{child.tag: child.text for child in item} for item in root]


def form(**fields: str) -> dict[str, str]:
    """A filing of the SPEC's example pothole in Watthana, with the filer's name, phone and e-mail."""
    base = {
        "service_code": "road",
        "lat": "13.7563",
        "long": "100.5018",
        "address_string": "ซอยสุขุมวิท 31 เขตวัฒนา",
        "description": "ถนนเป็นหลุมลึกหน้าปากซอย อันตรายมาก",
        "first_name": "สมชาย",
        "last_name": "ใจดี",
        "phone": "0898765432",
        "email": "somchai@example.com",
        "media_url": "https://photos.example/1.jpg",
        "attribute[district]": "1039",
    }
    return {k: v for k, v in (base | fields).items() if v is not None}
