"""API keys of machine clients: an admin issues, lists and revokes them; a request's key is
checked, and its filings are counted against the per-key limit (times from the test)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from complaints.commands import IssueApiKey, ListApiKeys, RevokeApiKey
from complaints.domain.errors import Forbidden, InvalidInput, KeyRefused, NotFound, RateLimited
from complaints.domain.model import Actor, Role
from complaints.usecases.api_keys import ApiKeys, IssuedKey

from .conftest import WRITES_PER_KEY_PER_MINUTE, App
from .helpers import CALLCENTRE, at

ADMIN = Actor(role=Role.ADMIN, id="admin-1")
ISSUED_AT = at("2026-04-10T09:00")


def keys(app: App) -> ApiKeys:
    return app.usecases.api_keys


def issue(app: App, name: str = "FixMyStreet Bangkok", when: str = "2026-04-10T09:00") -> IssuedKey:
    return keys(app).issue(IssueApiKey(actor=ADMIN, at=at(when), name=name))


def test_an_issued_key_is_its_id_and_a_long_random_secret_and_it_is_accepted(app: App) -> None:
    issued = issue(app)
    key_id, secret = issued.key.split(".")
    assert key_id == issued.id
    assert len(secret) >= 22  # ≥ 128 bits in base64url
    assert issue(app).key != issued.key
    ref = keys(app).check(issued.key, at("2026-04-10T09:05"))
    assert (ref.id, ref.name) == (issued.id, "FixMyStreet Bangkok")


def test_the_store_keeps_the_hash_never_the_secret(app: App) -> None:
    issued = issue(app)
    stored = app.fakes.api_keys.keys[issued.id]
    secret = issued.key.split(".")[1]
    assert secret not in repr(stored)
    assert stored.created_by == "admin:admin-1" and stored.created_at == ISSUED_AT


def test_the_list_shows_every_key_without_its_secret(app: App) -> None:
    first, second = issue(app, "first"), issue(app, "second", when="2026-04-10T10:00")
    listed = keys(app).list(ListApiKeys(actor=ADMIN, at=at("2026-04-10T11:00")))
    assert [(k.id, k.name, k.revoked_at) for k in listed] == [(first.id, "first", None), (second.id, "second", None)]
    shown = repr(listed)
    assert first.key.split(".")[1] not in shown and "secret" not in shown


@pytest.mark.parametrize(
    "presented",
    [None, "", "nodot", "abc.def", "0123456789ab.short", "0123456789ab." + "A" * 43 + "x", "x" * 10_000],
)
def test_a_missing_or_malformed_key_is_refused(app: App, presented: str | None) -> None:
    issue(app)
    with pytest.raises(KeyRefused) as refused:
        keys(app).check(presented, ISSUED_AT)
    assert refused.value.status == 403 and refused.value.code == "api_key_refused"


def test_an_unknown_id_or_a_wrong_secret_is_refused(app: App) -> None:
    issued = issue(app)
    key_id, secret = issued.key.split(".")
    other_id = "zzzzzzzzzzzz" if key_id != "zzzzzzzzzzzz" else "000000000000"
    wrong_secret = ("A" if secret[0] != "A" else "B") + secret[1:]
    for presented in (f"{other_id}.{secret}", f"{key_id}.{wrong_secret}"):
        with pytest.raises(KeyRefused):
            keys(app).check(presented, ISSUED_AT)


def test_a_revoked_key_is_refused_at_once_and_a_second_revocation_keeps_the_first(app: App) -> None:
    issued = issue(app)
    keys(app).check(issued.key, at("2026-04-10T09:01"))
    revoked = keys(app).revoke(RevokeApiKey(actor=ADMIN, at=at("2026-04-10T09:02"), key_id=issued.id))
    assert revoked.revoked_at == at("2026-04-10T09:02") and revoked.revoked_by == "admin:admin-1"
    with pytest.raises(KeyRefused):
        keys(app).check(issued.key, at("2026-04-10T09:02"))
    other = Actor(role=Role.ADMIN, id="admin-2")
    again = keys(app).revoke(RevokeApiKey(actor=other, at=at("2026-04-10T10:00"), key_id=issued.id))
    assert (again.revoked_at, again.revoked_by) == (at("2026-04-10T09:02"), "admin:admin-1")


def test_revoking_an_unknown_key_is_not_found(app: App) -> None:
    with pytest.raises(NotFound):
        keys(app).revoke(RevokeApiKey(actor=ADMIN, at=ISSUED_AT, key_id="000000000000"))


def test_only_admins_manage_keys(app: App) -> None:
    issued = issue(app)
    with pytest.raises(Forbidden):
        keys(app).issue(IssueApiKey(actor=CALLCENTRE, at=ISSUED_AT, name="mine"))
    with pytest.raises(Forbidden):
        keys(app).list(ListApiKeys(actor=CALLCENTRE, at=ISSUED_AT))
    with pytest.raises(Forbidden):
        keys(app).revoke(RevokeApiKey(actor=CALLCENTRE, at=ISSUED_AT, key_id=issued.id))
    keys(app).check(issued.key, ISSUED_AT)  # still good


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_key_needs_a_name(app: App, name: str) -> None:
    with pytest.raises(InvalidInput):
        issue(app, name)


def test_the_write_limit_counts_a_keys_filings_per_minute(app: App) -> None:
    issued = issue(app)
    minute = at("2026-04-10T09:10")
    for n in range(WRITES_PER_KEY_PER_MINUTE):
        keys(app).check(issued.key, minute + timedelta(seconds=n), write=True)
    with pytest.raises(RateLimited) as limited:
        keys(app).check(issued.key, minute + timedelta(seconds=45), write=True)
    assert limited.value.status == 429 and limited.value.code == "rate_limited"
    assert limited.value.retry_after == 15  # to the next minute
    keys(app).check(issued.key, minute + timedelta(seconds=59))  # reads are not limited
    keys(app).check(issued.key, minute + timedelta(seconds=60), write=True)  # a new minute


def test_the_limit_is_per_key(app: App) -> None:
    busy, quiet = issue(app, "busy"), issue(app, "quiet")
    minute = at("2026-04-10T09:10")
    for _ in range(WRITES_PER_KEY_PER_MINUTE):
        keys(app).check(busy.key, minute, write=True)
    with pytest.raises(RateLimited):
        keys(app).check(busy.key, minute, write=True)
    keys(app).check(quiet.key, minute, write=True)


def test_a_refused_key_counts_no_write(app: App) -> None:
    issued = issue(app)
    keys(app).revoke(RevokeApiKey(actor=ADMIN, at=ISSUED_AT, key_id=issued.id))
    with pytest.raises(KeyRefused):
        keys(app).check(issued.key, ISSUED_AT, write=True)
    assert not app.fakes.api_keys.writes


def test_the_last_use_is_recorded_at_most_once_a_minute(app: App) -> None:
    issued = issue(app)
    keys(app).check(issued.key, at("2026-04-10T09:10:00"))
    keys(app).check(issued.key, at("2026-04-10T09:10:30"))
    listed = keys(app).list(ListApiKeys(actor=ADMIN, at=ISSUED_AT))
    assert listed[0].last_used_at == at("2026-04-10T09:10:00")
    keys(app).check(issued.key, at("2026-04-10T09:11:00"))
    assert keys(app).list(ListApiKeys(actor=ADMIN, at=ISSUED_AT))[0].last_used_at == at("2026-04-10T09:11:00")
