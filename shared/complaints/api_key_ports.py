"""The port of the API keys (``usecases.api_keys``): where keys and their write counters live.

Re-exported by :mod:`complaints.ports`, with the others.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from .domain.api_keys import StoredKey


class ApiKeyStore(Protocol):
    """The keys (one partition, no secret, only its hash) and each key's write counters."""

    def add(self, key: StoredKey) -> None:
        """A new key; :class:`~complaints.domain.errors.Conflict` when its id is taken."""
        ...

    def get(self, key_id: str) -> StoredKey | None:
        """The key as stored now (a strongly consistent read: a revocation counts at once)."""
        ...

    def all(self) -> list[StoredKey]:
        """Every key, revoked ones too, oldest first."""
        ...

    def revoke(self, key_id: str, at: datetime, by: str) -> bool:
        """Mark the key revoked at ``at`` by ``by``; False (nothing written) when it is unknown or
        already revoked (the first revocation stays)."""
        ...

    def touch(self, key_id: str, at: datetime) -> None:
        """Record ``at`` as the key's last use, unless a later use is recorded."""
        ...

    def count_write(self, key_id: str, window: datetime, limit: int) -> bool:
        """Count one write of the key in the window starting at ``window``; False (nothing
        counted) when ``limit`` writes are counted in it already."""
        ...
