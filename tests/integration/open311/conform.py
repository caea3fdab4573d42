"""What the Open311 conformance tests check an answer with: the published GeoReport v2 schemas
(``schemas/``, see its README), the XML answer turned into the JSON structure by the
specification's element names, and a small client of ``/open311/v2/`` over ``tests.conftest.Api``.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from local import infra
from local.events import match
from tests.conftest import ADMIN, Answer, Api

SCHEMAS = Path(__file__).parent / "schemas"
BASE = "/open311/v2"
FORMATS = ("json", "xml")
CREATED = (200, 201)  # the specification's POST answers 200; 201 Created says the same
JSON_TYPE = "application/json"
XML_TYPE = "text/xml"
XML_DECLARATION = re.compile(r"""^<\?xml version=["']1\.0["'] encoding=["']utf-8["']\s*\?>""", re.IGNORECASE)

# --- the schemas ----------------------------------------------------------------------------------

_checker = FormatChecker()


@_checker.checks("uri")
def _is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _registry() -> Registry:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8")), DRAFT7))
        for path in SCHEMAS.glob("*.json")
    ]
    return Registry().with_resources(resources)


_REGISTRY = _registry()


def validate(schema: str, doc: Any) -> None:
    """Fail with every violation of ``schemas/<schema>.json`` (``request``, ``requests``, ``services``…)."""
    contents = json.loads((SCHEMAS / f"{schema}.json").read_text(encoding="utf-8"))
    validator = Draft7Validator(contents, registry=_REGISTRY, format_checker=_checker)
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(doc)]
    assert not problems, f"{schema}.json refuses the answer:\n" + "\n".join(problems[:20])


def w3c_instant(value: str) -> datetime:
    """A W3C date-time with its offset (``Z`` or ``±hh:mm``), as the specification requires."""
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value), value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- XML into the JSON structure ------------------------------------------------------------------

#: a list element → the name of its items
LISTS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
BOOLEANS = {"metadata", "variable", "required"}
NUMBERS = {"lat", "long"}


def from_xml(text: str) -> Any:
    """The JSON structure an XML answer stands for (``schemas/README.md``); fails on an element
    the specification does not place there (an unexpected item, a repeated field)."""
    assert XML_DECLARATION.match(text), f"no XML declaration with encoding UTF-8: {text[:80]!r}"
    return _convert(ET.fromstring(text.encode("utf-8")), parent="")  # noqa: S314 (our own answer, in a test)


def _convert(element: ET.Element, parent: str) -> Any:
    children = list(element)
    if element.tag in LISTS:
        item = LISTS[element.tag]
        strays = {c.tag for c in children if c.tag != item}
        assert not strays, f"<{element.tag}> holds {strays}, only <{item}>"
        return [_convert(c, element.tag) for c in children]
    if children:
        tags = [c.tag for c in children]
        repeated = {t for t in tags if tags.count(t) > 1}
        assert not repeated, f"<{element.tag}> repeats {repeated}"
        return {c.tag: _convert(c, element.tag) for c in children}
    return _scalar(element.tag, parent, element.text)


def _scalar(tag: str, parent: str, text: str | None) -> Any:
    if text is None or not text.strip():
        return None
    if tag in BOOLEANS and text in ("true", "false"):
        return text == "true"
    if tag in NUMBERS or (tag == "order" and parent == "attribute") or (tag == "code" and parent == "error"):
        try:
            number = float(text)
        except ValueError:
            return text  # the schema says what is wrong
        return int(number) if tag in ("order", "code") and number.is_integer() else number
    return text


def without_nulls(doc: Any) -> Any:
    """``doc`` without null fields: a JSON answer may leave out what XML shows as an empty element."""
    if isinstance(doc, dict):
        return {k: without_nulls(v) for k, v in doc.items() if v is not None}
    if isinstance(doc, list):
        return [without_nulls(v) for v in doc]
    return doc


# --- a client of /open311/v2 over the handlers ------------------------------------------------------


def function_serving(method: str, path: str) -> str:
    """The template's function whose route takes ``method path`` (as API Gateway would pick it)."""
    found = next((r.function for r in infra.routes() if r.method == method and match(r.path, path) is not None), None)
    assert found, f"template.yaml routes no {method} {path}"
    return found


