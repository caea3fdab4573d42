"""Case ids people can read over the phone, and unguessable tracking tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from .calendar import BANGKOK

#: Crockford's base 32 without I, L, O, U: no letter is confused with a digit on the phone.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_CHARS = 6  # 32^6 ≈ 1.07e9 per month; a rare collision is retried by the conditional create


def new_case_id(received_at: datetime) -> str:
    """``YYMM-XXXXXX``, e.g. ``2604-7KQ4XM``: the month of receipt and six random characters."""
    prefix = received_at.astimezone(BANGKOK).strftime("%y%m")
    return prefix + "-" + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))


def new_tracking_token() -> str:
    """192 random bits, URL-safe. Given to the citizen once; only its hash is stored."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str | None, token_hash: str) -> bool:
    return bool(token) and hmac.compare_digest(hash_token(token), token_hash)


class RandomIds:
    """Where new case ids and tracking tokens come from (tests may inject their own)."""

    def case_id(self, received_at: datetime) -> str:
        return new_case_id(received_at)

    def tracking_token(self) -> str:
        return new_tracking_token()
