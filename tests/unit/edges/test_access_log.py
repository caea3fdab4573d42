"""The local stack's access log never shows a caller's phone number or a token."""

from __future__ import annotations

import pytest

from local.front import redact


@pytest.mark.parametrize(
    "query",
    ["phone=0812345678", "phone=%2B66812345678", "phone=+66812345678", "PHONE=081-234-5678"],
)
def test_the_phone_of_the_call_centres_search_is_redacted(query):
    line = f'127.0.0.1 - - "GET /complaints?limit=2&{query}&cursor=abc HTTP/1.1" 200 -'
    logged = redact(line)
    assert "812345678" not in logged and "234-5678" not in logged
    assert "limit=2&" in logged and "cursor=abc" in logged
    assert "=[redacted]&" in logged


def test_a_tracking_token_is_still_redacted():
    assert (
        redact("GET /complaints/2604-AAAAAA?token=s3cret HTTP/1.1")
        == "GET /complaints/2604-AAAAAA?token=[redacted] HTTP/1.1"
    )
