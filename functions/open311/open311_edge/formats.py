"""GeoReport v2's two formats, named by the document's extension (``services.json``,
``services.xml``), and its error list (``[{"code", "description"}]``, ``<errors><error>…``).

JSON is UTF-8 as it is (Thai text, not ``\\u`` escapes). XML is built with the standard library's
``xml.etree`` (it escapes the text): a list becomes its root element with one child per item,
named as the specification names them (``<services><service>…``, ``<service_requests><request>…``);
``None`` is an empty element, a boolean ``true``/``false``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from aws_lambda_powertools.event_handler import Response

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
#: The element of one item of each list, as the specification's XML names it.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


class Open311Error(Exception):
    """An error the specification's error list answers: ``status`` is also each error's ``code``."""

    def __init__(self, status: int, description: str, headers: dict[str, str] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.headers = headers or {}


def split(document: str) -> tuple[str, str]:
    """``services.json`` → (``services``, ``json``); :class:`Open311Error` 400 for another format
    (404 with no extension at all: no such document)."""
    name, dot, fmt = document.rpartition(".")
    if not dot or not name:
        raise Open311Error(404, f"no such document '{document[:100]}': add the format, .json or .xml")
    if fmt not in FORMATS:
        raise Open311Error(400, f"the format '.{fmt[:20]}' is not served: ask for .json or .xml")
    return name, fmt


def format_of(path: str) -> str:
    """The format an answer to ``path`` is in, errors included: ``xml`` for ``….xml``, else ``json``."""
    return "xml" if path.rstrip("/").endswith(".xml") else "json"


def render(fmt: str, root: str, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """``data`` (a list or an object) as the answer in ``fmt``; ``root``: its XML element."""
    if fmt == "xml":
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(_element(root, data), encoding="unicode")
    else:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(status_code=status, content_type=FORMATS[fmt], body=body, headers=headers)


def errors(fmt: str, error: Open311Error) -> Response:
    """The specification's error list with the one error."""
    return render(
        fmt, "errors", [{"code": error.status, "description": error.description}], error.status, error.headers
    )


def _element(tag: str, value: Any) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list | tuple):
        for item in value:
            element.append(_element(ITEMS[tag], item))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element
