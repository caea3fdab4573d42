"""GeoReport v2's read-only resources (discovery, services, a service's definition) in JSON and
XML, against the published schemas; both formats say the same; ``jurisdiction_id``."""

from __future__ import annotations

import csv

import pytest

from complaints.reference import default_catalogue
from local import infra
from tests.integration.open311.conform import (
    BASE,
    FORMATS,
    Open311,
    errors,
    function_serving,
    read,
    validate,
    w3c_instant,
    without_nulls,
)

DISTRICTS = {
    row["code"]: row
    for row in csv.DictReader(
        (infra.ROOT / "shared" / "complaints" / "data" / "districts.csv").open(encoding="utf-8"),
    )
}


def jurisdiction() -> str:
    """The configured ``jurisdiction_id`` (a template parameter, e.g. ``bangkok.go.th``)."""
    env = infra.function_environment(function_serving("GET", f"{BASE}/services.json"))
    found = [v for k, v in env.items() if "JURISDICTION" in k.upper()]
    assert len(found) == 1, f"no single jurisdiction variable in {sorted(env)}"
    return found[0]


def both(geo: Open311, resource: str, schema: str, **query: str) -> dict[str, object] | list[object]:
    """The resource in JSON and in XML, each valid against ``schema``; they must say the same."""
    docs = {}
    for fmt in FORMATS:
        docs[fmt] = read(geo.get(resource, fmt, query=query), fmt)
        validate(schema, docs[fmt])
    assert without_nulls(docs["xml"]) == without_nulls(docs["json"])
    return docs["json"]


def test_discovery_names_the_v2_endpoint_and_both_formats(geo: Open311) -> None:
    doc = both(geo, "discovery", "discovery")
    w3c_instant(doc["changeset"])
    [endpoint] = [e for e in doc["endpoints"] if "GeoReport_v2" in e["specification"]]
    assert endpoint["url"].rstrip("/").endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert endpoint["type"] == "production"


def test_one_service_per_category_realtime_with_its_unit_and_thai_and_english_keywords(geo: Open311) -> None:
    services = both(geo, "services", "services")
    catalogue = default_catalogue()
    assert {s["service_code"] for s in services} == set(catalogue.categories)
    assert len(services) == len(catalogue.categories)
    for service in services:
        category = catalogue.categories[service["service_code"]]
        assert service["type"] == "realtime"
        assert service["metadata"] is category.unit.startswith("district:"), service
        assert category.name_th in service["service_name"] or category.name_en in service["service_name"]
        assert category.name_th in service["keywords"] and category.name_en in service["keywords"], service
        assert service["group"], service


def test_a_district_service_requires_one_of_the_fifty_districts(geo: Open311) -> None:
    definition = both(geo, "services/road", "service-definition")
    assert definition["service_code"] == "road"
    [district] = [a for a in definition["attributes"] if a["code"] == "district"]
    assert district["datatype"] == "singlevaluelist"
    assert district["required"] is True
    assert district["variable"] is True
    assert len(DISTRICTS) == 50
    assert {v["key"] for v in district["values"]} == set(DISTRICTS)
    for value in district["values"]:
        row = DISTRICTS[value["key"]]
        assert row["name_th"] in value["name"] and row["name_en"] in value["name"], value


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_service_with_metadata_has_a_valid_definition(geo: Open311, fmt: str) -> None:
    services = read(geo.get("services", fmt), fmt)
    with_metadata = [s["service_code"] for s in services if s["metadata"]]
    assert with_metadata
    for code in with_metadata:
        definition = read(geo.get(f"services/{code}", fmt), fmt)
        validate("service-definition", definition)
        assert definition["service_code"] == code


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_is_an_error_list(geo: Open311, fmt: str) -> None:
    answer = geo.get("services/no-such-service", fmt)
    assert answer.status in (400, 404), answer.body
    [error] = errors(answer, fmt, answer.status)
    assert "no-such-service" in error["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_configured_jurisdiction_is_accepted_and_any_other_is_404(geo: Open311, fmt: str) -> None:
    ours = jurisdiction()
    for resource in ("discovery", "services", "services/road", "requests"):
        answer = geo.get(resource, fmt, query={"jurisdiction_id": ours})
        read(answer, fmt)
    for resource in ("services", "services/road", "requests", "requests/no-such-request"):
        answer = geo.get(resource, fmt, query={"jurisdiction_id": "springfield.gov"})
        errors(answer, fmt, 404)
