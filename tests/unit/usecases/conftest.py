"""The use cases assembled from the in-memory fakes (``tests/fakes.py``), exactly as
``complaints.wiring`` assembles them from the AWS adapters."""

from __future__ import annotations

import random
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from complaints.assembly import Ports, UseCases, assemble
from complaints.domain.deadlines import SlaPolicy
from complaints.notices.outbox import Notices
from complaints.settings import Settings
from complaints.usecases.agency import AgencyActions
from complaints.usecases.auditing import Auditing
from complaints.usecases.callcentre import CallCentre
from complaints.usecases.followup import FollowUp
from complaints.usecases.holidays import Holidays
from complaints.usecases.intake import Intake
from complaints.usecases.reading import Reading
from complaints.usecases.sweep import Sweep
from tests.fakes import Fakes, RecordingNotifier

BASE_URL = "https://1555.test"
SUPERVISORS = "supervisors@1555.test"
OPERATORS_TOPIC = "arn:aws:sns:ap-southeast-1:123456789012:operators-test"
AUDITORS = "auditors@1555.test"
EXECUTIVES = "governor@1555.test,deputy@1555.test"
POLICY = SlaPolicy(escalate_after_business_days=3, feedback_days=14, dispute_days=30)
SEED = 1555
RETENTION_DAYS = 365
WRITES_PER_KEY_PER_MINUTE = 30


@dataclass(frozen=True)
class App:
    """The use cases, the fakes they run on, and the notifier."""

    usecases: UseCases
    auditing: Auditing
    sweep: Sweep
    fakes: Fakes

    @property
    def intake(self) -> Intake:
        return self.usecases.intake

    @property
    def reading(self) -> Reading:
        return self.usecases.reading

    @property
    def callcentre(self) -> CallCentre:
        return self.usecases.callcentre

    @property
    def agency(self) -> AgencyActions:
        return self.usecases.agency

    @property
    def followup(self) -> FollowUp:
        return self.usecases.followup

    @property
    def holidays(self) -> Holidays:
        return self.usecases.holidays

    @property
    def notices(self) -> Notices:
        return self.usecases.workflow.notices

    @property
    def notifier(self) -> RecordingNotifier:
        return self.fakes.notifier


def settings(audit_rate: float) -> Settings:
    """What template.yaml would give the functions, for the test deployment."""
    return Settings(
        table_name="complaints-test",
        public_base_url=BASE_URL,
        short_link_base_url="",
        sender_address="no-reply@1555.test",
        link_secret_name="link-secret",
        supervisors_address=SUPERVISORS,
        operators_topic_arn=OPERATORS_TOPIC,
        auditors_address=AUDITORS,
        audit_rate=audit_rate,
        escalate_after_business_days=POLICY.escalate_after_business_days,
        feedback_days=POLICY.feedback_days,
        dispute_window_days=POLICY.dispute_days,
        executive_addresses=EXECUTIVES,
        report_weights="0.25,0.25,0.20,0.15,0.15",
        complainant_retention_days=RETENTION_DAYS,
        open311_writes_per_key_per_minute=WRITES_PER_KEY_PER_MINUTE,
        open311_jurisdiction_id="bangkok.go.th",
    )


def build(audit_rate: float = 0.1, seed: int = SEED) -> App:
    """The production recipe (``complaints.assembly.assemble``, as ``wiring.usecases()`` uses it), on the fakes."""
    f = Fakes()
    ports = Ports(
        cases=f.cases,
        outbox=f.outbox,
        holidays=f.holidays,
        audits=f.audits,
        reports=f.reports,
        notifier=f.notifier,
        privacy=f.privacy,
        photos=f.photos,
        uploads=f.uploads,
        reference=f.reference,
        api_keys=f.api_keys,
    )
    usecases = assemble(ports, settings(audit_rate), lambda: b"test-secret", ids=f.ids, rng=lambda: random.Random(seed))
    return App(usecases, usecases.auditing, usecases.sweep, f)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The use cases run on the fakes: any attempt to open a socket is a test failure."""

    def refuse(*args: object, **kwargs: object) -> socket.socket:
        raise AssertionError("a use-case unit test tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


@pytest.fixture
def app() -> App:
    return build()


@pytest.fixture
def make_app() -> Callable[..., App]:
    """Another assembly, e.g. ``make_app(audit_rate=1)``."""
    return build
