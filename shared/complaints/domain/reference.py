"""Reference data changed at run time (issue #12): the rules of an admin's edit, and the catalogue
in force as the bundled defaults merged with what the table stores. Pure: no I/O, no clock.

What is stored is only what differs from the bundled data: per agency or category, the fields an
admin changed (an added one: all its fields). A later release that fixes a bundled name keeps the
admin's e-mail; a field set back to its bundled value leaves the stored entry.

The rules (a broken edit is refused whole, before anything is written: :class:`InvalidReference`):

- an agency's ``email`` (required), ``head_email`` and ``hotline`` may change; a new agency is a
  department (``DEPT-…``) or an outside organisation (``EXT-…``): the 50 district offices are fixed;
- a category's ``unit``, ``urgent`` and ``referral_channel`` may change; its unit is
  ``district:<section>``, ``department:<a department>``, ``external:<an outside organisation>``
  or ``triage``; an external category has a referral channel (the others none), and a referral by
  hotline needs the organisation's hotline;
- ids are well formed, and a new one is new.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError

from .errors import BadRequest, NotFound
from .model import Actor, Agency, Category
from .routing import DISTRICT_SECTIONS, Catalogue

Kind = Literal["agency", "category"]
EDITABLE: dict[str, frozenset[str]] = {
    "agency": frozenset({"email", "head_email", "hotline"}),
    "category": frozenset({"unit", "urgent", "referral_channel"}),
}
AGENCY_ID = re.compile(r"(DEPT|EXT)-[A-Z0-9]{2,16}")
PREFIX = {"department": "DEPT-", "external": "EXT-"}
CATEGORY_CODE = re.compile(r"[a-z][a-z0-9_]{1,31}")
HOTLINE = re.compile(r"\+?[0-9][0-9-]{1,18}[0-9]")


class InvalidReference(BadRequest):
    """An edit of the reference data that breaks a rule: nothing is written."""

    code = "invalid_reference"


@dataclass(frozen=True)
class Stored:
    """What the table holds over the bundled data, and its version (0: nothing stored yet)."""

    version: int = 0
    agencies: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    categories: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Edit:
    """An admin's edit: the fields of one agency or category (``add``: a new one, every field)."""

    kind: Kind
    key: str
    fields: Mapping[str, Any]
    add: bool = False


@dataclass(frozen=True)
class ReferenceChange:
    """One change, as the audit trail keeps it: the version it made, who, when, before and after."""

    version: int
    at: datetime
    by: Actor
    kind: Kind
    key: str
    action: Literal["add", "edit"]
    before: Mapping[str, Any] | None
    after: Mapping[str, Any]


@dataclass(frozen=True)
class Applied:
    stored: Stored  # what to store next (its version one more)
    catalogue: Catalogue  # the catalogue in force once it is stored
    before: dict[str, Any] | None
    after: dict[str, Any]


# --- merge ------------------------------------------------------------------------------------------


def merge(defaults: Catalogue, stored: Stored) -> Catalogue:
    """The catalogue in force: the bundled entries with their stored fields, then the added ones
    (sorted by id, so every reader lists them alike)."""
    if not stored.agencies and not stored.categories:
        return defaults
    agencies = _merged(defaults.agencies, stored.agencies, Agency)
    categories = _merged(defaults.categories, stored.categories, Category)
    return Catalogue(agencies, categories)


def _merged(bundled: Mapping[str, Any], stored: Mapping[str, Mapping[str, Any]], model: Any) -> list[Any]:
    out = [_over(entry, stored.get(key), model) for key, entry in bundled.items()]
    return out + [model.model_validate(stored[key]) for key in sorted(set(stored) - set(bundled))]


def _over(entry: Any, fields: Mapping[str, Any] | None, model: Any) -> Any:
    return model.model_validate(entry.model_dump() | dict(fields)) if fields else entry


# --- an edit ----------------------------------------------------------------------------------------


def apply(defaults: Catalogue, stored: Stored, edit: Edit) -> Applied | None:
    """The edit applied to the stored data: what to store, and the catalogue it makes. None when
    it changes nothing. :class:`InvalidReference` (400) when it breaks a rule, :class:`NotFound`
    when it edits an agency or category that does not exist."""
    current = merge(defaults, stored)
    entries = current.agencies if edit.kind == "agency" else current.categories
    before = entries.get(edit.key)
    if edit.add:
        if before is not None:
            raise InvalidReference(f"{_name(edit.kind)} '{edit.key}' exists already; edit it with PATCH")
        _check_new_id(edit)
        after = _build(edit.kind, dict(edit.fields))
    else:
        if before is None:
            raise NotFound(f"no {_name(edit.kind)} '{edit.key}'")
        unknown = set(edit.fields) - EDITABLE[edit.kind]
        if unknown:
            raise InvalidReference(f"these fields cannot be changed: {', '.join(sorted(unknown))}")
        fields = dict(edit.fields)
        inside = not str(fields.get("unit", getattr(before, "unit", ""))).startswith("external:")
        if edit.kind == "category" and inside and "referral_channel" not in fields:
            fields["referral_channel"] = None  # a unit moved inside the city: no referral applies any more
        after = _build(edit.kind, before.model_dump() | fields)
        if after == before:
            return None
    if isinstance(after, Agency):
        _check_agency(after)
    next_stored = _stored_with(defaults, stored, edit.kind, after)
    catalogue = merge(defaults, next_stored)
    problems = [p for c in catalogue.categories.values() if (p := category_problem(c, catalogue))]
    if problems:
        raise InvalidReference("; ".join(problems))
    return Applied(next_stored, catalogue, before.model_dump() if before else None, after.model_dump())


