"""The random audit of completed cases (rule 6): who is drawn, pure.

Every day the cases completed since the last draw are sampled per agency: each
is drawn when a random number in [0, 1) falls below the rate (the template's
``AuditRate``, 10% unless the deployment says otherwise).
An agency that completed cases in a month but had none drawn gets one, drawn
uniformly from that month's completions, when the month is settled. The random
source is the operating system's (``secrets.SystemRandom``): nobody, an agency
least of all, can predict it. A completion whose "after" photo was flagged
(``domain.evidence``: taken far from the complaint, or before it was filed) is
always drawn. Every number drawn is recorded with the rate and the flag, so that
the draw can be checked afterwards: a case was audited if and only if it was
flagged or its number is below the rate.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    case_id: str
    seq: int  # the `completed` event
    agency_id: str
    month: str  # the Bangkok month of completion, YYYY-MM
    flagged: bool = False  # its "after" photo does not fit the complaint: always drawn


@dataclass(frozen=True)
class Draw:
    candidate: Candidate
    value: float
    drawn: bool


def system_random() -> random.Random:
    """The unpredictable source of production draws (tests pass a seeded ``random.Random``)."""
    return secrets.SystemRandom()


def draw(candidates: Sequence[Candidate], rate: float, rng: random.Random) -> list[Draw]:
    """One number per candidate; drawn when it is below ``rate``, or when the completion is flagged."""
    if not 0 <= rate <= 1:
        raise ValueError("the audit rate is a fraction between 0 and 1")
    out = []
    for c in candidates:
        value = rng.random()
        out.append(Draw(c, value, c.flagged or value < rate))
    return out


def month_minimum(pool: Sequence[str], rng: random.Random) -> int:
    """The index in ``pool`` (sorted) of the one completion audited for an agency that had none
    drawn in its month: uniform over the pool."""
    return rng.randrange(len(pool))


def audit_id(case_id: str, seq: int) -> str:
    """An audit names the completion it checks: ``<case id>-<seq of the completed event>``."""
    return f"{case_id}-{seq}"
