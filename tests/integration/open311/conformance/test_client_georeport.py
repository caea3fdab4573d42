"""An independently written Open311 client (PyPI ``georeport``) against the local stack over HTTP:
it lists the services and reads their definitions; a request is filed with a plain form POST (as
the specification describes; that client cannot POST) with an admin's key; the client reads it
back, open, and follows it to ``closed`` once the agency completes it through the JSON API.

The stack is ``python -m local run --no-seed`` (``tests/stack.py``): the empty stack of ``make
run`` with the staff headers of the local front (``X-Local-Role``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from georeport import GeoReport

from tests.integration.open311.conform import FORMATS, NAME, PERSONAL, filing, validate, without
from tests.stack import Server

ADMIN = {"X-Local-Role": "admin"}
OFFICER = {"X-Local-Role": "agency", "X-Local-Agency": "DIST-1039"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("open311-state"), "--no-seed")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def key(stack: Server) -> str:
    status, text, _ = stack.call("POST", "/api-keys", {"name": "georeport test"}, headers=ADMIN)
    assert status in (200, 201), text
    doc = json.loads(text)
    return doc.get("key") or doc["api_key"]


def form_post(stack: Server, fmt: str, fields: dict[str, str]) -> tuple[int, str]:
    """POST requests.{fmt}, form encoded, as the specification describes."""
    request = urllib.request.Request(  # noqa: S310 (the local stack)
        f"{stack.base}/open311/v2/requests.{fmt}",
        data=urlencode(fields).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def client(stack: Server, fmt: str) -> GeoReport:
    return GeoReport(f"{stack.base}/open311/v2/", output_format=fmt)


def as_list(found: Any) -> list[dict[str, Any]]:
    """georeport's XML reader gives one ``<request>`` as a dict, several as a list."""
    return found if isinstance(found, list) else [found]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_client_lists_the_services_and_reads_the_district_attribute(stack: Server, fmt: str) -> None:
    georeport = client(stack, fmt)
    services = georeport.get_service_list()
    codes = {s["service_code"] for s in services}
    assert {"road", "flooding", "water_main"} <= codes
    road = next(s for s in services if s["service_code"] == "road")
    assert str(road["metadata"]).lower() == "true"

    definition = georeport.get_service_definition("road")
    attributes = definition["attributes"]
    attribute = attributes["attribute"] if fmt == "xml" else attributes[0]
    attribute = as_list(attribute)[0]
    assert attribute["code"] == "district"
    values = attribute["values"]["value"] if fmt == "xml" else attribute["values"]
    assert len(values) == 50
    assert "Watthana" in next(v for v in values if v["key"] == "1039")["name"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_filed_by_form_is_followed_to_closed(stack: Server, key: str, fmt: str) -> None:
    status, text = form_post(stack, "json", filing(key))
    assert status in (200, 201), text
    created = json.loads(text)
    validate("post-response", created)
    request_id = created[0]["service_request_id"]

    georeport = client(stack, fmt)
    request = georeport.get_service_request(request_id)
    assert (request["service_request_id"], request["status"], request["service_code"]) == (request_id, "open", "road")
    assert "Watthana" in request["agency_responsible"]
    assert request_id in {r["service_request_id"] for r in as_list(georeport.get_service_requests(status="open"))}

    body = {"note": "ซ่อมเรียบร้อย", "evidence_urls": ["https://photos.example/fixed.jpg"]}
    status, text, _ = stack.call("POST", f"/complaints/{request_id}/complete", body, headers=OFFICER)
    assert status == 200, text

    request = georeport.get_service_request(request_id)
    assert request["status"] == "closed"
    assert "ซ่อมเรียบร้อย" in request["status_notes"]
    found = as_list(georeport.get_service_requests(service_request_id=request_id))
    assert [(r["service_request_id"], r["status"]) for r in found] == [(request_id, "closed")]
    assert request_id in {r["service_request_id"] for r in as_list(georeport.get_service_requests(status="closed"))}
    assert not any(p in json.dumps(found, ensure_ascii=False) for p in PERSONAL)


def test_an_xml_post_and_a_missing_location_answer_as_the_specification_says(stack: Server, key: str) -> None:
    status, text = form_post(stack, "xml", filing(key, service_code="water_main"))
    assert status in (200, 201), text
    assert "<service_requests>" in text and "1125" in text
    assert not any(p in text for p in NAME)

    status, text = form_post(stack, "xml", without(filing(key), "lat", "long", "address_string"))
    assert status == 400, text
    assert "<errors>" in text and "<code>400</code>" in text


def test_a_revoked_key_files_nothing_more(stack: Server) -> None:
    status, text, _ = stack.call("POST", "/api-keys", {"name": "to revoke"}, headers=ADMIN)
    assert status in (200, 201), text
    doc = json.loads(text)
    key = doc.get("key") or doc["api_key"]
    assert form_post(stack, "json", filing(key))[0] in (200, 201)

    status, text, _ = stack.call("DELETE", f"/api-keys/{doc['id']}", headers=ADMIN)
    assert status in (200, 204), text
    status, text = form_post(stack, "json", filing(key))
    assert status == 403, text
    assert json.loads(text)[0]["code"] == 403
