"""Reference data changed at run time: the catalogue in force, and an admin's changes to it.

**The catalogue in force** (:class:`CatalogueInForce`) is the bundled data merged with what the
table stores, rebuilt only when the stored version changed. Every handler calls ``expire()`` once
at the start of an invocation (``wiring.new_invocation``); the first reader of ``catalogue`` in
that invocation reads the stored version (one small GetItem), and nobody else does: a sweep of a
thousand cases reads it once. A change therefore reaches the next request, in every warm Lambda,
and never a case's history (events keep the agency ids they recorded).

**A change** (:class:`ReferenceAdmin`) is applied by the domain to what is stored, then stored in
one transaction with its audit item, on the version it read. When another admin wrote first, the
edit is read and applied once more to their version (field by field, so both edits stay); a second
conflict in a row is ``409 conflict``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..commands import ChangeReference, ListReferenceChanges
from ..domain import reference
from ..domain.errors import Conflict, Forbidden
from ..domain.links import LinkSigner
from ..domain.model import Role
from ..domain.reference import ReferenceChange, Stored
from ..domain.routing import Catalogue
from ..ports import ChangePage, ReferenceStore

#: An edit is applied at most twice: on what it read, and once more on another admin's version.
ATTEMPTS = 2


class CatalogueInForce:
    """:class:`~complaints.ports.CatalogueSource`: the defaults merged with the stored data."""

    def __init__(self, store: ReferenceStore, defaults: Catalogue):
        self.store = store
        self.defaults = defaults
        self._catalogue = defaults
        self._version: int | None = None  # the stored version ``_catalogue`` was built from
        self._checked = False  # the version was read in this invocation

    def expire(self) -> None:
        """A new invocation: the next reader checks the stored version (once)."""
        self._checked = False

    @property
    def catalogue(self) -> Catalogue:
        if not self._checked:
            version = self.store.version()
            if version != self._version:
                self.adopt(self.store.load() if version else Stored())
            self._checked = True
        return self._catalogue

    @property
    def version(self) -> int:
        self.catalogue  # noqa: B018 - read the version if this invocation has not
        return self._version or 0

    def adopt(self, stored: Stored, catalogue: Catalogue | None = None) -> None:
        """Use ``stored`` from now on (what this invocation just wrote, or just read)."""
        self._catalogue = catalogue or reference.merge(self.defaults, stored)
        self._version = stored.version
        self._checked = True


@dataclass(frozen=True)
class ReferenceChanged:
    entity: dict[str, Any]  # the agency or category as it is now
    change: ReferenceChange | None  # None: the edit changed nothing (nothing written)
    version: int


@dataclass(frozen=True)
class ChangesListed:
    changes: list[ReferenceChange]
    cursor: str | None  # signed


class ReferenceAdmin:
    def __init__(self, store: ReferenceStore, in_force: CatalogueInForce, links: LinkSigner):
        self.store = store
        self.in_force = in_force
        self.links = links

    def change(self, cmd: ChangeReference) -> ReferenceChanged:
        _admin(cmd.actor.role)
        edit = cmd.edit
        for attempt in range(ATTEMPTS):
            stored = self.store.load()
            applied = reference.apply(self.in_force.defaults, stored, edit)
            if applied is None:
                self.in_force.adopt(stored)
                entity = _entity(self.in_force.catalogue, edit)
                return ReferenceChanged(entity, None, stored.version)
            record = ReferenceChange(
                version=applied.stored.version,
                at=cmd.at,
                by=cmd.actor,
                kind=edit.kind,
                key=edit.key,
                action="add" if edit.add else "edit",
                before=applied.before,
                after=applied.after,
            )
            try:
                self.store.save(stored.version, applied.stored, record)
            except Conflict:
                if attempt + 1 == ATTEMPTS:
                    raise Conflict("another admin kept changing the reference data; send the change again") from None
                continue
            self.in_force.adopt(applied.stored, applied.catalogue)
            return ReferenceChanged(applied.after, record, record.version)
        raise AssertionError("unreachable")  # pragma: no cover

    def changes(self, cmd: ListReferenceChanges) -> ChangesListed:
        """The audit trail, newest first; the cursor is signed and bound to the caller."""
        _admin(cmd.actor.role)
        binding = f"{cmd.actor.role}|{cmd.actor.id or ''}|reference-changes"
        page: ChangePage = self.store.changes(cmd.limit, self.links.read_cursor(binding, cmd.cursor))
        return ChangesListed(page.changes, self.links.sign_cursor(binding, page.cursor))


def _admin(role: Role) -> None:
    if role is not Role.ADMIN:
        raise Forbidden("only an admin may change or read the reference data's changes")


def _entity(catalogue: Catalogue, edit: reference.Edit) -> dict[str, Any]:
    entries = catalogue.agencies if edit.kind == "agency" else catalogue.categories
    return entries[edit.key].model_dump()
