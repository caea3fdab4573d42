"""Ports of the reference data changed at run time (``domain.reference``): where the stored
overrides and the audit trail of changes live, and what a reader of the catalogue in force needs.

Re-exported by :mod:`complaints.ports`, with the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .domain.reference import ReferenceChange, Stored
from .domain.routing import Catalogue


class CatalogueSource(Protocol):
    """Whatever gives the catalogue in force (``usecases.reference.CatalogueInForce``): the use
    cases and the notice senders read ``catalogue`` each time they route or name an agency."""

    @property
    def catalogue(self) -> Catalogue: ...


@dataclass(frozen=True)
class ChangePage:
    changes: list[ReferenceChange]
    cursor: str | None  # where the next (older) page starts, unsigned; None: no more


class ReferenceStore(Protocol):
    """The stored reference data: one small item with a version, and one audit item per change."""

    def version(self) -> int:
        """The stored version (0: nothing stored): one small, strongly consistent read."""
        ...

    def load(self) -> Stored:
        """What is stored, with its version."""
        ...

    def save(self, expected: int, stored: Stored, change: ReferenceChange) -> None:
        """Store ``stored`` and the change's audit item together, if the version is still
        ``expected``; :class:`~complaints.domain.errors.Conflict` (nothing written) otherwise."""
        ...

    def changes(self, limit: int, cursor: str | None) -> ChangePage:
        """The audit trail, newest first."""
        ...
