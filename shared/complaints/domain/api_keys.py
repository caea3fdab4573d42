"""API keys of machine clients (Open311 apps, docs/security.md): their form, their hash and
the per-key write window. Pure: no I/O, no clock (the random key comes from ``secrets``).

A key is ``<id>.<secret>``: ``id`` is 12 characters of lowercase Crockford base 32 (60 random
bits; it names the key in ``GET``/``DELETE /api-keys`` and on the cases filed with it), and
``secret`` is 32 random bytes, base64url without padding (43 characters, 256 bits). The key is
shown once, when it is issued; only ``SHA-256("api-key:<id>:<secret>")`` is stored. A fast,
unsalted hash is enough for a secret of 256 random bits (no dictionary or brute force can reach
it; a slow KDF protects low-entropy passwords, not this), and the id in the hashed text binds
the hash to its item. Hashes are compared with ``hmac.compare_digest`` (constant time).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .model import Actor

ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base 32, lowercase: no i, l, o, u
ID_CHARS = 12
SECRET_BYTES = 32
ID_PATTERN = rf"^[{ID_ALPHABET}]{{{ID_CHARS}}}$"
_KEY = re.compile(rf"^([{ID_ALPHABET}]{{{ID_CHARS}}})\.([A-Za-z0-9_-]{{43}})$")
NAME_MAX = 100
#: ``last_used_at`` is written at most once per key in this time (a read is not a write each time).
TOUCH_EVERY = timedelta(minutes=1)
#: The per-key write limit counts filings in fixed windows of one UTC minute.
WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class StoredKey:
    """What the table holds of a key: never the secret."""

    id: str
    name: str
    secret_hash: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    last_used_at: datetime | None = None


def new_key() -> tuple[str, str]:
    """A fresh ``(id, secret)``."""
    key_id = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_CHARS))
    secret = base64.urlsafe_b64encode(secrets.token_bytes(SECRET_BYTES)).rstrip(b"=").decode()
    return key_id, secret


def hash_secret(key_id: str, secret: str) -> str:
    return hashlib.sha256(f"api-key:{key_id}:{secret}".encode()).hexdigest()


def parse(presented: str | None) -> tuple[str, str] | None:
    """``(id, secret)`` of a well-formed key, else None (the length is bounded before any work)."""
    if not presented or len(presented) > 64:
        return None
    found = _KEY.match(presented)
    return (found.group(1), found.group(2)) if found else None


def matches(stored_hash: str, key_id: str, secret: str) -> bool:
    return hmac.compare_digest(hash_secret(key_id, secret), stored_hash)


def actor_name(actor: Actor) -> str:
    """Who issued or revoked a key, as the item records it: ``admin:<user id>``."""
    return f"{actor.role.value}:{actor.id}" if actor.id else actor.role.value


def window_start(at: datetime) -> datetime:
    """The UTC minute ``at`` falls in: the per-key write counter's window."""
    return at.astimezone(UTC).replace(second=0, microsecond=0)


def retry_after(at: datetime) -> int:
    """Whole seconds from ``at`` to the next window (at least 1)."""
    return max(1, math.ceil((window_start(at) + WINDOW - at).total_seconds()))
