"""Faults at every step (#10, "Faults"): DynamoDB, SES and SNS throttle, fail or cannot be
reached at one step of filing, of each change of state, of the sweep and of the monthly report;
the caller sends the same request again (a client on a 5xx; EventBridge Scheduler on a failed
run). Then, once a later sweep has sent what the outbox still owed, everything is as if no
fault had happened — the same cases, states, histories, report figures and messages as the
same flow without a fault:

- no half-written case: state and history always together (and nothing else half-written);
- nothing sent twice, nothing lost.

A step is the n-th call of one AWS operation in the flow (``flows.py`` says what each flow
does; the comments below say what each step is).
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from local import infra
from tests.conftest import Api
from tests.integration.completion_helpers import SEED
from tests.integration.faults.flows import FLOWS, Ctx
from tests.integration.faults.inject import Fault, Injector
from tests.integration.faults.invariants import snapshot

pytestmark = pytest.mark.integration

#: Every step is throttled; a step that writes (or sends) also fails to connect; a transaction
#: is also cancelled by a concurrent one. (A 500 from DynamoDB takes the path of a connection
#: error; SES's and SNS's refusals all take one path: the notice is kept and retried.)
WRITES = ("TransactWriteItems", "UpdateItem", "PutItem", "SendEmail", "SendRawEmail", "Publish")


def kinds(service: str, operation: str) -> tuple[str, ...]:
    if operation == "TransactWriteItems":
        return ("throttled", "unreachable", "conflict")
    return ("throttled", "unreachable") if operation in WRITES else ("throttled",)


# The steps of a change of state: "service.Operation#n: what the step is".
READ = "dynamodb.GetItem#1: read the case"
#: The reference data's version (once per invocation, where the catalogue is first needed: #12).
REFERENCE = "dynamodb.GetItem#1: the reference data's version"
HOLIDAYS = "dynamodb.Query#1: special holidays"
WRITE = "dynamodb.TransactWriteItems#1: case and history"
CLAIM = "dynamodb.UpdateItem#1: claim the notices"
MAIL = "ses.SendEmail#1: agency e-mail"
SMS = "sns.Publish#1: citizen SMS"
RECORD = "dynamodb.UpdateItem#2: record what was sent"

#: flow → the steps where it is struck
STEPS: dict[str, list[str]] = {
    "file": [
        "dynamodb.PutItem#1: idempotency record",
        REFERENCE,
        HOLIDAYS,
        WRITE,
        CLAIM,
        MAIL,
        SMS,
        RECORD,
        "dynamodb.UpdateItem#3: idempotency answer",
    ],
    "route": [REFERENCE, HOLIDAYS, "dynamodb.GetItem#2: read the case", WRITE, CLAIM, MAIL, SMS, RECORD],
    "acknowledge": [READ, HOLIDAYS, WRITE],
    "progress": [WRITE, CLAIM, SMS, RECORD],
    "complete": [READ, WRITE, CLAIM, SMS, RECORD],
    "reopen": [READ, WRITE, CLAIM, MAIL, SMS, RECORD],
    "hand back": [WRITE, CLAIM, MAIL, RECORD],
    "feedback": ["dynamodb.Query#1: check the token", WRITE, CLAIM, SMS, RECORD],
    "agency form": [
        "dynamodb.Query#1: open the link",
        REFERENCE,
        "dynamodb.GetItem#2: read the case",
        WRITE,
        "dynamodb.Query#3: the page after",
    ],
    "sweep": [
        "dynamodb.Query#1: late cases",
        REFERENCE,
        "dynamodb.TransactWriteItems#1: first follow-up",
        "dynamodb.TransactWriteItems#2: second follow-up",
        "dynamodb.UpdateItem#1: claim the first chase",
        "ses.SendEmail#2: second chase e-mail",
        "sns.Publish#2: second citizen SMS",
        "dynamodb.UpdateItem#2: record the first chase",
        "dynamodb.Query#9: owed notices",
        "dynamodb.Query#13: audit candidates",
        "dynamodb.PutItem#1: roll-up of a day",
    ],
    "monthly report": [
        "dynamodb.GetItem#1: the frozen report",
        "dynamodb.Query#1: the day's events",
        "dynamodb.UpdateItem#1: the day's counters",
        "dynamodb.PutItem#1: the day rolled up",
        "dynamodb.PutItem#6: freeze the report",
        "dynamodb.PutItem#7: claim the e-mail",
        "ses.SendRawEmail#1: the report e-mail",
        "dynamodb.UpdateItem#10: the e-mail sent",
    ],
}


def step(text: str) -> tuple[str, str, int, str]:
    call, what = text.split(": ", 1)
    service, rest = call.split(".", 1)
    op, n = rest.split("#")
    return service, op, int(n), what


TABLE = [
    pytest.param(flow, service, op, n, kind, id=f"{flow}: {what} ({service}.{op}#{n}) {kind}")
    for flow, steps in STEPS.items()
    for service, op, n, what in map(step, steps)
    for kind in kinds(service, op)
]
#: Outages, not blips: the service stays down from that call to the end of the first attempt.
OUTAGES = [
    pytest.param("sweep", "ses", "SendEmail", 2, "failed", id="sweep: SES down from the second chase"),
    pytest.param("sweep", "sns", "Publish", 1, "throttled", id="sweep: SNS throttling every SMS"),
    pytest.param(
        "sweep", "dynamodb", "TransactWriteItems", 2, "throttled", id="sweep: DynamoDB throttling from the second case"
    ),
    pytest.param("file", "ses", "SendEmail", 1, "unreachable", id="file: SES unreachable"),
]


# --- driving ------------------------------------------------------------------------------------


def fresh(aws: Any) -> Ctx:
    from moto.core.base_backend import BackendDict

    from complaints import wiring

    BackendDict.reset()
    infra.create_resources(aws)
    ctx = Ctx(Api(), Api("PagesFunction"))
    wiring.auditing().rng = lambda: random.Random(SEED)  # the same audit draw in every run
    return ctx


def settle(name: str) -> None:
    """A sweep later the same day: it sends what the outbox still owes (and nothing else is due)."""
    from complaints import wiring
    from tests.conftest import at

    wiring.sweep().run(at(FLOWS[name].settle_at))


def drive(aws: Any, name: str, injector: Injector | None = None, fault: Fault | None = None) -> dict[str, Any]:
    ctx = fresh(aws)
    flow = FLOWS[name]
    flow.prepare(ctx)
    if injector is not None and fault is not None:
        injector.plant(fault)
        done = flow.run(ctx)
        injector.lift()
        assert fault.fired, f"the flow never made call #{fault.nth} of {fault.service}.{fault.operation}"
        if not done:
            assert flow.run(ctx), "the retry failed"
    else:
        assert flow.run(ctx)
    settle(name)
    return snapshot(aws)


BASELINES: dict[str, dict[str, Any]] = {}


def baseline(aws: Any, name: str) -> dict[str, Any]:
    if name not in BASELINES:
        BASELINES[name] = drive(aws, name)
    return BASELINES[name]


def check(aws, inject, flow, service, op, n, kind, outage=False):
    expected = baseline(aws, flow)
    got = drive(aws, flow, inject, Fault(service, op, n, kind, outage=outage))
    for key in expected:
        assert got[key] == expected[key], key


@pytest.mark.parametrize(("flow", "service", "op", "n", "kind"), TABLE)
def test_after_a_fault_and_a_retry_everything_is_as_without_it(aws, inject, flow, service, op, n, kind):
    check(aws, inject, flow, service, op, n, kind)


@pytest.mark.parametrize(("flow", "service", "op", "n", "kind"), OUTAGES)
def test_after_an_outage_and_a_retry_everything_is_as_without_it(aws, inject, flow, service, op, n, kind):
    check(aws, inject, flow, service, op, n, kind, outage=True)
