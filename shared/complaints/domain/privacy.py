"""The complainant's personal data (Thailand's PDPA, ``docs/privacy.md``). Pure.

- who may see the complainant's contact details (:data:`CONTACT_ROLES`);
- erasure, on an admin's request or when the retention period ends (:func:`anonymise`): the
  name, phone, e-mail, the wish to be told and the tracking token go; the case stays, anonymous,
  and its history records who erased, when and why (never what);
- the per-recipient daily limit of citizen notices (:func:`recipient_key`, :data:`NOTIFIED_CASES_PER_DAY`);
- the call centre's search by the caller's phone (:func:`phone_search_key`): the index holds a keyed
  hash of the number, never the number.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime, timedelta

from .changes import Builder, Change
from .errors import Forbidden, InvalidInput
from .events import Anonymised, EventType
from .model import Actor, Case, Complainant, Role, citizen_channel

#: Staff who see the complainant's contact details: the call centre calls citizens back and
#: reopens on their behalf; admins answer access and erasure requests. Agency officers, auditors
#: and executives see the anonymous case; every list shows no contact details to anyone.
CONTACT_ROLES = frozenset({Role.CALLCENTER, Role.ADMIN})
#: Who may erase: an admin on request, the daily job at the end of the retention period.
ERASERS = frozenset({Role.ADMIN, Role.SYSTEM})
#: An anonymous filer may have citizen notices sent for this many cases a local day to one
#: phone number or e-mail address; further cases that day are filed without notices.
NOTIFIED_CASES_PER_DAY = 5
REQUEST = "request"
RETENTION = "retention"


def personal_fields(case: Case) -> list[str]:
    """The names of the fields that still hold the complainant's data (empty: anonymous)."""
    fields = [name for name in ("name", "phone", "email") if getattr(case.complainant, name)]
    if case.notify:
        fields.append("notify")
    if case.token_hash:
        fields.append("tracking_token")
    return fields


def anonymise(case: Case, by: Actor, at: datetime, reason: str, basis: str = REQUEST) -> Change | None:
    """Erase the complainant's data from the case; None when there is nothing left to erase.

    The state, deadlines, agency and history stay as they are (the reports count the same);
    the event's note is the reason (internal: the citizen's view shows no staff notes).
    """
    if by.role not in ERASERS:
        raise Forbidden(f"the role '{by.role}' may not erase a complainant's data")
    if not reason.strip():
        raise InvalidInput("a reason is required to erase a complainant's data")
    fields = personal_fields(case)
    if not fields:
        return None
    erased = {"complainant": Complainant(), "notify": False, "token_hash": "", "anonymised_at": at}
    return (
        Builder(case)
        .add(EventType.ANONYMISED, Anonymised(basis=basis, fields=fields), at, by, reason, **erased)
        .change()
    )


def anonymous(case: Case) -> Case:
    """The case as those who may not see the complainant see it."""
    return case.model_copy(update={"complainant": Complainant()})


def retention_cutoff(today: date, retention_days: int) -> date:
    """Cases closed on this local day or before have been kept long enough."""
    return today - timedelta(days=retention_days)


def recipient_key(secret: bytes, complainant: Complainant) -> str | None:
    """A keyed hash of where the citizen's notices would go (the phone for an SMS, else the e-mail),
    so that the limit's counter never holds the number or the address; None: no notices at all."""
    channel = citizen_channel(complainant)
    if channel is None:
        return None
    address = complainant.phone if channel == "sms" else (complainant.email or "").strip().lower()
    digest = hmac.new(secret, f"recipient:{channel}:{address}".encode(), hashlib.sha256).hexdigest()
    return f"{channel}:{digest[:32]}"


def phone_search_key(secret: bytes, phone: str) -> str:
    """A keyed hash (HMAC-SHA256, 128 bits, hex) of an E.164 phone number, under which the call
    centre finds a caller's cases. Its own purpose prefix: it cannot be joined with the notice
    limit's :func:`recipient_key` of the same number."""
    return hmac.new(secret, f"phone-search:{phone}".encode(), hashlib.sha256).hexdigest()[:32]
