"""An admin's change of the reference data (on the fakes): who may, what it changes for the next
routing, the audit trail, concurrent admins, and how often the catalogue in force reads the store."""

from __future__ import annotations

import pytest

from complaints.commands import ChangeReference, ListReferenceChanges
from complaints.domain.errors import Conflict, Forbidden
from complaints.domain.links import BadCursor, LinkSigner
from complaints.domain.model import Actor, Role
from complaints.domain.reference import Edit, Stored
from complaints.reference import default_catalogue
from complaints.usecases.reference import CatalogueInForce, ReferenceAdmin
from tests.fakes import MemoryReference

from .helpers import CALLCENTRE, at, file, history

pytestmark = pytest.mark.unit
ADMIN = Actor(role=Role.ADMIN, id="admin-7")
OTHER_ADMIN = Actor(role=Role.ADMIN, id="admin-8")
WHEN = "2026-04-10T08:00"


def change(app, edit: Edit, actor: Actor = ADMIN, when: str = WHEN):
    return app.usecases.reference.change(ChangeReference(actor=actor, at=at(when), edit=edit))


def test_a_category_moved_by_an_admin_routes_the_next_filing_and_leaves_earlier_cases_alone(app):
    before = file(app).case
    change(app, Edit("category", "road", {"unit": "department:DEPT-PWD"}))

    after = file(app, "2026-04-10T10:00").case

    assert after.agency.id == "DEPT-PWD"
    assert app.fakes.cases.get_case(before.id).agency.id == "DIST-1039"
    assert history(app, before.id)[-1].data.agency_id == "DIST-1039"


def test_an_agency_email_changed_by_an_admin_gets_the_next_dispatch(app):
    change(app, Edit("agency", "DIST-1039", {"email": "watthana.works@bma.example"}))

    file(app)

    assert len(app.notifier.to("watthana.works@bma.example")) == 1
    assert app.notifier.to("district-1039@agency.example") == []


def test_only_an_admin_may_change_it_and_a_refusal_leaves_nothing(app):
    with pytest.raises(Forbidden):
        change(app, Edit("category", "road", {"urgent": True}), actor=CALLCENTRE)
    assert app.fakes.reference.trail == [] and app.fakes.reference.stored.version == 0


def test_the_trail_says_who_when_before_and_after_newest_first_in_signed_pages(app):
    change(app, Edit("agency", "DEPT-PWD", {"hotline": "02-111-1111"}))
    change(app, Edit("agency", "DEPT-PWD", {"hotline": "02-222-2222"}), actor=OTHER_ADMIN, when="2026-04-10T09:00")
    reference = app.usecases.reference

    first = reference.changes(ListReferenceChanges(actor=ADMIN, at=at(WHEN), limit=1))
    second = reference.changes(ListReferenceChanges(actor=ADMIN, at=at(WHEN), limit=1, cursor=first.cursor))

    [newest], [oldest] = first.changes, second.changes
    assert (newest.by, newest.at, newest.before["hotline"], newest.after["hotline"]) == (
        OTHER_ADMIN,
        at("2026-04-10T09:00"),
        "02-111-1111",
        "02-222-2222",
    )
    assert (oldest.by, oldest.before["hotline"], oldest.action) == (ADMIN, None, "edit")
    assert second.cursor is None
    with pytest.raises(BadCursor):  # another admin's cursor, or an edited one
        reference.changes(ListReferenceChanges(actor=OTHER_ADMIN, at=at(WHEN), limit=1, cursor=first.cursor))
    with pytest.raises(Forbidden):
        reference.changes(ListReferenceChanges(actor=CALLCENTRE, at=at(WHEN), limit=1))


def test_an_admin_who_read_a_stale_version_applies_the_edit_again_and_both_edits_stay(app):
    store = app.fakes.reference
    store.meanwhile = lambda: change(app, Edit("agency", "DEPT-PWD", {"email": "works@bma.example"}), OTHER_ADMIN)

    done = change(app, Edit("agency", "DEPT-PWD", {"hotline": "02-123-4567"}))

    assert done.version == 2
    pwd = app.usecases.catalogue.agency("DEPT-PWD")
    assert (pwd.email, pwd.hotline) == ("works@bma.example", "02-123-4567")
    assert [(c.by.id, c.version) for c in store.trail] == [("admin-8", 1), ("admin-7", 2)]
    assert store.trail[1].before["email"] == "works@bma.example"  # "before" is what it was applied to


def test_a_second_conflict_in_a_row_is_409_and_writes_nothing_of_ours(app):
    change(app, Edit("agency", "DEPT-PWD", {"email": "works@bma.example"}), OTHER_ADMIN)
    store = app.fakes.reference
    store.load = lambda: Stored()  # every read is stale: the version before the other admin's

    with pytest.raises(Conflict):
        change(app, Edit("category", "road", {"urgent": True}))

    assert [c.by for c in store.trail] == [OTHER_ADMIN]
    assert store.stored.version == 1 and store.stored.categories == {}


def test_the_catalogue_in_force_reads_the_version_once_per_invocation_and_rebuilds_only_on_a_change():
    store = MemoryReference()
    links = LinkSigner(lambda: b"k", "https://x")
    writer = ReferenceAdmin(store, CatalogueInForce(store, default_catalogue()), links)  # another Lambda
    reader = CatalogueInForce(store, default_catalogue())

    for _ in range(50):  # one invocation: a sweep reading it for every case
        reader.catalogue.route("road", "1039")
    assert store.reads == 1
    built = reader.catalogue

    reader.expire()  # the next invocation: nothing changed, nothing rebuilt
    assert reader.catalogue is built and store.reads == 2

    edit = Edit("category", "road", {"unit": "department:DEPT-PWD"})
    writer.change(ChangeReference(actor=ADMIN, at=at(WHEN), edit=edit))
    assert reader.catalogue.route("road", "1039").agency.id == "DIST-1039"  # this invocation keeps what it read
    reader.expire()
    assert reader.catalogue.route("road", "1039").agency.id == "DEPT-PWD"
    assert reader.version == 1