class Open311:
    """GeoReport v2 over the handler: ``get("services", "xml")`` is ``GET /open311/v2/services.xml``."""

    def __init__(self) -> None:
        self.api = Api(function_serving("GET", f"{BASE}/discovery.json"))
        self.writer = Api(function_serving("POST", f"{BASE}/requests.json"))

    def get(self, resource: str, fmt: str = "json", query: dict[str, str] | None = None, when: str = "") -> Answer:
        extra = {"when": when} if when else {}
        return self.api.call("GET", f"{BASE}/{resource}.{fmt}", query=urlencode(query or {}), **extra)

    def post(self, fields: dict[str, str], fmt: str = "json", when: str = "", query: str = "") -> Answer:
        """A form-encoded POST of a service request, as the specification describes it."""
        extra = {"when": when} if when else {}
        return self.writer.call(
            "POST",
            f"{BASE}/requests.{fmt}",
            raw=urlencode(fields),
            query=query,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            **extra,
        )


def read(answer: Answer, fmt: str, status: int | tuple[int, ...] = 200) -> Any:
    """The answer's document in the JSON structure, once its status and content type are right."""
    wanted_status = status if isinstance(status, tuple) else (status,)
    assert answer.status in wanted_status, f"{answer.status} (wanted {status}): {answer.body[:500]}"
    content_type = {k.lower(): v for k, v in answer.headers.items()}.get("content-type", "")
    wanted = JSON_TYPE if fmt == "json" else XML_TYPE
    assert content_type.split(";")[0].strip().lower() == wanted, f"Content-Type {content_type!r}, wanted {wanted}"
    return json.loads(answer.body) if fmt == "json" else from_xml(answer.body)


def errors(answer: Answer, fmt: str, status: int) -> list[dict[str, Any]]:
    """The specification's error list of an answer of ``status``, validated; its codes are the status."""
    doc = read(answer, fmt, status)
    validate("errors", doc)
    assert {e["code"] for e in doc} == {status}, doc
    return doc


# --- API keys ---------------------------------------------------------------------------------------


def issue_key(name: str = "FixMyStreet Bangkok", when: str = "") -> tuple[str, str]:
    """An admin's new API key: ``(id, key)``."""
    admin = Api(function_serving("POST", "/api-keys"))
    extra = {"when": when} if when else {}
    answer = admin.call("POST", "/api-keys", body={"name": name}, claims=ADMIN, **extra)
    assert answer.status in (200, 201), answer.body
    doc = answer.json
    return doc["id"], doc.get("key") or doc["api_key"]


def revoke_key(key_id: str, when: str = "") -> Answer:
    admin = Api(function_serving("DELETE", f"/api-keys/{key_id}"))
    extra = {"when": when} if when else {}
    return admin.call("DELETE", f"/api-keys/{key_id}", claims=ADMIN, **extra)


# --- what the tests file ----------------------------------------------------------------------------

FILED = "2026-04-10T09:12:00+07:00"  # a Friday
LATER = "2026-04-10T10:30:00+07:00"
NAME = ("สมชาย", "ใจดี")
PHONE = "0812345678"
EMAIL = "somchai.jaidee@example.com"
#: every form of the complainant's details that must never come back
PERSONAL = (*NAME, "Somchai", PHONE, "+66812345678", "081-234-5678", "812345678", EMAIL, "somchai.jaidee")


def filing(api_key: str, **fields: str) -> dict[str, str]:
    """A pothole in Watthana (district 1039), with the complainant's details; ``fields`` override
    (``without`` drops some)."""
    form = {
        "api_key": api_key,
        "service_code": "road",
        "lat": "13.7563",
        "long": "100.5018",
        "address_string": "ซอยสุขุมวิท 31",
        "attribute[district]": "1039",
        "description": "ถนนเป็นหลุมลึกหน้าปากซอย อันตรายมาก",
        "media_url": "https://photos.example/pothole.jpg",
        "first_name": NAME[0],
        "last_name": NAME[1],
        "email": EMAIL,
        "phone": PHONE,
    }
    return form | fields


def without(form: dict[str, str], *names: str) -> dict[str, str]:
    return {k: v for k, v in form.items() if k not in names}


def filed_id(open311: Open311, form: dict[str, str], when: str = FILED, fmt: str = "json") -> str:
    """File ``form``; the new request's id."""
    doc = read(open311.post(form, fmt, when=when), fmt, CREATED)
    validate("post-response", doc)
    return doc[0]["service_request_id"]
