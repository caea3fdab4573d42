"""GeoReport v2's error lists (``[{"code", "description"}]``, ``<errors><error>…``) for 400, 403
and 404 in both formats; API keys: missing, unknown, malformed, revoked; nothing filed on a refusal."""

from __future__ import annotations

import re

import pytest

from tests.integration.open311.conform import (
    FORMATS,
    LATER,
    Open311,
    errors,
    filed_id,
    filing,
    issue_key,
    read,
    revoke_key,
    without,
)


def listed(geo: Open311) -> list[str]:
    return [r["service_request_id"] for r in read(geo.get("requests", "json", when=LATER), "json")]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("change", "mentions"),
    [
        ({"service_code": "no-such-service"}, ("no-such-service",)),
        ({"drop": "lat long address_string"}, ("address_string", "lat")),
        ({"drop": "service_code"}, ("service_code",)),
        ({"lat": "51.5", "long": "-0.12"}, ("Bangkok", "lat")),
        ({"attribute[district]": "9999"}, ("district", "9999")),
        ({"media_url": "not a url"}, ("media_url",)),
    ],
    ids=["unknown service", "no location", "no service", "outside Bangkok", "unknown district", "bad media_url"],
)
def test_bad_input_is_400_with_an_error_list(
    geo: Open311, key: str, fmt: str, change: dict[str, str], mentions: tuple[str, ...]
) -> None:
    change = dict(change)
    form = without(filing(key, **{k: v for k, v in change.items() if k != "drop"}), *change.get("drop", "").split())
    [error] = errors(geo.post(form, fmt), fmt, 400)
    assert any(word in error["description"] for word in mentions), error
    assert listed(geo) == [], "nothing was filed"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "presented",
    [None, "", "not-a-key", "0123456789ab.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ids=["missing", "empty", "malformed", "unknown"],
)
def test_a_post_without_a_valid_key_is_403(geo: Open311, fmt: str, presented: str | None) -> None:
    issue_key()  # a key exists; the request does not carry it
    form = filing(presented or "")
    if presented is None:
        form = without(form, "api_key")
    [error] = errors(geo.post(form, fmt), fmt, 403)
    assert re.search(r"(?i)api[ _]key", error["description"]), error
    assert listed(geo) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_revoked_key_is_refused_at_once(geo: Open311, fmt: str) -> None:
    key_id, key = issue_key("SeeClickFix")
    _, other = issue_key("FixMyStreet")
    first = filed_id(geo, filing(key), fmt=fmt)

    assert revoke_key(key_id).status in (200, 204)
    errors(geo.post(filing(key), fmt), fmt, 403)
    assert listed(geo) == [first], "nothing more was filed with it"
    assert filed_id(geo, filing(other), fmt=fmt), "the other key still works"


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_request_is_404(geo: Open311, fmt: str) -> None:
    [error] = errors(geo.get("requests/C-NO-SUCH-CASE", fmt), fmt, 404)
    assert "C-NO-SUCH-CASE" in error["description"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-04-10T00:00:00+07:00"},
        {"start_date": "yesterday"},
        {"end_date": "2026-01-01T00:00:00+07:00", "start_date": "2026-02-01T00:00:00+07:00"},
        {"status": "pending"},
    ],
    ids=["over 90 days", "not a date", "end before start", "unknown status"],
)
def test_a_bad_query_is_400(geo: Open311, fmt: str, query: dict[str, str]) -> None:
    errors(geo.get("requests", fmt, query=query), fmt, 400)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_for_another_jurisdiction_is_404_and_files_nothing(geo: Open311, key: str, fmt: str) -> None:
    errors(geo.post(filing(key, jurisdiction_id="springfield.gov"), fmt), fmt, 404)
    assert listed(geo) == []
