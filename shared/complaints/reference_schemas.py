"""Request bodies of the reference-data routes (admin): ``PATCH``/``POST /agencies`` and
``/categories``. pydantic checks the shape only (types, lengths, no unknown field: 422); what the
values must be (e-mails, ids, units, referral channels, new ids) is the domain's
(``domain.reference``: 400 ``invalid_reference``, nothing written)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import StrictBool

from .schemas import Body, line

Email = line(254)
Hotline = line(20)


class AgencyPatch(Body):
    """``PATCH /agencies/{agency_id}``: only the fields sent change (``null`` clears one)."""

    email: Email | None = None
    head_email: Email | None = None
    hotline: Hotline | None = None


class AgencyIn(Body):
    """``POST /agencies``: a new department (``DEPT-…``) or outside organisation (``EXT-…``)."""

    id: line(30, 1)
    kind: Literal["district", "department", "external"]
    name_th: line(200, 1)
    name_en: line(200, 1)
    email: Email
    head_email: Email | None = None
    hotline: Hotline | None = None


class CategoryPatch(Body):
    """``PATCH /categories/{code}``: only the fields sent change."""

    unit: line(100) | None = None
    urgent: StrictBool | None = None
    referral_channel: Literal["hotline", "letter"] | None = None


class CategoryIn(Body):
    """``POST /categories``."""

    code: line(40, 1)
    name_th: line(200, 1)
    name_en: line(200, 1)
    unit: line(100, 1)
    urgent: StrictBool = False
    referral_channel: Literal["hotline", "letter"] | None = None
    after_photo: StrictBool = False


def sent(body: Body) -> dict[str, Any]:
    """The fields the client sent (a PATCH changes those and no other)."""
    return {name: getattr(body, name) for name in body.model_fields_set}
