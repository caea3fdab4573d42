"""Open311 GeoReport v2's discovery, services and service definitions, in JSON and in XML, from the
catalogue in force; the jurisdiction and the format of the path."""

import pytest

from tests.conftest import ADMIN
from tests.integration.open311.conftest import as_dicts, xml

pytestmark = pytest.mark.integration


def test_discovery_names_the_endpoint_and_its_two_formats(open311):
    doc = open311.get("discovery.json").json
    (endpoint,) = doc["endpoints"]
    assert endpoint["url"] == "http://127.0.0.1:3000/open311/v2"  # the local stack's PublicBaseUrl
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["application/json", "text/xml"]
    assert "1555" in doc["contact"] and "api_key" in doc["key_service"]

    root = xml(open311.get("discovery.xml"))
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/url") == endpoint["url"]
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == endpoint["formats"]


def test_services_are_the_categories_in_both_formats(open311):
    services = open311.get("services.json").json
    by_code = {s["service_code"]: s for s in services}
    assert len(by_code) == 31
    assert by_code["road"] == {
        "service_code": "road",
        "service_name": "ถนน · Road surface",
        "description": by_code["road"]["description"],
        "metadata": True,  # routed by district: the definition asks for it
        "type": "realtime",
        "keywords": "ถนน,Road surface",
        "group": "district",
    }
    assert (by_code["flooding"]["group"], by_code["flooding"]["metadata"]) == ("department", False)
    assert (by_code["water_main"]["group"], by_code["inquiry"]["group"]) == ("external", "triage")
    assert "1125" in by_code["water_main"]["description"]  # urgent referrals say whom to call

    root = xml(open311.get("services.xml"))
    assert root.tag == "services" and {s.tag for s in root} == {"service"}
    assert as_dicts(root)[0] == {k: str(v).lower() if isinstance(v, bool) else v for k, v in services[0].items()}


def test_a_district_routed_service_asks_for_one_of_the_50_districts(open311):
    definition = open311.get("services/road.json").json
    (attribute,) = definition["attributes"]
    assert definition["service_code"] == "road"
    assert {k: attribute[k] for k in ("variable", "code", "datatype", "required", "order")} == {
        "variable": True,
        "code": "district",
        "datatype": "singlevaluelist",
        "required": True,
        "order": 1,
    }
    values = {v["key"]: v["name"] for v in attribute["values"]}
    assert len(values) == 50 and values["1039"] == "วัฒนา · Watthana"

    root = xml(open311.get("services/road.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "road"
    keys = [v.findtext("key") for v in root.findall("attributes/attribute/values/value")]
    assert keys == list(values)
    assert root.findtext("attributes/attribute/required") == "true"


def test_other_services_have_no_attributes(open311):
    assert open311.get("services/flooding.json").json == {"service_code": "flooding", "attributes": []}
    root = xml(open311.get("services/water_main.xml"))
    assert root.findtext("service_code") == "water_main" and list(root.find("attributes")) == []


def test_an_admins_new_category_is_a_service_at_once(api, open311):
    body = {"code": "graffiti", "name_th": "พ่นสี", "name_en": "Graffiti", "unit": "district:cleansing_parks"}
    assert api.call("POST", "/categories", body=body, claims=ADMIN).status == 201
    codes = [s["service_code"] for s in open311.get("services.json").json]
    assert "graffiti" in codes
    assert open311.get("services/graffiti.json").json["attributes"][0]["code"] == "district"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_jurisdiction_is_optional_and_only_ours_is_served(open311, fmt):
    assert open311.get(f"services.{fmt}", jurisdiction_id="bangkok.go.th").status == 200
    other = open311.get(f"services.{fmt}", jurisdiction_id="sf.gov")
    assert other.status == 404
    if fmt == "json":
        assert other.json == [{"code": 404, "description": other.json[0]["description"]}]
        assert "bangkok.go.th" in other.json[0]["description"]
    else:
        assert xml(other).tag == "errors" and xml(other).findtext("error/code") == "404"


@pytest.mark.parametrize(
    ("document", "status"),
    [
        ("services.csv", 400),  # a format not served
        ("services", 404),  # no format: no such document
        ("nothing.json", 404),
        ("services/nothing.xml", 404),
        ("requests/not-an-id.json", 404),
        ("tokens/2604-AAAAAA.xml", 404),
    ],
)
def test_what_is_not_served_is_the_specifications_error_list(open311, document, status):
    answer = open311.get(document)
    assert answer.status == status
    if document.endswith(".xml"):
        root = xml(answer)
        assert root.tag == "errors" and [e.tag for e in root] == ["error"]
        assert root.findtext("error/code") == str(status) and root.findtext("error/description")
    else:
        assert answer.headers["Content-Type"].startswith("application/json")
        (error,) = answer.json
        assert set(error) == {"code", "description"} and error["code"] == status
