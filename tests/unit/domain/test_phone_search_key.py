"""The keyed hash under which the call centre finds a caller's cases."""

from __future__ import annotations

from complaints.domain.model import Complainant
from complaints.domain.privacy import phone_search_key, recipient_key

SECRET = b"test-link-secret"


def test_the_key_is_128_bits_of_hex_and_never_the_number():
    key = phone_search_key(SECRET, "+66812345678")
    assert len(key) == 32 and int(key, 16) >= 0
    assert "812345678" not in key


def test_the_same_number_gives_the_same_key_another_number_or_secret_another():
    key = phone_search_key(SECRET, "+66812345678")
    assert phone_search_key(SECRET, "+66812345678") == key
    assert phone_search_key(SECRET, "+66898765432") != key
    assert phone_search_key(b"another-secret", "+66812345678") != key


def test_it_cannot_be_joined_with_the_notice_limits_hash_of_the_same_number():
    notice = recipient_key(SECRET, Complainant(phone="+66812345678"))
    assert notice is not None
    assert phone_search_key(SECRET, "+66812345678") not in notice
