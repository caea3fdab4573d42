"""Request bodies of the HTTP API (SPEC §4), validated by pydantic, and the body of its errors.

Text: Thai (with its combining marks), emoji and any other printable character
are kept as typed; HTML is stored as typed and never interpreted (pages and
e-mails escape it). Invisible characters (zero-width spaces and joiners, soft
hyphens, directional marks and overrides, byte-order marks) are removed. A
control character (NUL, escape, DEL…; in one-line fields also tab, CR and LF) is
refused, never silently dropped. A required text must keep a visible character
once cleaned. Thai phone numbers are accepted in local form, with ASCII, Thai or
full-width digits, and stored in E.164 with ASCII digits.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    StrictBool,
    StrictFloat,
    model_validator,
)

from .domain.model import Complainant, citizen_channel
from .domain.photos import UPLOAD_KEY

MAX_DESCRIPTION = 4000
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # tab, LF and CR are text
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _cleaned(value: object, control: re.Pattern[str]) -> object:
    if not isinstance(value, str):
        return value  # the type check says what is wrong
    if control.search(value):
        raise ValueError("contains a control character (NUL, a line break in a one-line field…): remove it")
    return _INVISIBLE.sub("", value).strip()


def _clean_text(value: object) -> object:
    """Free text: invisible characters removed, control characters refused (newlines and tabs kept)."""
    return _cleaned(value, _CONTROL)


def _clean_line(value: object) -> object:
    """A one-line field: invisible characters removed, every control character refused."""
    return _cleaned(value, _LINE_CONTROL)


def _visible(value: str) -> str:
    """A required text must say something: a letter, digit, punctuation or symbol (emoji count)."""
    if not any(unicodedata.category(c)[0] in "LNPS" for c in value):
        raise ValueError("has no visible character (only spaces, marks or invisible characters)")
    return value


def _ascii_digits(value: str) -> str:
    """Full-width ``＋``, ``－`` and ``（）`` as ASCII, and any script's decimal digits (Thai ๐–๙,
    full-width ０–９…) as 0–9; superscripts, circled numbers and the like stay what they are."""
    value = "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" else c for c in value)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in value)


def thai_phone(value: str) -> str:
    """``0812345678``, ``081-234-5678``, ``๐๘๑๒๓๔๕๖๗๘`` or ``+66812345678`` → ``+66812345678``.

    Mobile numbers (06, 08, 09 and 8 more digits) and Bangkok/provincial
    landlines (02–07 and 7 more digits) are accepted.
    """
    digits = re.sub(r"[\s\-().]", "", _ascii_digits(value))
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    elif digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0[689][0-9]{8}|0[2-7][0-9]{7}", digits):
        raise ValueError(
            "not a Thai phone number: use 10 digits like 0812345678 (or a 9-digit landline like 022345678, or +66…)"
        )
    return "+66" + digits[1:]


def _bounded(cleaner: Any, max_length: int, min_length: int, description: str | None = None) -> Any:
    """A string cleaned first, then held to its length (so that what is stored is what is counted)."""
    checks = [AfterValidator(_visible)] if min_length else []
    field = Field(min_length=min_length, max_length=max_length, description=description)
    return Annotated[str, field, BeforeValidator(cleaner), *checks]


def text(max_length: int, min_length: int = 0) -> Any:
    """Free text of bounded length (see the module's rules on characters)."""
    return _bounded(_clean_text, max_length, min_length)


def line(max_length: int, min_length: int = 0, description: str | None = None) -> Any:
    """A one-line string of bounded length (see the module's rules on characters)."""
    return _bounded(_clean_line, max_length, min_length, description)


def _iso_date(value: object) -> object:
    """A day is ``YYYY-MM-DD``: pydantic alone takes ``0`` (or ``"0"`` in a path) for a Unix time, 1970-01-01."""
    if isinstance(value, date) or (isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
        return value
    raise ValueError("not a date; use YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Note = text(2000)
Phone = Annotated[str, BeforeValidator(_clean_line), AfterValidator(thai_phone)]
Url = Annotated[HttpUrl, Field(description="an http(s) URL")]
UploadKey = Annotated[
    str,
    Field(pattern=UPLOAD_KEY.pattern, description="a key that POST /uploads gave, once the file was sent to it"),
]
#: A photo: the key of an upload (stored, processed and served by the centre), or a URL (API clients).
PhotoRef = Annotated[UploadKey | Url, Field(union_mode="left_to_right")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class LocationIn(Body):
    lat: StrictFloat | None = Field(None, ge=-90, le=90)
    lon: StrictFloat | None = Field(None, ge=-180, le=180)
    address: line(500) | None = None
    district: line(100, description="DOPA code 10xx or district name") | None = None

    @model_validator(mode="after")
    def _pair(self) -> LocationIn:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class ComplainantIn(Body):
    name: line(200) | None = None
    phone: Phone | None = None
    email: EmailStr | None = None


class ComplaintIn(Body):
    """``POST /complaints``."""

    category: line(50, 1)
    description: text(MAX_DESCRIPTION, 1)
    location: LocationIn = LocationIn()
    complainant: ComplainantIn = ComplainantIn()
    notify: StrictBool = False
    channel: Literal["web", "mobile", "phone", "line", "email", "walk_in", "open311"] = "web"
    photos: Annotated[list[PhotoRef], Field(max_length=10)] = []
    urgent: StrictBool = False

    @model_validator(mode="after")
    def _reachable(self) -> ComplaintIn:
        if self.notify and not (self.complainant.phone or self.complainant.email):
            raise ValueError("notify is true but there is no phone or e-mail to notify")
        if self.notify and citizen_channel(Complainant(**self.complainant.model_dump())) is None:
            raise ValueError("notify is true but a landline cannot receive SMS: give a mobile number or an e-mail")
        return self


class ExternalIn(Body):
    agency_id: line(50, 1)
    channel: Literal["hotline", "letter"]
    reference: line(200) | None = None


class RouteIn(Body):
    """``POST /complaints/{id}/route``: an agency, or an external referral."""

    agency_id: line(50, 1) | None = None
    section: Literal["public_works", "law_enforcement", "cleansing_parks", "environment_sanitation"] | None = None
    external: ExternalIn | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _one_target(self) -> RouteIn:
        if (self.agency_id is None) == (self.external is None):
            raise ValueError("give either agency_id or external, not both or neither")
        return self


class CloseIn(Body):
    """``POST /complaints/{id}/close``: why a triage case needs no agency, or that a referral is done."""

    reason: text(2000, 1)


class ReturnToTriageIn(Body):
    """``POST /complaints/{id}/return-to-triage``: why a referral came back to the city."""

    reason: text(2000, 1)


class HolidayIn(Body):
    """``PUT /holidays/{date}``: add a special holiday, or (``removed``) cancel an official one."""

    name: line(200, 1) | None = None
    removed: StrictBool = False

    @model_validator(mode="after")
    def _named(self) -> HolidayIn:
        if not self.removed and not self.name:
            raise ValueError("a special holiday needs a name")
        return self


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a date; use YYYY-MM-DD") from None


class ApiKeyIn(Body):
    """``POST /api-keys``: whom the key is for (an Open311 app, a city dashboard)."""

    name: line(100, 1, "who the key is for, e.g. FixMyStreet Bangkok")


class AcknowledgeIn(Body):
    """``POST /complaints/{id}/acknowledge``."""

    note: Note | None = None


class ProgressIn(Body):
    """``POST /complaints/{id}/progress``."""

    note: text(2000, 1)
    expected_completion: IsoDate | None = None


class CompleteIn(Body):
    """``POST /complaints/{id}/complete``: what was done, and photos of the result."""

    note: text(2000, 1)
    evidence_urls: Annotated[list[PhotoRef], Field(max_length=10, description="photos of the result")] = []


class HandbackIn(Body):
    """``POST /complaints/{id}/handback``: why the case is not this agency's."""

    reason: text(2000, 1)


class FeedbackIn(Body):
    """``POST /complaints/{id}/feedback?token=``: was it really fixed, and is the citizen satisfied?"""

    fixed: StrictBool
    satisfied: StrictBool
    comment: text(2000) | None = None


class ReopenIn(Body):
    """``POST /complaints/{id}/reopen``: the call centre, on a caller's behalf."""

    reason: text(2000, 1)


class VerdictIn(Body):
    """``POST /audits/{id}``: does the completion match the facts?"""

    verdict: Literal["consistent", "inconsistent"]
    note: text(2000) | None = None


# ---------------------------------------------------------------- what the API answers on an error


class FieldProblem(BaseModel):
    """One thing to fix in a refused request."""

    field: str = Field(description="where: a body field (dotted), a query or path parameter, or 'body'")
    message: str


class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable: validation_error, invalid_input, not_found, forbidden...")
    message: str = Field(description="what went wrong, for a person")
    details: list[FieldProblem] = Field(
        default_factory=list, description="on validation_error: each field to fix (input values are never echoed)"
    )


class ErrorOut(BaseModel):
    """Every error the API answers: ``{"error": {"code", "message", "details"?}}``."""

    error: ErrorDetail
