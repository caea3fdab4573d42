"""What a request's body must be before anything parses it (SPEC §4, hostile input).

The HTTP functions call :func:`body_refusal` on the API Gateway event first,
before routing and the role check: a body over 256 KB is 413, one that is not
UTF-8 is 400, one of a media type the function does not read is 415, and JSON
nested deeper than 32 levels is 400. Each answer says what to fix; nothing is
parsed, stored or logged.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_BODY_BYTES = 256 * 1024
MAX_JSON_DEPTH = 32
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"

_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str


def header(event: Mapping[str, Any], name: str) -> str:
    headers = event.get("headers") or {}
    return next((str(v) for k, v in headers.items() if k.lower() == name.lower()), "")


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in ``text`` (strings ignored), counted up to one past the limit."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            break
    return deepest


def _raw(event: Mapping[str, Any]) -> bytes | Refusal:
    body = event["body"]
    if event.get("isBase64Encoded"):
        if len(body) > MAX_BODY_BYTES * 4 // 3 + 4:
            return _too_large()
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return Refusal(400, "bad_encoding", "the body is marked base64 but is not")
    try:
        return str(body).encode("utf-8")
    except UnicodeEncodeError:
        return _not_utf8()


def _too_large() -> Refusal:
    return Refusal(413, "too_large", f"the body is over the limit of {MAX_BODY_BYTES // 1024} KB")


def _not_utf8() -> Refusal:
    return Refusal(400, "bad_encoding", "the body is not UTF-8 text: send it encoded as UTF-8")


def _url_refusal(event: Mapping[str, Any]) -> Refusal | None:
    """A path or query that is not text (a lone surrogate, which no URL can carry)."""
    parts = [str(event.get("path") or "")]
    parts += [str(v) for v in (event.get("queryStringParameters") or {}).values()]
    parts += [str(v) for v in (event.get("pathParameters") or {}).values()]
    try:
        "".join(parts).encode("utf-8")
    except UnicodeEncodeError:
        return Refusal(400, "bad_encoding", "the URL is not UTF-8 text")
    return None


def body_refusal(event: Mapping[str, Any], media_type: str) -> Refusal | None:
    """Why the request's URL or body cannot be read, its body as ``media_type`` (``JSON`` or
    ``FORM``); None when it can."""
    if url := _url_refusal(event):
        return url
    if not event.get("body"):
        return None
    raw = _raw(event)
    if isinstance(raw, Refusal):
        return raw
    if len(raw) > MAX_BODY_BYTES:
        return _too_large()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _not_utf8()
    sent = header(event, "Content-Type").split(";")[0].strip().lower()
    if sent and sent != media_type:
        return Refusal(415, "unsupported_media_type", f"send the body as {media_type}, not {sent[:100]}")
    if media_type == JSON and json_depth(text) > MAX_JSON_DEPTH:
        return Refusal(400, "too_deep", f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels")
    return None
