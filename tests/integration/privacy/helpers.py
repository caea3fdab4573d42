"""What the privacy tests share: the complainant's data to look for, and the admin's erasure."""

from __future__ import annotations

from typing import Any

from tests.conftest import ADMIN

#: Pieces of the SPEC's complainant (``tests.conftest.complaint``): name, phone (any form), e-mail.
NEEDLES = ("สมชาย", "ใจดี", "812345678", "somchai")
REASON = "คำขอลบข้อมูลตาม PDPA เลขที่ 12/2569"


def leaks(text: str, *secrets: str) -> list[str]:
    """The complainant's data (and any of ``secrets``: tokens) found in ``text``."""
    return [n for n in (*NEEDLES, *secrets) if n and n in text]


def erase(api, case_id: str, when: str, claims: dict[str, Any] | None = ADMIN, reason: str | None = REASON):
    body = {"reason": reason} if reason is not None else {}
    return api.call("DELETE", f"/complaints/{case_id}/complainant", body=body, claims=claims, when=when)
