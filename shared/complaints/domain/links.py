"""Signed links: the agency action link (``/a/{token}``) and the citizen's tracking link
(``/track/{id}?token=``, and its short form for SMS, ``/t/{id}/{token}``).

Pure: HMAC-SHA256 with a secret the caller passes in (the adapters read it from
Secrets Manager). Nothing is stored for a link; it carries what it grants.

Agency link token: ``<case>.<agency>.<dispatch seq>.<expiry epoch>.<signature>``.
It names one case and one agency and the dispatch it was issued for, so it
stops working when the case is routed elsewhere (or routed again), and it
expires 30 days after it was issued.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import DomainError, InvalidInput
from .model import Case

AGENCY_LINK_DAYS = 30
_SIG_BYTES = 16  # 128-bit signatures keep links short enough for an SMS


class LinkRefused(DomainError):
    """The link is tampered with, expired or superseded: 403, and nothing changes."""

    code = "link_refused"
    status = 403

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason  # tampered | expired | superseded


@dataclass(frozen=True)
class AgencyGrant:
    case_id: str
    agency_id: str
    dispatch_seq: int
    expires: datetime


def _sign(secret: bytes, message: str) -> str:
    digest = hmac.new(secret, message.encode(), hashlib.sha256).digest()[:_SIG_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def agency_token(secret: bytes, case_id: str, agency_id: str, dispatch_seq: int, issued_at: datetime) -> str:
    """A link for one case, agency and dispatch, valid for 30 days from ``issued_at``."""
    expires = int((issued_at + timedelta(days=AGENCY_LINK_DAYS)).timestamp())
    body = f"{case_id}.{agency_id}.{dispatch_seq}.{expires}"
    return f"{body}.{_sign(secret, 'agency:' + body)}"


def _same(given: str, expected: str) -> bool:
    """A constant-time comparison that any text can take part in (non-ASCII simply differs)."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())


def read_agency_token(secret: bytes, token: str, now: datetime) -> AgencyGrant:
    """What a link grants, or :class:`LinkRefused` when it is tampered with or expired."""
    try:
        case_id, agency_id, seq, expires, signature = token.split(".")
        grant = AgencyGrant(case_id, agency_id, int(seq), datetime.fromtimestamp(int(expires), now.tzinfo))
    except (ValueError, OverflowError, OSError):  # OverflowError, OSError: an expiry no clock can show
        raise LinkRefused("tampered", "this link is not valid") from None
    if not _same(signature, _sign(secret, "agency:" + token.rsplit(".", 1)[0])):
        raise LinkRefused("tampered", "this link is not valid")
    if now > grant.expires:
        raise LinkRefused("expired", "this link has expired")
    return grant


def check_current(grant: AgencyGrant, case: Case) -> None:
    """The link must be for the dispatch the case is in now."""
    if case.agency is None or case.agency.id != grant.agency_id or case.dispatch_seq != grant.dispatch_seq:
        raise LinkRefused("superseded", "this case has been sent elsewhere since this link was issued")


def citizen_token(secret: bytes, case_id: str) -> str:
    """The tracking link's token for notices: the citizen's own token is stored only as a hash,
    so the link in an SMS or e-mail carries a signature of the case id instead."""
    return _sign(secret, "track:" + case_id)


def citizen_token_matches(secret: bytes, case_id: str, token: str | None) -> bool:
    return bool(token) and _same(token, citizen_token(secret, case_id))


class BadCursor(InvalidInput):
    """A list cursor this caller was not given for this list (edited, another caller's, other filters)."""

    code = "bad_cursor"
    status = 400


def sign_cursor(secret: bytes, binding: str, cursor: str) -> str:
    """A list's cursor, signed and bound to ``binding`` (who lists, and with which filters)."""
    return f"{cursor}.{_sign(secret, f'cursor:{binding}:{cursor}')}"


def read_cursor(secret: bytes, binding: str, signed: str) -> str:
    """The cursor ``sign_cursor`` signed for ``binding``, or :class:`BadCursor`."""
    cursor, _, signature = signed.rpartition(".")
    if not cursor or not _same(signature, _sign(secret, f"cursor:{binding}:{cursor}")):
        raise BadCursor("this cursor was not given for this list and caller; start again without it")
    return cursor


class LinkSigner:
    """Signs and reads the links the centre sends, with the key ``secret()`` returns (read when
    needed: the adapters cache it from Secrets Manager), the public base URL, and the base of
    the short tracking links (a short domain keeps an SMS short; empty: the public base URL)."""

    def __init__(self, secret: Callable[[], bytes], base_url: str, short_base_url: str = ""):
        self.secret = secret
        self.base_url = base_url.rstrip("/")
        self.short_base_url = (short_base_url or base_url).rstrip("/")

    def track_url(self, case_id: str) -> str:
        return f"{self.base_url}/track/{case_id}?token={citizen_token(self.secret(), case_id)}"

    def short_track_url(self, case_id: str) -> str:
        """The tracking link of an SMS: ``/t/{id}/{token}`` redirects to the tracking page."""
        return f"{self.short_base_url}/t/{case_id}/{citizen_token(self.secret(), case_id)}"

    def agency_url(self, case_id: str, agency_id: str, dispatch_seq: int, now: datetime) -> str:
        return f"{self.base_url}/a/{agency_token(self.secret(), case_id, agency_id, dispatch_seq, now)}"

    def read_agency(self, token: str, now: datetime) -> AgencyGrant:
        return read_agency_token(self.secret(), token, now)

    def citizen_matches(self, case_id: str, token: str | None) -> bool:
        return citizen_token_matches(self.secret(), case_id, token)

    def sign_cursor(self, binding: str, cursor: str | None) -> str | None:
        return sign_cursor(self.secret(), binding, cursor) if cursor else None

    def read_cursor(self, binding: str, signed: str | None) -> str | None:
        return read_cursor(self.secret(), binding, signed) if signed else None