def _name(kind: Kind) -> str:
    return "agency" if kind == "agency" else "category"


def _check_new_id(edit: Edit) -> None:
    if edit.kind == "category":
        if not CATEGORY_CODE.fullmatch(edit.key):
            raise InvalidReference(
                f"'{edit.key}' is not a category code: 2–32 lower-case letters, digits or '_', starting with a letter"
            )
        return
    kind = edit.fields.get("kind")
    if kind not in PREFIX:
        raise InvalidReference(
            "a new agency is a 'department' or an 'external' organisation: the 50 district offices are fixed"
        )
    if not AGENCY_ID.fullmatch(edit.key) or not edit.key.startswith(PREFIX[kind]):
        raise InvalidReference(
            f"a new {kind}'s id is {PREFIX[kind]} and 2–16 capital letters or digits, e.g. {PREFIX[kind]}ABC"
        )


def _build(kind: Kind, data: dict[str, Any]) -> Agency | Category:
    model = Agency if kind == "agency" else Category
    try:
        return model.model_validate(data)
    except ValidationError as err:
        fields = ", ".join(sorted({str(e["loc"][0]) for e in err.errors() if e.get("loc")}))
        raise InvalidReference(f"invalid {_name(kind)}: check {fields or 'its fields'}") from None


def _check_agency(agency: Agency) -> None:
    if not agency.email:
        raise InvalidReference(f"agency '{agency.id}' needs an e-mail: dispatches and chases are sent there")
    for name in ("email", "head_email"):
        value = getattr(agency, name)
        if value is not None and not valid_email(value):
            raise InvalidReference(f"{name} is not a valid e-mail address (name@domain.tld)")
    if agency.hotline is not None and not HOTLINE.fullmatch(agency.hotline):
        raise InvalidReference("hotline is not a phone number: digits and '-', e.g. 1125 or 02-123-4567")
    if not agency.name_th.strip() or not agency.name_en.strip():
        raise InvalidReference("an agency needs its name in Thai and in English")


def valid_email(value: str) -> bool:
    from email_validator import EmailNotValidError, validate_email  # first use, not every cold start

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def category_problem(category: Category, catalogue: Catalogue) -> str | None:
    """What is wrong with a category's routing in this catalogue, or None."""
    if not category.name_th.strip() or not category.name_en.strip():
        return f"category '{category.code}' needs its name in Thai and in English"
    unit, _, target = category.unit.partition(":")
    if category.unit == "triage" or (unit == "district" and target in DISTRICT_SECTIONS):
        problem = None
    elif unit in ("department", "external"):
        agency = catalogue.agencies.get(target)
        problem = None if agency and agency.kind == unit else f"'{target}' is not a known {unit} agency"
    else:
        sections = ", ".join(f"district:{s}" for s in DISTRICT_SECTIONS)
        problem = f"a unit is triage, {sections}, department:<agency id> or external:<agency id>"
    if problem:
        return f"category '{category.code}': {problem}"
    if unit == "external":
        if category.referral_channel is None:
            return f"category '{category.code}' goes outside the city: give its referral_channel (hotline or letter)"
        if category.referral_channel == "hotline" and not catalogue.agencies[target].hotline:
            return f"category '{category.code}' is referred by hotline, but '{target}' has no hotline"
    elif category.referral_channel is not None:
        return f"category '{category.code}' stays inside the city: a referral_channel does not apply"
    return None


def _stored_with(defaults: Catalogue, stored: Stored, kind: Kind, after: Agency | Category) -> Stored:
    """The stored data with ``after`` in it: for a bundled entry only the fields that differ from
    the bundle (none: the entry goes), for an added one every field."""
    key = after.id if isinstance(after, Agency) else after.code
    bundled = (defaults.agencies if kind == "agency" else defaults.categories).get(key)
    data = after.model_dump()
    if bundled is not None:
        data = {k: v for k, v in data.items() if v != getattr(bundled, k)}
    entries = dict(stored.agencies if kind == "agency" else stored.categories)
    entries.pop(key, None)
    if data:
        entries[key] = data
    if kind == "agency":
        return Stored(stored.version + 1, entries, stored.categories)
    return Stored(stored.version + 1, stored.agencies, entries)
