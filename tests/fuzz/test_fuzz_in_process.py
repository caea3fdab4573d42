"""The intake handler, fuzzed from docs/openapi.json in-process (API Gateway events under moto)."""

import os

import pytest

from tests.fuzz.fuzzing import OPERATIONS, cover, examples, fuzz, report
from tests.fuzz.transport import CALLERS

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("caller", sorted(CALLERS))
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_operation_as_every_caller_answers_as_documented(intake, method, path, caller):
    findings = fuzz(intake, method, path, caller, examples(path, 6))
    assert not findings, report(findings)


@pytest.mark.skipif(not os.environ.get("FUZZ_COVERAGE"), reason="make fuzz (FUZZ_COVERAGE=1): about 5,000 requests")
@pytest.mark.parametrize("caller", sorted(CALLERS))
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_operation_as_every_caller_at_the_boundaries(intake, method, path, caller):
    findings = cover(intake, method, path, caller)
    assert not findings, report(findings)
