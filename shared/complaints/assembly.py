"""The use cases assembled on a set of ports: the one recipe that production (``wiring``, on
DynamoDB, SES and SNS) and the unit tests (on the in-memory fakes) both follow."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from .domain import audit as sampling
from .domain.ids import RandomIds
from .domain.links import LinkSigner
from .domain.routing import Catalogue
from .notices.outbox import Notices
from .notices.senders import Channels, Recipients, senders
from .ports import (
    ApiKeyStore,
    AuditRepository,
    CaseRepository,
    HolidayStore,
    Ids,
    Notifier,
    OutboxStore,
    PhotoStore,
    PrivacyStore,
    ReferenceStore,
    ReportStore,
    UploadStore,
)
from .reference import default_catalogue
from .reporting.render import email_message
from .settings import Settings
from .usecases.agency import AgencyActions
from .usecases.api_keys import ApiKeys
from .usecases.auditing import Auditing
from .usecases.base import Calendars, Workflow
from .usecases.callcentre import CallCentre
from .usecases.followup import FollowUp
from .usecases.holidays import Holidays
from .usecases.intake import Intake
from .usecases.photos import Photos, Processed
from .usecases.privacy import Privacy
from .usecases.reading import Reading
from .usecases.reference import CatalogueInForce, ReferenceAdmin
from .usecases.reports import MonthlyReport, Reports, Rollup
from .usecases.sweep import Sweep


@dataclass(frozen=True)
class Ports:
    cases: CaseRepository
    outbox: OutboxStore
    holidays: HolidayStore
    audits: AuditRepository
    reports: ReportStore
    notifier: Notifier
    privacy: PrivacyStore
    photos: PhotoStore
    uploads: UploadStore
    reference: ReferenceStore
    api_keys: ApiKeyStore


@dataclass(frozen=True)
class UseCases:
    in_force: CatalogueInForce  # the reference data in force: expire() once per invocation
    links: LinkSigner
    workflow: Workflow
    intake: Intake
    reading: Reading
    callcentre: CallCentre
    agency: AgencyActions
    followup: FollowUp
    holidays: Holidays
    auditing: Auditing
    sweep: Sweep
    rollup: Rollup
    reports: Reports
    monthly_report: MonthlyReport
    privacy: Privacy
    photos: Photos
    reference: ReferenceAdmin
    api_keys: ApiKeys  # machine clients' keys (Open311): issue, list, revoke, check

    @property
    def catalogue(self) -> Catalogue:
        """The agencies and categories in force (the bundled data with the admins' changes)."""
        return self.in_force.catalogue


def assemble(
    ports: Ports,
    settings: Settings,
    secret: Callable[[], bytes],
    ids: Ids | None = None,
    rng: Callable[[], random.Random] = sampling.system_random,
) -> UseCases:
    """Every use case on ``ports``; ``secret`` gives the link-signing key when a link is signed or read."""
    in_force = CatalogueInForce(ports.reference, default_catalogue())
    links = LinkSigner(secret, settings.public_base_url, settings.short_link_base_url)
    recipients = Recipients(settings.supervisors_address, settings.operators_topic_arn)
    notices = Notices(ports.outbox, senders(Channels(ports.notifier, in_force, links, recipients)))
    workflow = Workflow(ports.cases, notices, Calendars(ports.holidays), in_force, settings.policy)
    reading = Reading(ports.cases, in_force, links)
    auditing = Auditing(
        workflow,
        ports.audits,
        ports.notifier,
        settings.public_base_url,
        rate=settings.audit_rate,
        auditors=settings.auditors_address,
        rng=rng,
    )
    rollup = Rollup(ports.reports)
    reports = Reports(ports.reports, rollup, in_force, settings.weights)

    def compose(doc: dict) -> bytes:
        name = f"1555-report-{doc['month']}.csv"
        return email_message(doc, settings.sender_address, settings.executives, name).as_bytes()

    photos = Photos(ports.photos, ports.uploads, _process)
    monthly_report = MonthlyReport(reports, ports.reports, ports.notifier, compose, settings.executives)
    return UseCases(
        in_force=in_force,
        links=links,
        workflow=workflow,
        intake=Intake(workflow, ids or RandomIds(), ports.privacy, secret, photos),
        reading=reading,
        callcentre=CallCentre(workflow),
        agency=AgencyActions(workflow, photos),
        followup=FollowUp(workflow, reading),
        holidays=Holidays(workflow, ports.holidays),
        auditing=auditing,
        sweep=Sweep(workflow, ports.outbox, auditing),
        rollup=rollup,
        reports=reports,
        monthly_report=monthly_report,
        privacy=Privacy(workflow, ports.privacy, photos, settings.complainant_retention_days),
        photos=photos,
        reference=ReferenceAdmin(ports.reference, in_force, links),
        api_keys=ApiKeys(ports.api_keys, settings.open311_writes_per_key_per_minute),
    )


def _process(data: bytes) -> Processed:
    """Pillow is imported when the first photo is processed, not at every cold start."""
    from .adapters.imaging import process

    return process(data)
