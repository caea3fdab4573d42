"""The checker of the conformance tests can fail: the specification's own examples pass it, and
each kind of mistake an implementation could make is refused (schemas, formats, XML shape)."""

from __future__ import annotations

import pytest

from tests.integration.open311.conform import from_xml, validate, without_nulls

REQUEST_XML = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
  <request>
    <service_request_id>638344</service_request_id>
    <status>closed</status>
    <status_notes>Duplicate request.</status_notes>
    <service_name>Sidewalk and Curb Issues</service_name>
    <service_code>006</service_code>
    <description></description>
    <agency_responsible></agency_responsible>
    <service_notice></service_notice>
    <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
    <updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
    <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime>
    <address>8TH AVE and JUDAH ST</address>
    <lat>37.762221815</lat>
    <long>-122.4651145</long>
    <media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg</media_url>
  </request>
</service_requests>"""

REQUEST_JSON = [
    {
        "service_request_id": "638344",
        "status": "closed",
        "status_notes": "Duplicate request.",
        "service_name": "Sidewalk and Curb Issues",
        "service_code": "006",
        "requested_datetime": "2010-04-14T06:37:38-08:00",
        "updated_datetime": "2010-04-14T06:37:38-08:00",
        "expected_datetime": "2010-04-15T06:37:38-08:00",
        "address": "8TH AVE and JUDAH ST",
        "lat": 37.762221815,
        "long": -122.4651145,
        "media_url": "http://city.gov.s3.amazonaws.com/requests/media/638344.jpg",
    }
]

DEFINITION_XML = """<?xml version="1.0" encoding="UTF-8"?>
<service_definition>
  <service_code>DMV66</service_code>
  <attributes>
    <attribute>
      <variable>true</variable>
      <code>WHISHETN</code>
      <datatype>singlevaluelist</datatype>
      <required>true</required>
      <datatype_description></datatype_description>
      <order>1</order>
      <description>What is the ticket/tag/DL number?</description>
      <values>
        <value><key>123</key><name>Ford</name></value>
        <value><key>124</key><name>Chrysler</name></value>
      </values>
    </attribute>
  </attributes>
</service_definition>"""

ERRORS_XML = """<?xml version="1.0" encoding="utf-8"?>
<errors><error><code>403</code><description>Invalid api_key received</description></error></errors>"""


def test_the_specifications_examples_pass_and_xml_says_what_json_says() -> None:
    validate("requests", REQUEST_JSON)
    assert without_nulls(from_xml(REQUEST_XML)) == REQUEST_JSON
    definition = from_xml(DEFINITION_XML)
    validate("service-definition", definition)
    assert definition["attributes"][0]["required"] is True and definition["attributes"][0]["order"] == 1
    assert [v["key"] for v in definition["attributes"][0]["values"]] == ["123", "124"]
    errors = from_xml(ERRORS_XML)
    validate("errors", errors)
    assert errors == [{"code": 403, "description": "Invalid api_key received"}]
    validate("post-response", [{"service_request_id": "293944", "service_notice": "The City will", "account_id": None}])
    validate("tokens", [{"service_request_id": "638344", "token": "12345"}])


@pytest.mark.parametrize(
    "change",
    [
        {"status": "pending"},
        {"status": None},
        {"requested_datetime": "2010-04-14 06:37:38"},
        {"requested_datetime": "2010-04-14T06:37:38"},  # no offset
        {"service_request_id": 638344},
        {"lat": "37.76"},
        {"media_url": "photo.jpg"},
    ],
)
def test_a_wrong_request_is_refused(change: dict[str, object]) -> None:
    with pytest.raises(AssertionError):
        validate("requests", [REQUEST_JSON[0] | change])


@pytest.mark.parametrize(
    ("schema", "doc"),
    [
        ("services", [{"service_code": "road", "service_name": "Road", "type": "realtime"}]),  # no metadata
        ("services", [{"service_code": "road", "service_name": "Road", "metadata": "true", "type": "realtime"}]),
        ("service-definition", {"service_code": "road", "attributes": [{"code": "district", "datatype": "list"}]}),
        ("errors", [{"code": "403", "description": "no key"}]),
        ("errors", {"code": 403, "description": "no key"}),
        ("post-response", {"service_request_id": "1"}),
        ("post-response", [{"service_request_id": None}]),
        ("post-response", [{"service_request_id": "1", "account_id": 7}]),
        ("discovery", {"changeset": "2026-04-10T09:00:00+07:00", "contact": "1555", "endpoints": []}),
    ],
)
def test_a_wrong_document_is_refused(schema: str, doc: object) -> None:
    with pytest.raises(AssertionError):
        validate(schema, doc)


@pytest.mark.parametrize(
    "text",
    [
        "<service_requests><request><status>open</status></request></service_requests>",  # no declaration
        '<?xml version="1.0" encoding="UTF-8"?><services><request/></services>',  # a stray item
        '<?xml version="1.0" encoding="UTF-8"?><request><status>open</status><status>x</status></request>',
    ],
)
def test_a_wrong_xml_shape_is_refused(text: str) -> None:
    with pytest.raises(AssertionError):
        from_xml(text)
