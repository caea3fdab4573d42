"""API keys of machine clients (Open311 apps): an admin issues, lists and revokes them; every
request made with one is checked here, and its filings are counted against the per-key limit.

- ``issue``: the key (``<id>.<secret>``, ``domain.api_keys``) is in the answer once; the table
  keeps its hash, its name, and who issued it when (the request's time).
- ``list``: every key, revoked ones too, oldest first: never the secret or its hash.
- ``revoke``: at once (``check`` reads the key strongly consistently). An unknown id is
  ``404 not_found``; revoking a revoked key again answers it as it is (idempotent: the first
  revocation's time and admin stay).
- ``check``: the key's ``ApiKeyRef`` or ``KeyRefused`` (403 ``api_key_refused``: missing,
  malformed, unknown or revoked). With ``write=True`` it also counts one filing in the key's
  window of the current UTC minute; over ``writes_per_minute`` it is ``RateLimited`` (429
  ``rate_limited``, ``retry_after``: the seconds to the next minute), and nothing is counted.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..api_key_ports import ApiKeyStore
from ..commands import Command, IssueApiKey, ListApiKeys, RevokeApiKey
from ..domain import api_keys as keys
from ..domain.errors import Conflict, Forbidden, InvalidInput, KeyRefused, NotFound, RateLimited
from ..domain.model import Role

ISSUE_ATTEMPTS = 3  # a taken id (60 random bits: practically never) is drawn again


@dataclass(frozen=True)
class IssuedKey:
    id: str
    name: str
    key: str  # <id>.<secret>: shown once, never stored
    created_at: datetime


@dataclass(frozen=True)
class ApiKeyInfo:
    id: str
    name: str
    created_at: datetime
    created_by: str  # <role>:<user id>
    revoked_at: datetime | None
    revoked_by: str | None = None
    last_used_at: datetime | None = None  # recorded at most once a minute per key


@dataclass(frozen=True)
class ApiKeyRef:
    """The key a request was made with: its id goes on what the request does (``by``)."""

    id: str
    name: str


def _info(key: keys.StoredKey) -> ApiKeyInfo:
    return ApiKeyInfo(
        key.id, key.name, key.created_at, key.created_by, key.revoked_at, key.revoked_by, key.last_used_at
    )


def _admin(cmd: Command) -> None:
    if cmd.actor.role is not Role.ADMIN:
        raise Forbidden("API keys are managed by admins")


class ApiKeys:
    def __init__(
        self,
        store: ApiKeyStore,
        writes_per_minute: int,
        new_key: Callable[[], tuple[str, str]] = keys.new_key,
    ):
        self.store = store
        self.writes_per_minute = writes_per_minute
        self.new_key = new_key

    def issue(self, cmd: IssueApiKey) -> IssuedKey:
        _admin(cmd)
        name = " ".join(cmd.name.split())
        if not name or len(name) > keys.NAME_MAX:
            raise InvalidInput(f"a key's name is 1 to {keys.NAME_MAX} characters")
        for attempt in range(ISSUE_ATTEMPTS):
            key_id, secret = self.new_key()
            stored = keys.StoredKey(
                id=key_id,
                name=name,
                secret_hash=keys.hash_secret(key_id, secret),
                created_at=cmd.at,
                created_by=keys.actor_name(cmd.actor),
            )
            try:
                self.store.add(stored)
            except Conflict:
                if attempt == ISSUE_ATTEMPTS - 1:
                    raise
                continue
            return IssuedKey(key_id, name, f"{key_id}.{secret}", cmd.at)
        raise AssertionError("unreachable")  # pragma: no cover

    def revoke(self, cmd: RevokeApiKey) -> ApiKeyInfo:
        _admin(cmd)
        self.store.revoke(cmd.key_id, cmd.at, keys.actor_name(cmd.actor))
        stored = self.store.get(cmd.key_id)
        if stored is None:
            raise NotFound(f"no API key '{cmd.key_id}'")
        return _info(stored)

    def check(self, presented: str | None, at: datetime, write: bool = False) -> ApiKeyRef:
        if not presented:
            raise KeyRefused("ไม่มีคีย์ API (api_key) / no API key (api_key) was given")
        parsed = keys.parse(presented)
        if parsed is None:
            raise KeyRefused("คีย์ API ผิดรูปแบบ / the API key is malformed")
        key_id, secret = parsed
        stored = self.store.get(key_id)
        known = stored is not None and keys.matches(stored.secret_hash, key_id, secret)
        if stored is None or not known or stored.revoked_at is not None:
            raise KeyRefused("คีย์ API ไม่ถูกต้องหรือถูกเพิกถอนแล้ว / the API key is unknown or revoked")
        if write and not self.store.count_write(key_id, keys.window_start(at), self.writes_per_minute):
            raise RateLimited(
                f"คีย์นี้ส่งเรื่องครบ {self.writes_per_minute} เรื่องในนาทีนี้แล้ว / this key has filed"
                f" {self.writes_per_minute} requests this minute, its limit: retry after the minute ends",
                retry_after=keys.retry_after(at),
            )
        if stored.last_used_at is None or at - stored.last_used_at >= keys.TOUCH_EVERY:
            self.store.touch(key_id, at)
        return ApiKeyRef(stored.id, stored.name)

    def list(self, cmd: ListApiKeys) -> builtins.list[ApiKeyInfo]:
        _admin(cmd)
        return [_info(k) for k in self.store.all()]
