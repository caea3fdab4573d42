"""Contact details typed into free text, hidden where anyone may read the text (Open311).

A complaint's description and an agency's public note are the city's record of the problem, so
Open311 shows them; but a citizen often writes "โทร 081-234-5678 คุณสมชาย" into the description,
and an officer may write the caller's name in a note. :func:`hide_contacts` replaces, before the
text leaves:

- e-mail addresses;
- phone numbers: Thai numbers (``0`` and 8–9 more digits, with spaces, dashes or dots between
  groups; ``+66`` / ``66`` forms) and any other run of 9 or more digits written as one number;
- the complainant's own name, whole and each part of it of 3 characters or more (Thai names are
  written without case; a part is matched as it is written).

Case numbers (``2604-ABC123``), house numbers, sois and dates are too short or shaped otherwise
to match. It is a safeguard for what citizens type, not a promise about arbitrary text: the
complainant's fields themselves are never read into Open311 at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

HIDDEN = "[ซ่อน·hidden]"
MIN_NAME_PART = 3

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# digits in groups separated by at most one space, dash or dot: 0x-xxx-xxxx, +66 8x xxx xxxx…
PHONE = re.compile(r"(?<![\w+])(?:\+?66[\s.-]?|0)\d(?:[\s.-]?\d){7,8}(?!\d)|(?<!\d)\d(?:[\s.-]?\d){8,}(?!\d)")


def hide_contacts(text: str | None, names: Iterable[str | None] = ()) -> str | None:
    """``text`` with e-mail addresses, phone numbers and the given names replaced by ``HIDDEN``."""
    if not text:
        return text
    out = EMAIL.sub(HIDDEN, text)
    out = PHONE.sub(HIDDEN, out)
    parts: set[str] = set()
    for name in names:
        if name and name.strip():
            parts.add(name.strip())
            parts.update(p for p in name.split() if len(p) >= MIN_NAME_PART)
    for part in sorted(parts, key=len, reverse=True):  # the whole name before its parts
        out = re.sub(re.escape(part), HIDDEN, out, flags=re.IGNORECASE)
    return out
